package io.llmgateway.local;

import io.llmgateway.backend.bedrock.Documents;
import io.llmgateway.common.ImageHeader;
import io.llmgateway.common.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseMetrics;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * The local gateway's built-in model: a {@link BedrockRuntimeClient} that answers Converse calls
 * by echoing the last user message, so the real backend handler runs unchanged. Everything is
 * deterministic: a text of n characters counts as ceil(n / 4) tokens, {@code maxTokens} cuts the
 * answer (stop reason max_tokens), and a stop sequence ends it (stop_sequence). For client testing
 * it can add latency and fail a chosen share of calls with Bedrock's ServiceUnavailableException.
 *
 * <p>Its conventions beyond text (docs/local-gateway.md, "The echo model", says the same):
 * <ul>
 *   <li>tools: it calls the tools {@link #toolCalls} chooses, each with the JSON object that follows the
 *       tool's name in the last user message, or schema-shaped arguments;</li>
 *   <li>tool results: when the last message holds tool results it answers
 *       {@code Echo from <model>: <tool> returned: <result>} and calls nothing;</li>
 *   <li>images: each image of the last user message is described after the echo as
 *       {@code [png image, 1x1 pixels, 68 bytes]};</li>
 *   <li>structured output: a forced tool is called with, and {@code outputConfig}'s JSON schema is
 *       answered by, a value of the schema's shape ({@link SchemaExample});</li>
 *   <li>reasoning: when asked for, a reasoning block {@code The echo model reasons about: <message>};</li>
 *   <li>prompt caching: a prefix up to a cache point seen before in the process counts as read, else
 *       as written ({@link EchoCache});</li>
 *   <li>embeddings: deterministic unit vectors ({@link #invokeModel}).</li>
 * </ul>
 */
public final class EchoModel extends LocalBedrockClient implements BedrockRuntimeClient {

    private final Duration latency;
    private final double failureRate;
    private final Random random;
    private final Duration tokenDelay;
    private final EchoCache cache = new EchoCache();

    /**
     * @param latency     added to every call
     * @param failureRate share of calls, 0 to 1, that fail as Bedrock's ServiceUnavailableException
     * @param seed        seed for choosing the failing calls, so a run can be repeated
     */
    public EchoModel(Duration latency, double failureRate, long seed) {
        this(latency, failureRate, seed, Duration.ZERO);
    }

    /**
     * @param tokenDelay the pause before each output token of a streamed answer ({@link EchoStreams})
     */
    public EchoModel(Duration latency, double failureRate, long seed, Duration tokenDelay) {
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failure rate must be between 0 and 1, got " + failureRate);
        }
        if (tokenDelay.isNegative()) {
            throw new IllegalArgumentException("token delay must not be negative, got " + tokenDelay);
        }
        this.latency = latency;
        this.failureRate = failureRate;
        this.random = new Random(seed);
        this.tokenDelay = tokenDelay;
    }

    /** The pause before each output token of a streamed answer; zero by default. */
    public Duration tokenDelay() {
        return tokenDelay;
    }

    public EchoModel() {
        this(Duration.ZERO, 0, 0);
    }

    /** The added latency, and the chosen share of calls failing as Bedrock's ServiceUnavailableException. */
    private void pause() {
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean fail;
        synchronized (random) {
            fail = failureRate > 0 && random.nextDouble() < failureRate;
        }
        if (fail) {
            throw ServiceUnavailableException.builder()
                    .message("The local echo model failed this call on purpose (--fail-rate).")
                    .statusCode(503)
                    .build();
        }
    }

    /** Tokens of a text, the same way every time. */
    static int tokens(String text) {
        return (text.length() + 3) / 4;
    }

    @Override
    public ConverseResponse converse(ConverseRequest request) {
        pause();
        List<Message> messages = request.messages();
        int inputTokens = request.system().stream().map(SystemContentBlock::text).filter(t -> t != null)
                .mapToInt(EchoModel::tokens).sum()
                + messages.stream().flatMap(m -> m.content().stream()).mapToInt(EchoModel::tokens).sum();
        Message last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        String userText = lastUserText(messages);
        List<ContentBlock> content = new ArrayList<>();
        if (request.additionalModelRequestFields() != null) {
            content.add(ContentBlock.fromReasoningContent(ReasoningContentBlock.fromReasoningText(ReasoningTextBlock
                    .builder().text("The echo model reasons about: " + userText).signature("echo").build())));
        }
        List<ToolUseBlock> calls = last != null && hasToolResults(last) ? List.of() : toolCalls(request, userText);
        StopReason stopReason = StopReason.END_TURN;
        if (!calls.isEmpty()) {
            calls.forEach(call -> content.add(ContentBlock.fromToolUse(call)));
            stopReason = StopReason.TOOL_USE;
        } else {
            String reply;
            if (last != null && hasToolResults(last)) {
                reply = "Echo from " + request.modelId() + ": " + toolResults(messages, last);
            } else if (jsonSchema(request) != null) {
                reply = Json.write(SchemaExample.of(jsonSchema(request), userText));
            } else {
                reply = "Echo from " + request.modelId() + ": " + userText + images(messages);
            }
            List<String> stops = request.inferenceConfig() == null ? List.of() : request.inferenceConfig().stopSequences();
            for (String stop : stops) {
                int at = reply.indexOf(stop);
                if (stop.length() > 0 && at >= 0) {
                    reply = reply.substring(0, at);
                    stopReason = StopReason.STOP_SEQUENCE;
                }
            }
            Integer maxTokens = request.inferenceConfig() == null ? null : request.inferenceConfig().maxTokens();
            if (maxTokens != null && tokens(reply) > maxTokens) {
                reply = reply.substring(0, Math.min(reply.length(), maxTokens * 4));
                stopReason = StopReason.MAX_TOKENS;
            }
            content.add(ContentBlock.fromText(reply));
        }
        int outputTokens = content.stream().mapToInt(EchoModel::tokens).sum();
        EchoCache.Use cached = cache.use(request, EchoModel::tokens);
        return ConverseResponse.builder()
                .output(ConverseOutput.builder()
                        .message(Message.builder().role(ConversationRole.ASSISTANT).content(content).build())
                        .build())
                .stopReason(stopReason)
                .usage(TokenUsage.builder().inputTokens(inputTokens - cached.read() - cached.written())
                        .outputTokens(outputTokens).totalTokens(inputTokens + outputTokens)
                        .cacheReadInputTokens(cached.read()).cacheWriteInputTokens(cached.written()).build())
                .metrics(ConverseMetrics.builder().latencyMs(latency.toMillis()).build())
                .build();
    }

    /** Tokens of a block: its text, a tool call's name and arguments, a tool result's text, 4 per image KB. */
    private static int tokens(ContentBlock block) {
        if (block.text() != null) {
            return tokens(block.text());
        }
        if (block.toolUse() != null) {
            return tokens(block.toolUse().name() + Json.write(Documents.plain(block.toolUse().input())));
        }
        if (block.toolResult() != null && block.toolResult().hasContent()) {
            return block.toolResult().content().stream().map(ToolResultContentBlock::text).filter(t -> t != null)
                    .mapToInt(EchoModel::tokens).sum();
        }
        if (block.image() != null && block.image().source() != null && block.image().source().bytes() != null) {
            return (block.image().source().bytes().asByteArray().length + 255) / 256;
        }
        if (block.reasoningContent() != null && block.reasoningContent().reasoningText() != null) {
            return tokens(block.reasoningContent().reasoningText().text());
        }
        return 0;
    }

    /**
     * The convention that makes the echo model call tools: a tool chosen by name ({@code tool_choice}
     * naming a function, or the forced tool of a JSON answer) is called; otherwise each offered tool
     * whose name the last user message mentions is called, in the order the message mentions them;
     * with {@code tool_choice: required} and none mentioned, the first tool is. The arguments are the
     * JSON object that follows the tool's name in the message ({@code get_weather {"city": "Paris"}}),
     * or else an object shaped by the tool's schema whose strings are the message ({@link SchemaExample}).
     */
    private static List<ToolUseBlock> toolCalls(ConverseRequest request, String userText) {
        ToolConfiguration config = request.toolConfig();
        if (config == null || !config.hasTools() || config.tools().isEmpty()) {
            return List.of();
        }
        Map<String, ToolSpecification> specs = new LinkedHashMap<>();
        config.tools().forEach(t -> specs.put(t.toolSpec().name(), t.toolSpec()));
        List<String> chosen = new ArrayList<>();
        ToolChoice choice = config.toolChoice();
        if (choice != null && choice.tool() != null) {
            chosen.add(choice.tool().name());
        } else {
            Map<Integer, String> mentioned = new TreeMap<>();
            specs.keySet().forEach(name -> {
                int at = mentionAt(userText, name);
                if (at >= 0) {
                    mentioned.put(at, name);
                }
            });
            chosen.addAll(mentioned.values());
            if (chosen.isEmpty() && choice != null && choice.any() != null) {
                chosen.add(specs.keySet().iterator().next());
            }
        }
        List<ToolUseBlock> calls = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            ToolSpecification spec = specs.get(chosen.get(i));
            if (spec == null) {
                continue;
            }
            Object arguments = argumentsAfter(userText, spec.name());
            if (arguments == null) {
                Object schema = spec.inputSchema() == null ? null : Documents.plain(spec.inputSchema().json());
                arguments = schema instanceof Map<?, ?> map ? SchemaExample.of(map, userText) : Map.of();
            }
            calls.add(ToolUseBlock.builder()
                    .toolUseId("tooluse_echo_" + request.messages().size() + "_" + i)
                    .name(spec.name())
                    .input(Documents.of(arguments))
                    .build());
        }
        return calls;
    }

    /** Where the text names the tool as a word of its own (get_weather, not get_weather_today); -1 when it does not. */
    private static int mentionAt(String text, String name) {
        int from = 0;
        while (true) {
            int at = text.indexOf(name, from);
            if (at < 0) {
                return -1;
            }
            int end = at + name.length();
            boolean before = at == 0 || !isNamePart(text.charAt(at - 1));
            boolean after = end == text.length() || !isNamePart(text.charAt(end));
            if (before && after) {
                return at;
            }
            from = at + 1;
        }
    }

    private static boolean isNamePart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-';
    }

    /** The JSON object right after the tool's name in the text, if one is there and parses. */
    private static Object argumentsAfter(String text, String name) {
        int at = mentionAt(text, name);
        if (at < 0) {
            return null;
        }
        int open = at + name.length();
        while (open < text.length() && (Character.isWhitespace(text.charAt(open)) || text.charAt(open) == ':'
                || text.charAt(open) == '(')) {
            open++;
        }
        if (open >= text.length() || text.charAt(open) != '{') {
            return null;
        }
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                try {
                    Object value = Json.read(text.substring(open, i + 1));
                    return value instanceof Map ? value : null;
                } catch (IOException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static boolean hasToolResults(Message message) {
        return message.role() == ConversationRole.USER && message.content().stream().anyMatch(b -> b.toolResult() != null);
    }

    /** "get_weather returned: sunny" for each result of the last turn, by the name of the call it answers. */
    private static String toolResults(List<Message> messages, Message last) {
        Map<String, String> names = new LinkedHashMap<>();
        messages.forEach(m -> m.content().stream().filter(b -> b.toolUse() != null)
                .forEach(b -> names.put(b.toolUse().toolUseId(), b.toolUse().name())));
        List<String> parts = new ArrayList<>();
        for (ContentBlock block : last.content()) {
            if (block.toolResult() != null) {
                StringBuilder text = new StringBuilder();
                if (block.toolResult().hasContent()) {
                    block.toolResult().content().stream().map(ToolResultContentBlock::text).filter(t -> t != null)
                            .forEach(text::append);
                }
                parts.add(names.getOrDefault(block.toolResult().toolUseId(), block.toolResult().toolUseId())
                        + " returned: " + text);
            }
        }
        return String.join("; ", parts);
    }

    /** The schema of a structured-output request ({@code outputConfig.textFormat}), or null. */
    private static Map<?, ?> jsonSchema(ConverseRequest request) {
        if (request.outputConfig() == null || request.outputConfig().textFormat() == null
                || request.outputConfig().textFormat().structure() == null
                || request.outputConfig().textFormat().structure().jsonSchema() == null) {
            return null;
        }
        try {
            return Json.read(request.outputConfig().textFormat().structure().jsonSchema().schema()) instanceof Map<?, ?> m
                    ? m : Map.of();
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** " [png image, 1x1 pixels, 68 bytes]" for each image of the last user message. */
    private static String images(List<Message> messages) {
        StringBuilder described = new StringBuilder();
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message m = messages.get(i);
            if (m.role() == ConversationRole.USER) {
                for (ContentBlock block : m.content()) {
                    if (block.image() != null && block.image().source() != null && block.image().source().bytes() != null) {
                        byte[] bytes = block.image().source().bytes().asByteArray();
                        String size = ImageHeader.read(bytes).map(h -> h.width() + "x" + h.height() + " pixels, ")
                                .orElse("");
                        described.append(" [").append(block.image().formatAsString()).append(" image, ").append(size)
                                .append(bytes.length).append(" bytes]");
                    }
                }
                return described.toString();
            }
        }
        return "";
    }

    private static String lastUserText(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message m = messages.get(i);
            if (m.role() == ConversationRole.USER && m.content().stream().anyMatch(b -> b.toolResult() == null)) {
                StringBuilder text = new StringBuilder();
                m.content().stream().map(ContentBlock::text).filter(t -> t != null).forEach(t -> {
                    if (text.length() > 0) {
                        text.append('\n');
                    }
                    text.append(t);
                });
                return text.toString();
            }
        }
        return "";
    }

    // ---- embeddings

    /**
     * Embedding calls, in the body of the model family the id names: Titan ({@code inputText}) gets
     * {@code embedding} and {@code inputTextTokenCount}, Cohere ({@code texts}) gets {@code embeddings}
     * and Bedrock's token-count header. Each text's vector is a unit vector drawn from a generator
     * seeded with the text's SHA-256, so the same text always gives the same vector; its length is the
     * dimensions asked for, or the model's default.
     */
    @Override
    public InvokeModelResponse invokeModel(InvokeModelRequest request) {
        pause();
        Map<?, ?> body;
        try {
            body = Json.read(request.body().asByteArray()) instanceof Map<?, ?> map ? map : Map.of();
        } catch (IOException e) {
            throw ValidationException.builder().message("Malformed input request: not JSON").statusCode(400).build();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(200);
        if (body.get("inputText") instanceof String text) {
            int dims = body.get("dimensions") instanceof Number n ? n.intValue()
                    : request.modelId().contains("embed-text-v1") ? 1536 : 1024;
            answer.put("embedding", vector(text, dims));
            answer.put("inputTextTokenCount", tokens(text));
        } else if (body.get("texts") instanceof List<?> texts) {
            int dims = body.get("output_dimension") instanceof Number n ? n.intValue()
                    : request.modelId().contains("embed-v4") ? 1536 : 1024;
            List<List<Double>> vectors = new ArrayList<>();
            int tokens = 0;
            for (Object text : texts) {
                vectors.add(vector(String.valueOf(text), dims));
                tokens += tokens(String.valueOf(text));
            }
            answer.put("id", "echo");
            answer.put("embeddings", body.containsKey("embedding_types") ? Map.of("float", vectors) : vectors);
            answer.put("response_type", body.containsKey("embedding_types") ? "embeddings_by_type" : "embeddings_floats");
            answer.put("texts", texts);
            http.putHeader("X-Amzn-Bedrock-Input-Token-Count", Integer.toString(tokens));
        } else {
            throw ValidationException.builder().message("Malformed input request: no inputText or texts")
                    .statusCode(400).build();
        }
        InvokeModelResponse.Builder response = InvokeModelResponse.builder().contentType("application/json")
                .body(SdkBytes.fromByteArray(Json.writeBytes(answer)));
        response.sdkHttpResponse(http.build());
        return response.build();
    }

    /** A deterministic unit vector for a text. */
    static List<Double> vector(String text, int dims) {
        long seed;
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            seed = ByteBuffer.wrap(hash).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        Random generator = new Random(seed);
        double[] values = new double[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            values[i] = generator.nextGaussian();
            norm += values[i] * values[i];
        }
        double length = Math.sqrt(norm);
        List<Double> vector = new ArrayList<>(dims);
        for (double v : values) {
            vector.add(v / length);
        }
        return vector;
    }
}
