package io.llmgateway.backend.chat;

import io.llmgateway.backend.bedrock.Documents;
import io.llmgateway.backend.chat.ChatRequest.Block;
import io.llmgateway.backend.chat.ChatRequest.CachePoint;
import io.llmgateway.backend.internal.BedrockUsage;
import io.llmgateway.common.Usage;
import io.llmgateway.backend.chat.ChatRequest.ResponseFormat;
import io.llmgateway.backend.chat.ChatRequest.Role;
import io.llmgateway.backend.chat.ChatRequest.ToolChoice;
import io.llmgateway.backend.chat.ChatRequest.Turn;
import io.llmgateway.backend.internal.GuardrailOutcome;
import io.llmgateway.backend.internal.ModelTarget;
import io.llmgateway.common.Json;
import io.llmgateway.common.PlanGuardrail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.AnyToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.AutoToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointBlock;
import software.amazon.awssdk.services.bedrockruntime.model.CachePointType;
import software.amazon.awssdk.services.bedrockruntime.model.CacheTTL;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailStreamConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailStreamProcessingMode;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTrace;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.JsonSchemaDefinition;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.OutputConfig;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormat;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatStructure;
import software.amazon.awssdk.services.bedrockruntime.model.OutputFormatType;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.SpecificToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * The gateway's request to Bedrock's Converse call, and Converse's answer back to a {@link Completion}
 * (Bedrock user guide, "Call a tool with the Converse API"; Bedrock API reference, "Converse").
 *
 * <ul>
 *   <li>Tools become {@code toolConfig.tools[].toolSpec} with the JSON schema as {@code inputSchema.json};
 *       {@code tool_choice} auto, required and a named function become {@code toolChoice} auto, any and
 *       tool. Converse has no "none": with {@code tool_choice: none} no tools are offered, and tool calls
 *       and results already in the conversation go in as text, for Converse accepts toolUse and
 *       toolResult blocks only next to a {@code toolConfig} (the same when a request sends no tools).</li>
 *   <li>{@code response_format} json_schema uses {@code outputConfig.textFormat} where Bedrock constrains
 *       the model to the schema ({@link ModelFeatures#hasStructuredOutput}); elsewhere, and for
 *       json_object, the schema is a tool the model is made to call, and its input is the answer.</li>
 *   <li>A reasoning effort goes into {@code additionalModelRequestFields} ({@link ModelFeatures#reasoning}).</li>
 *   <li>Prompt-cache points, fitted to the model's rules ({@link CachePlacement}), are {@code cachePoint}
 *       blocks after the tool, system prompt or content block they close (Bedrock user guide, "Prompt
 *       caching for faster model inference",
 *       https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html).</li>
 *   <li>The caller's plan decides the model id sent (its application inference profile, if any) and the
 *       guardrail ({@code guardrailConfig}); a guardrail's intervention ({@code guardrail_intervened}) is
 *       {@code finish_reason: content_filter} with the guardrail's message as the content.</li>
 * </ul>
 */
public final class ConverseMapping {

    private ConverseMapping() {
    }

    /**
     * @param target  what the call names on Bedrock: the model id to send (the plan's inference profile or
     *                the configured id) and the plan's guardrail
     * @param timeout the whole call's budget, retries included; the SDK aborts the call when it runs out
     *                and throws {@code ApiCallTimeoutException}
     */
    public static ConverseRequest toConverse(ChatRequest request, ModelTarget target, Duration timeout) {
        // Without tools on offer, Converse refuses toolUse and toolResult blocks: they go in as text.
        boolean toolsOff = request.toolChoice().mode() == ToolChoice.Mode.NONE || request.tools().isEmpty();
        CachePlacement cache = request.cache();
        List<Message> messages = new ArrayList<>(request.turns().size());
        for (int t = 0; t < request.turns().size(); t++) {
            Turn turn = request.turns().get(t);
            List<ContentBlock> content = new ArrayList<>(turn.blocks().size());
            for (int b = 0; b < turn.blocks().size(); b++) {
                content.add(block(turn.blocks().get(b), toolsOff));
                CachePoint point = cache.at(CachePoint.Section.MESSAGES, t, b);
                if (point != null) {
                    content.add(ContentBlock.fromCachePoint(cachePoint(point)));
                }
            }
            messages.add(Message.builder()
                    .role(turn.role() == Role.USER ? ConversationRole.USER : ConversationRole.ASSISTANT)
                    .content(content)
                    .build());
        }
        InferenceConfiguration.Builder inference = InferenceConfiguration.builder()
                .maxTokens(request.maxTokens());
        if (request.temperature() != null) {
            inference.temperature(request.temperature().floatValue());
        }
        if (request.topP() != null) {
            inference.topP(request.topP().floatValue());
        }
        if (!request.stop().isEmpty()) {
            inference.stopSequences(request.stop());
        }
        ConverseRequest.Builder converse = ConverseRequest.builder()
                .modelId(target.modelId())
                .messages(messages)
                .inferenceConfig(inference.build())
                .overrideConfiguration(AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).build());
        if (!request.system().isEmpty()) {
            List<SystemContentBlock> system = new ArrayList<>(request.system().size());
            for (int i = 0; i < request.system().size(); i++) {
                system.add(SystemContentBlock.fromText(request.system().get(i)));
                CachePoint point = cache.at(CachePoint.Section.SYSTEM, i, 0);
                if (point != null) {
                    system.add(SystemContentBlock.fromCachePoint(cachePoint(point)));
                }
            }
            converse.system(system);
        }
        ToolConfiguration tools = toolConfig(request);
        if (tools != null) {
            converse.toolConfig(tools);
        }
        if (usesOutputConfig(request)) {
            ResponseFormat format = request.responseFormat();
            converse.outputConfig(OutputConfig.builder().textFormat(OutputFormat.builder()
                    .type(OutputFormatType.JSON_SCHEMA)
                    .structure(OutputFormatStructure.fromJsonSchema(JsonSchemaDefinition.builder()
                            .name(format.name())
                            .description(format.description())
                            .schema(Json.write(format.schema()))
                            .build()))
                    .build()).build());
        }
        if (request.reasoning() != null) {
            converse.additionalModelRequestFields(Documents.of(request.reasoning().fields()));
        }
        target.guardrail().ifPresent(g -> converse.guardrailConfig(guardrailConfig(g)));
        return converse.build();
    }

    /**
     * The plan's guardrail on a call, with its trace on: the trace tells which policies acted and how
     * many text units each billed ({@link GuardrailOutcome}). ConverseStream takes the same three fields
     * in its own type, plus {@code streamProcessingMode}
     * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailConfiguration.html).
     */
    static GuardrailConfiguration guardrailConfig(PlanGuardrail guardrail) {
        return GuardrailConfiguration.builder()
                .guardrailIdentifier(guardrail.identifier())
                .guardrailVersion(guardrail.version())
                .trace(GuardrailTrace.ENABLED)
                .build();
    }

    /**
     * The same call as ConverseStream: every piece of {@link #toConverse} (model, messages, system,
     * inference, tools, output and additional model fields, guardrail, prompt variables, metadata,
     * performance, service tier, the call's timeout) carried over, so whatever the Converse request gains
     * applies to streamed calls too. A guardrail streams synchronously (Bedrock's default
     * {@code streamProcessingMode}, set explicitly), so nothing it would block reaches the client.
     */
    public static ConverseStreamRequest toConverseStream(ChatRequest request, ModelTarget target, Duration timeout) {
        return streamOf(toConverse(request, target, timeout));
    }

    static ConverseStreamRequest streamOf(ConverseRequest converse) {
        ConverseStreamRequest.Builder stream = ConverseStreamRequest.builder()
                .modelId(converse.modelId())
                .inferenceConfig(converse.inferenceConfig())
                .toolConfig(converse.toolConfig())
                .additionalModelRequestFields(converse.additionalModelRequestFields())
                .performanceConfig(converse.performanceConfig())
                .serviceTier(converse.serviceTier())
                .outputConfig(converse.outputConfig());
        if (converse.hasMessages()) {
            stream.messages(converse.messages());
        }
        if (converse.hasSystem()) {
            stream.system(converse.system());
        }
        if (converse.hasPromptVariables()) {
            stream.promptVariables(converse.promptVariables());
        }
        if (converse.hasAdditionalModelResponseFieldPaths()) {
            stream.additionalModelResponseFieldPaths(converse.additionalModelResponseFieldPaths());
        }
        if (converse.hasRequestMetadata()) {
            stream.requestMetadata(converse.requestMetadata());
        }
        if (converse.guardrailConfig() != null) {
            stream.guardrailConfig(GuardrailStreamConfiguration.builder()
                    .guardrailIdentifier(converse.guardrailConfig().guardrailIdentifier())
                    .guardrailVersion(converse.guardrailConfig().guardrailVersion())
                    .trace(converse.guardrailConfig().traceAsString())
                    // Synchronous: chunks are scanned before they are sent, and masking works only so
                    // (https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-streaming.html).
                    .streamProcessingMode(GuardrailStreamProcessingMode.SYNC)
                    .build());
        }
        converse.overrideConfiguration().ifPresent(stream::overrideConfiguration);
        return stream.build();
    }

    /** json_schema on a model whose output Bedrock constrains to the schema. */
    static boolean usesOutputConfig(ChatRequest request) {
        return request.responseFormat().type() == ResponseFormat.Type.JSON_SCHEMA
                && ModelFeatures.hasStructuredOutput(request.modelId());
    }

    /** The name of the tool that carries the JSON answer, or null when the answer is not a forced tool. */
    public static String responseTool(ChatRequest request) {
        ResponseFormat format = request.responseFormat();
        if (format.type() == ResponseFormat.Type.TEXT || usesOutputConfig(request)) {
            return null;
        }
        return format.name();
    }

    /** Converse's {@code toolChoice}, when tools are offered: Anthropic's tool_choice auto, any and tool. */
    enum OfferedChoice { AUTO, ANY, TOOL }

    /**
     * How the model may use the tools the call offers (the client's and the one that carries a JSON
     * answer), or null when it offers none. The one decision behind {@code toolConfig}, which token
     * estimates ask too: a provider's tool-use system prompt depends on it.
     */
    static OfferedChoice offeredChoice(ChatRequest request) {
        boolean userTools = request.toolChoice().mode() != ToolChoice.Mode.NONE && !request.tools().isEmpty();
        String responseTool = responseTool(request);
        if (!userTools && responseTool == null) {
            return null;
        }
        if (request.toolChoice().mode() == ToolChoice.Mode.NAMED || !userTools) {
            // A named function, or the JSON answer as the forced tool's input.
            return OfferedChoice.TOOL;
        }
        // With tools and a JSON answer, the model calls a tool or answers through the response tool.
        return request.toolChoice().mode() == ToolChoice.Mode.REQUIRED || responseTool != null
                ? OfferedChoice.ANY : OfferedChoice.AUTO;
    }

    private static ToolConfiguration toolConfig(ChatRequest request) {
        OfferedChoice offered = offeredChoice(request);
        if (offered == null) {
            return null;
        }
        List<Tool> tools = new ArrayList<>();
        if (request.toolChoice().mode() != ToolChoice.Mode.NONE) {
            for (int i = 0; i < request.tools().size(); i++) {
                ChatRequest.Tool tool = request.tools().get(i);
                tools.add(tool(tool.name(), tool.description(), tool.schema()));
                CachePoint point = request.cache().at(CachePoint.Section.TOOLS, i, 0);
                if (point != null) {
                    tools.add(Tool.fromCachePoint(cachePoint(point)));
                }
            }
        }
        String responseTool = responseTool(request);
        if (responseTool != null) {
            ResponseFormat format = request.responseFormat();
            tools.add(tool(responseTool, format.description() != null ? format.description()
                    : "Answer with JSON that matches this schema.", format.schema()));
        }
        ToolConfiguration.Builder config = ToolConfiguration.builder().tools(tools);
        config.toolChoice(switch (offered) {
            case TOOL -> software.amazon.awssdk.services.bedrockruntime.model.ToolChoice.fromTool(
                    SpecificToolChoice.builder().name(request.toolChoice().mode() == ToolChoice.Mode.NAMED
                            ? request.toolChoice().name() : responseTool).build());
            case ANY -> software.amazon.awssdk.services.bedrockruntime.model.ToolChoice.fromAny(
                    AnyToolChoice.builder().build());
            case AUTO -> software.amazon.awssdk.services.bedrockruntime.model.ToolChoice.fromAuto(
                    AutoToolChoice.builder().build());
        });
        return config.build();
    }

    /** Bedrock's default TTL is 5 minutes: only a 1-hour point names its TTL, so no model sees a ttl it lacks. */
    private static CachePointBlock cachePoint(CachePoint point) {
        CachePointBlock.Builder block = CachePointBlock.builder().type(CachePointType.DEFAULT);
        if (point.oneHour()) {
            block.ttl(CacheTTL.VALUE_1_H);
        }
        return block.build();
    }

    private static Tool tool(String name, String description, Map<String, Object> schema) {
        ToolSpecification.Builder spec = ToolSpecification.builder()
                .name(name)
                .inputSchema(ToolInputSchema.fromJson(Documents.of(schema)));
        if (description != null) {
            spec.description(description);
        }
        return Tool.fromToolSpec(spec.build());
    }

    private static ContentBlock block(Block block, boolean toolsOff) {
        if (block instanceof ChatRequest.Text text) {
            return ContentBlock.fromText(text.text());
        }
        if (block instanceof ChatRequest.Image image) {
            return ContentBlock.fromImage(ImageBlock.builder()
                    .format(ImageFormat.fromValue(image.format()))
                    .source(ImageSource.fromBytes(SdkBytes.fromByteArray(image.bytes())))
                    .build());
        }
        if (block instanceof ChatRequest.ToolCall call) {
            if (toolsOff) {
                return ContentBlock.fromText("[called tool " + call.name() + " (" + call.id() + ") with "
                        + Json.write(call.input()) + "]");
            }
            return ContentBlock.fromToolUse(ToolUseBlock.builder()
                    .toolUseId(call.id()).name(call.name()).input(Documents.of(call.input())).build());
        }
        if (block instanceof ChatRequest.Thinking thinking) {
            return ContentBlock.fromReasoningContent(thinking.redacted() != null
                    ? ReasoningContentBlock.fromRedactedContent(SdkBytes.fromByteArray(thinking.redacted()))
                    : ReasoningContentBlock.fromReasoningText(ReasoningTextBlock.builder()
                            .text(thinking.text()).signature(thinking.signature()).build()));
        }
        ChatRequest.ToolResult result = (ChatRequest.ToolResult) block;
        if (toolsOff) {
            return ContentBlock.fromText("[tool result for " + result.toolUseId() + "] " + result.text());
        }
        return ContentBlock.fromToolResult(ToolResultBlock.builder()
                .toolUseId(result.toolUseId())
                .content(ToolResultContentBlock.fromText(result.text()))
                .build());
    }

    /**
     * The answer: its text blocks joined as the content, its reasoning blocks joined as the reasoning,
     * its toolUse blocks as tool calls. The forced tool of a JSON answer is the content instead; with
     * {@code parallel_tool_calls: false} only the first tool call is kept.
     */
    public static Completion fromConverse(ConverseResponse response, ChatRequest request) {
        String responseTool = responseTool(request);
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = null;
        List<Completion.ToolCall> calls = new ArrayList<>();
        boolean answeredByTool = false;
        ConverseOutput output = response.output();
        if (output != null && output.message() != null && output.message().hasContent()) {
            for (ContentBlock block : output.message().content()) {
                if (block.text() != null) {
                    text.append(block.text());
                } else if (block.reasoningContent() != null && block.reasoningContent().reasoningText() != null
                        && block.reasoningContent().reasoningText().text() != null) {
                    reasoning = reasoning == null ? new StringBuilder() : reasoning;
                    reasoning.append(block.reasoningContent().reasoningText().text());
                } else if (block.toolUse() != null) {
                    ToolUseBlock use = block.toolUse();
                    String arguments = use.input() == null ? "{}" : Json.write(Documents.plain(use.input()));
                    if (use.name() != null && use.name().equals(responseTool) && !answeredByTool) {
                        // The JSON answer replaces any text around it.
                        text.setLength(0);
                        text.append(arguments);
                        answeredByTool = true;
                    } else if (!answeredByTool && (request.parallelToolCalls() || calls.isEmpty())) {
                        calls.add(new Completion.ToolCall(use.toolUseId(), use.name(), arguments));
                    }
                }
            }
        }
        if (answeredByTool) {
            calls.clear();
        }
        String finish = finishReason(response.stopReason());
        if (!calls.isEmpty()) {
            finish = "tool_calls";
        } else if (answeredByTool || finish.equals("tool_calls")) {
            finish = "stop";
        }
        return new Completion(text.toString(), reasoning == null ? null : reasoning.toString(), calls, finish,
                BedrockUsage.of(response.usage()));
    }

    /** Bedrock's stopReason as OpenAI's finish_reason. */
    static String finishReason(StopReason reason) {
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case MAX_TOKENS, MODEL_CONTEXT_WINDOW_EXCEEDED -> "length";
            case CONTENT_FILTERED, GUARDRAIL_INTERVENED -> "content_filter";
            case TOOL_USE -> "tool_calls";
            default -> "stop"; // END_TURN, STOP_SEQUENCE, and anything newer than this SDK
        };
    }

    /** What Bedrock counted for an answer, cache reads and writes apart; zeros when it says nothing. */
    public static Usage usage(ConverseResponse response) {
        return BedrockUsage.of(response.usage());
    }
}
