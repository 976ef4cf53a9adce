package io.llmgateway.backend.chat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated chat-completions request, in the gateway's own terms: neither OpenAI's JSON nor
 * Bedrock's types.
 *
 * @param alias             the public model name the client asked for, echoed in the response
 * @param modelId           the Bedrock model id or inference-profile id the alias maps to
 * @param system            system and developer messages, in order
 * @param turns             the conversation, with consecutive messages of one role merged into one turn
 *                          (tool results are user turns, as Converse wants them)
 * @param maxTokens         the output limit sent to Bedrock: the request's (capped) or the configured default
 * @param temperature       null when unset
 * @param topP              null when unset
 * @param stop              stop sequences, possibly empty
 * @param stream            answer as a buffered {@code text/event-stream}
 * @param includeUsage      {@code stream_options.include_usage}: end the stream with a usage chunk
 * @param tools             the functions offered, possibly empty
 * @param toolChoice        how the model may use them
 * @param parallelToolCalls false when the client wants at most one tool call per answer
 * @param responseFormat    text, any JSON object, or JSON of a schema
 * @param reasoning         the model's reasoning configuration, or null for none
 * @param cache             the prompt-cache points to send, fitted to the model's rules ({@link CachePlacement}),
 *                          and what was dropped
 */
public record ChatRequest(
        String alias,
        String modelId,
        List<String> system,
        List<Turn> turns,
        int maxTokens,
        Double temperature,
        Double topP,
        List<String> stop,
        boolean stream,
        boolean includeUsage,
        List<Tool> tools,
        ToolChoice toolChoice,
        boolean parallelToolCalls,
        ResponseFormat responseFormat,
        Reasoning reasoning,
        CachePlacement cache) {

    public ChatRequest {
        system = List.copyOf(system);
        turns = List.copyOf(turns);
        stop = List.copyOf(stop);
        tools = List.copyOf(tools);
        java.util.Objects.requireNonNull(cache, "cache");
    }

    /** A request without prompt-cache points. */
    public ChatRequest(String alias, String modelId, List<String> system, List<Turn> turns, int maxTokens,
                       Double temperature, Double topP, List<String> stop, boolean stream, boolean includeUsage,
                       List<Tool> tools, ToolChoice toolChoice, boolean parallelToolCalls,
                       ResponseFormat responseFormat, Reasoning reasoning) {
        this(alias, modelId, system, turns, maxTokens, temperature, topP, stop, stream, includeUsage, tools,
                toolChoice, parallelToolCalls, responseFormat, reasoning, CachePlacement.NONE);
    }

    /** A plain text request: no tools, no response format, no reasoning. */
    public ChatRequest(String alias, String modelId, List<String> system, List<Turn> turns, int maxTokens,
                       Double temperature, Double topP, List<String> stop, boolean stream, boolean includeUsage) {
        this(alias, modelId, system, turns, maxTokens, temperature, topP, stop, stream, includeUsage, List.of(),
                ToolChoice.AUTO, true, ResponseFormat.TEXT, null);
    }

    /**
     * The same request with another output limit (metering may lower it to what is left), and its
     * reasoning fitted within it ({@link ModelFeatures#fitted}): a lower budget, or none.
     */
    public ChatRequest withMaxTokens(int limit) {
        return new ChatRequest(alias, modelId, system, turns, limit, temperature, topP, stop, stream, includeUsage,
                tools, toolChoice, parallelToolCalls, responseFormat, ModelFeatures.fitted(reasoning, limit), cache);
    }

    /** The same request with these prompt-cache points. */
    public ChatRequest withCache(CachePlacement placement) {
        return new ChatRequest(alias, modelId, system, turns, maxTokens, temperature, topP, stop, stream, includeUsage,
                tools, toolChoice, parallelToolCalls, responseFormat, reasoning, placement);
    }

    /** One Converse message: a role and its content blocks. */
    public record Turn(Role role, List<Block> blocks) {
        public Turn {
            blocks = List.copyOf(blocks);
        }

        /** The texts of its text blocks. */
        public List<String> texts() {
            return blocks.stream().filter(Text.class::isInstance).map(b -> ((Text) b).text()).toList();
        }
    }

    public enum Role { USER, ASSISTANT }

    /** One content block of a turn. */
    public sealed interface Block permits Text, Image, ToolCall, ToolResult, Thinking {
    }

    public record Text(String text) implements Block {
    }

    /**
     * An image sent inline.
     *
     * @param format png, jpeg, gif or webp: what the bytes are, whatever the data URL said
     */
    public record Image(String format, byte[] bytes, int width, int height) implements Block {
    }

    /**
     * A tool call the assistant made (an earlier answer, sent back by the client).
     *
     * @param input the parsed arguments: a JSON object of plain maps, lists, strings, numbers, booleans
     */
    public record ToolCall(String id, String name, Map<String, Object> input) implements Block {
        public ToolCall {
            input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
        }
    }

    /** What a tool returned for the call {@code toolUseId}. */
    public record ToolResult(String toolUseId, String text) implements Block {
    }

    /**
     * A reasoning block of an earlier answer, sent back so the model can continue a turn it reasoned
     * in: Claude wants its thinking, with the signature, back on the turn that called a tool (Bedrock
     * user guide, "Extended thinking": "preserve thinking blocks").
     *
     * @param text      the reasoning text, with {@code signature}; null when redacted
     * @param signature the model's signature of the text; null when redacted
     * @param redacted  the model's encrypted reasoning, when it gave no text; else null
     */
    public record Thinking(String text, String signature, byte[] redacted) implements Block {
    }

    /**
     * A function the model may call.
     *
     * @param description null when none was given
     * @param schema      the JSON schema of its arguments
     */
    public record Tool(String name, String description, Map<String, Object> schema) {
    }

    /** OpenAI's {@code tool_choice}: none, auto, required, or one named function. */
    public record ToolChoice(Mode mode, String name) {
        public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
        public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
        public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

        public enum Mode { NONE, AUTO, REQUIRED, NAMED }
    }

    /**
     * OpenAI's {@code response_format}.
     *
     * @param name        the schema's name (json_schema), or the name of the forced tool for json_object
     * @param description null when none was given
     * @param schema      the JSON schema the answer must match; for json_object, any object
     */
    public record ResponseFormat(Type type, String name, String description, Map<String, Object> schema) {
        public static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, null, null, null);

        public enum Type { TEXT, JSON_OBJECT, JSON_SCHEMA }
    }

    /**
     * A prompt-cache checkpoint: Converse's {@code cachePoint} block after the content to cache (Bedrock
     * user guide, "Prompt caching for faster model inference",
     * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html).
     *
     * @param section where it goes: after a tool, a system prompt, or a message's content block
     * @param index   the tool's, the system prompt's or the turn's index
     * @param block   for {@code MESSAGES}, the index of the block within the turn it follows; else 0
     * @param oneHour the 1-hour TTL; else Bedrock's default, 5 minutes
     */
    public record CachePoint(Section section, int index, int block, boolean oneHour) {

        /** In Bedrock's order: tools, then system, then messages; the prefix each closes grows with it. */
        public enum Section { TOOLS, SYSTEM, MESSAGES }
    }

    /**
     * How the model is asked to reason: {@code additionalModelRequestFields} as each model family
     * takes them ({@link ModelFeatures#reasoning}).
     *
     * @param effort the client's {@code reasoning_effort}
     * @param fields the fields to send
     */
    public record Reasoning(String effort, Map<String, Object> fields) {
    }
}
