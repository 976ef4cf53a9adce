package io.llmgateway.backend.internal;

import io.llmgateway.backend.internal.ChatRequest.Role;
import io.llmgateway.backend.internal.ChatRequest.Turn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/** The gateway's request to Bedrock's Converse call, and Converse's answer back to a {@link Completion}. */
public final class ConverseMapping {

    private ConverseMapping() {
    }

    /**
     * @param timeout the whole call's budget, retries included; the SDK aborts the call when it runs out
     *                and throws {@code ApiCallTimeoutException}
     */
    public static ConverseRequest toConverse(ChatRequest request, Duration timeout) {
        List<Message> messages = new ArrayList<>(request.turns().size());
        for (Turn turn : request.turns()) {
            List<ContentBlock> content = new ArrayList<>(turn.texts().size());
            turn.texts().forEach(text -> content.add(ContentBlock.fromText(text)));
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
                .modelId(request.modelId())
                .messages(messages)
                .inferenceConfig(inference.build())
                .overrideConfiguration(AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).build());
        if (!request.system().isEmpty()) {
            List<SystemContentBlock> system = new ArrayList<>(request.system().size());
            request.system().forEach(text -> system.add(SystemContentBlock.fromText(text)));
            converse.system(system);
        }
        return converse.build();
    }

    /**
     * The answer's text blocks, joined. Other blocks (a reasoning model's {@code reasoningContent})
     * are not part of an OpenAI chat message and are left out.
     */
    public static Completion fromConverse(ConverseResponse response) {
        StringBuilder text = new StringBuilder();
        ConverseOutput output = response.output();
        if (output != null && output.message() != null && output.message().hasContent()) {
            for (ContentBlock block : output.message().content()) {
                if (block.text() != null) {
                    text.append(block.text());
                }
            }
        }
        TokenUsage usage = response.usage();
        int input = usage == null ? 0 : orZero(usage.inputTokens());
        int outputTokens = usage == null ? 0 : orZero(usage.outputTokens());
        int total = usage == null || usage.totalTokens() == null ? input + outputTokens : usage.totalTokens();
        return new Completion(text.toString(), finishReason(response.stopReason()), input, outputTokens, total);
    }

    /** Bedrock's stopReason as OpenAI's finish_reason. */
    static String finishReason(StopReason reason) {
        if (reason == null) {
            return "stop";
        }
        return switch (reason) {
            case MAX_TOKENS, MODEL_CONTEXT_WINDOW_EXCEEDED -> "length";
            case CONTENT_FILTERED, GUARDRAIL_INTERVENED -> "content_filter";
            case TOOL_USE -> "tool_calls"; // unreachable: requests with tools are refused
            default -> "stop"; // END_TURN, STOP_SEQUENCE, and anything newer than this SDK
        };
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
