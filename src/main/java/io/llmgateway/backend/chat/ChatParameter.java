package io.llmgateway.backend.chat;

import static io.llmgateway.backend.internal.Fields.integer;
import static io.llmgateway.backend.internal.Fields.typeError;

import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chat Completions' request parameters, as a table: each one's name, the type it must have, its range,
 * and what the gateway does with it ({@link Use}). The parameters with a shape of their own
 * ({@code messages}, {@code tools}, {@code tool_choice}, {@code response_format},
 * {@code reasoning_effort}) are parsed by their own classes and listed here as {@link Use#SECTION}.
 *
 * <p>A parameter that would change the answer and that Converse cannot honour is refused with
 * {@code unsupported_parameter} unless it holds its default ({@link Use#DEFAULT_ONLY}): ignoring it would
 * return a different answer than the client asked for. Parameters that do not change the answer, and
 * those this gateway has never heard of, are ignored, as OpenAI ignores them.
 */
enum ChatParameter {

    // Parsed by their own section
    MODEL("model", Type.STRING, Range.ANY, Use.SECTION, "a configured alias the caller may use"),
    MESSAGES("messages", Type.ARRAY, Range.ANY, Use.SECTION, "MessagesParser"),
    TOOLS("tools", Type.ARRAY, Range.ANY, Use.SECTION, "ToolsParser"),
    TOOL_CHOICE("tool_choice", Type.ANY, Range.ANY, Use.SECTION, "ToolsParser"),
    RESPONSE_FORMAT("response_format", Type.OBJECT, Range.ANY, Use.SECTION, "OutputParser"),
    REASONING_EFFORT("reasoning_effort", Type.STRING, Range.ANY, Use.SECTION, "OutputParser"),

    // Mapped onto Converse
    PARALLEL_TOOL_CALLS("parallel_tool_calls", Type.BOOLEAN, Range.ANY, Use.MAPPED,
            "false: at most one tool call per answer"),
    MAX_TOKENS("max_tokens", Type.INTEGER, Range.atLeast(1), Use.MAPPED,
            "inferenceConfig.maxTokens, lowered to the ceiling (OpenAI's deprecated name)"),
    MAX_COMPLETION_TOKENS("max_completion_tokens", Type.INTEGER, Range.atLeast(1), Use.MAPPED,
            "inferenceConfig.maxTokens, lowered to the ceiling"),
    TEMPERATURE("temperature", Type.NUMBER, Range.between(0, 2), Use.MAPPED, "inferenceConfig.temperature"),
    TOP_P("top_p", Type.NUMBER, Range.between(0, 1), Use.MAPPED, "inferenceConfig.topP"),
    STOP("stop", Type.STRING_OR_STRINGS, Range.between(0, ChatParameter.MAX_STOP_SEQUENCES), Use.MAPPED,
            "inferenceConfig.stopSequences; the range is the array's length"),
    STREAM("stream", Type.BOOLEAN, Range.ANY, Use.MAPPED, "a text/event-stream answer"),
    STREAM_OPTIONS("stream_options", Type.OBJECT, Range.ANY, Use.MAPPED,
            "include_usage (a boolean): a last chunk with the usage; only with stream"),

    // Refused unless they hold their default
    FUNCTIONS("functions", Type.ANY, Range.ANY, Use.DEFAULT_ONLY,
            "'functions' is OpenAI's deprecated function calling; send 'tools'.", List.of()),
    FUNCTION_CALL("function_call", Type.ANY, Range.ANY, Use.DEFAULT_ONLY,
            "'function_call' is OpenAI's deprecated function calling; send 'tool_choice'.", "none", "auto"),
    N("n", Type.INTEGER, Range.between(1, 1), Use.DEFAULT_ONLY,
            "Only one choice per request (n = 1) is supported by this gateway."),
    LOGPROBS("logprobs", Type.BOOLEAN, Range.ANY, Use.DEFAULT_ONLY,
            "Log probabilities are not available through this gateway.", false),
    TOP_LOGPROBS("top_logprobs", Type.INTEGER, Range.between(0, 0), Use.DEFAULT_ONLY,
            "Log probabilities are not available through this gateway."),
    PRESENCE_PENALTY("presence_penalty", Type.NUMBER, Range.between(0, 0), Use.DEFAULT_ONLY,
            "'presence_penalty' is not supported by this gateway; leave it unset or 0."),
    FREQUENCY_PENALTY("frequency_penalty", Type.NUMBER, Range.between(0, 0), Use.DEFAULT_ONLY,
            "'frequency_penalty' is not supported by this gateway; leave it unset or 0."),
    LOGIT_BIAS("logit_bias", Type.ANY, Range.ANY, Use.DEFAULT_ONLY,
            "'logit_bias' is not supported by this gateway.", Map.of()),
    MODALITIES("modalities", Type.ANY, Range.ANY, Use.DEFAULT_ONLY,
            "Only the 'text' modality is supported by this gateway.", List.of("text")),
    AUDIO("audio", Type.ANY, Range.ANY, Use.REFUSED, "'audio' is not supported by this gateway."),
    PREDICTION("prediction", Type.ANY, Range.ANY, Use.REFUSED, "'prediction' is not supported by this gateway."),
    WEB_SEARCH_OPTIONS("web_search_options", Type.ANY, Range.ANY, Use.REFUSED,
            "'web_search_options' is not supported by this gateway."),
    VERBOSITY("verbosity", Type.ANY, Range.ANY, Use.REFUSED, "'verbosity' is not supported by this gateway."),

    // Ignored: they do not change the answer
    USER("user", Type.STRING, Range.ANY, Use.IGNORED, "an end-user id, for OpenAI's abuse monitoring"),
    SEED("seed", Type.ANY, Range.ANY, Use.IGNORED, "Converse has no seed; OpenAI's is best effort"),
    STORE("store", Type.ANY, Range.ANY, Use.IGNORED, "OpenAI's stored completions"),
    METADATA("metadata", Type.ANY, Range.ANY, Use.IGNORED, "OpenAI's stored completions"),
    SERVICE_TIER("service_tier", Type.ANY, Range.ANY, Use.IGNORED, "OpenAI's processing tiers");

    /** OpenAI's limit on stop sequences. */
    static final int MAX_STOP_SEQUENCES = 4;

    /** What the gateway does with a parameter. */
    enum Use {
        /** Parsed by its own class (messages, tools, response format, reasoning). */
        SECTION,
        /** Checked against its type and range, and sent to Bedrock. */
        MAPPED,
        /** Refused with {@code unsupported_parameter} unless absent or its default. */
        DEFAULT_ONLY,
        /** Refused with {@code unsupported_parameter} unless absent. */
        REFUSED,
        /** Accepted and ignored (a type, when given, is still checked). */
        IGNORED
    }

    /** The JSON type a parameter must have; {@link #ANY} is not checked. */
    enum Type {
        ANY(null), BOOLEAN("a boolean"), INTEGER("an integer"), NUMBER("a number"), STRING("a string"),
        STRING_OR_STRINGS("a string or an array of strings"), ARRAY("an array"), OBJECT("an object");

        /** How an error names it: "expected a boolean". */
        final String expected;

        Type(String expected) {
            this.expected = expected;
        }
    }

    /** The values a number or an integer may take, both ends included. */
    record Range(double min, double max) {
        static final Range ANY = new Range(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

        static Range atLeast(double min) {
            return new Range(min, Double.POSITIVE_INFINITY);
        }

        static Range between(double min, double max) {
            return new Range(min, max);
        }

        boolean contains(double value) {
            return value >= min && value <= max;
        }
    }

    final String key;
    final Type type;
    final Range range;
    final Use use;
    /** For a refused parameter, what the client is told; otherwise what it maps to. */
    final String note;
    /** For {@link Use#DEFAULT_ONLY} of {@link Type#ANY}: the values that ask for nothing Converse lacks. */
    final List<Object> defaults;

    ChatParameter(String key, Type type, Range range, Use use, String note, Object... defaults) {
        this.key = key;
        this.type = type;
        this.range = range;
        this.use = use;
        this.note = note;
        this.defaults = List.of(defaults);
    }

    /** Refuses each {@link Use#DEFAULT_ONLY} and {@link Use#REFUSED} parameter that asks for more, in table order. */
    static void rejectUnsupported(Map<?, ?> body) throws RequestError {
        for (ChatParameter parameter : values()) {
            if (parameter.use == Use.DEFAULT_ONLY || parameter.use == Use.REFUSED) {
                parameter.onlyDefault(body.get(parameter.key));
            }
        }
    }

    private void onlyDefault(Object value) throws RequestError {
        if (value == null) {
            return;
        }
        switch (type) {
            case INTEGER -> {
                // OpenAI's minimum is also its default: below it is invalid, above it is refused.
                if (atLeastTheMinimum(value) > range.max()) {
                    throw unsupported();
                }
            }
            case NUMBER -> {
                if (!(value instanceof Number number)) {
                    throw typeError(key, type.expected, value);
                }
                if (!range.contains(number.doubleValue())) {
                    throw unsupported();
                }
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean)) {
                    throw typeError(key, type.expected, value);
                }
                if (!defaults.contains(value)) {
                    throw unsupported();
                }
            }
            default -> {
                if (!defaults.contains(value)) {
                    throw unsupported();
                }
            }
        }
    }

    private RequestError unsupported() {
        return new RequestError(OpenAiError.unsupported(key, note));
    }

    /** A boolean parameter; null when unset. */
    Boolean bool(Map<?, ?> body) throws RequestError {
        return typed(body, Boolean.class);
    }

    /** A string parameter; null when unset. */
    String string(Map<?, ?> body) throws RequestError {
        return typed(body, String.class);
    }

    private <T> T typed(Map<?, ?> body, Class<T> javaType) throws RequestError {
        Object value = body.get(key);
        if (value == null) {
            return null;
        }
        if (!javaType.isInstance(value)) {
            throw typeError(key, type.expected, value);
        }
        return javaType.cast(value);
    }

    /** A number within the range; null when unset. */
    Double number(Map<?, ?> body) throws RequestError {
        Object value = body.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)) {
            throw typeError(key, type.expected, value);
        }
        double d = number.doubleValue();
        if (!range.contains(d)) {
            throw new RequestError(OpenAiError.invalidValue(key,
                    "Invalid '" + key + "': expected a value between " + Text.number(range.min()) + " and "
                            + Text.number(range.max()) + ", but got " + Text.truncate(String.valueOf(value)) + " instead."));
        }
        return d;
    }

    /** A count of tokens, at least the range's minimum; null when unset. */
    Long tokens(Map<?, ?> body) throws RequestError {
        Object value = body.get(key);
        if (value == null) {
            return null;
        }
        return atLeastTheMinimum(value);
    }

    /** An integer no lower than the range's minimum, as OpenAI words the error below it. */
    private long atLeastTheMinimum(Object value) throws RequestError {
        long count = integer(key, value);
        if (count < range.min()) {
            throw new RequestError(OpenAiError.invalidValue(key, "Invalid '" + key
                    + "': integer below minimum value. Expected a value >= " + (long) range.min() + "."));
        }
        return count;
    }

    /** {@code stop}: one string or up to the range's maximum of them. */
    static List<String> stop(Map<?, ?> body) throws RequestError {
        Object value = body.get(STOP.key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (!(value instanceof List<?> list)) {
            throw typeError(STOP.key, STOP.type.expected, value);
        }
        if (list.size() > STOP.range.max()) {
            throw new RequestError(OpenAiError.invalidValue(STOP.key,
                    "Invalid 'stop': array too long. Expected an array with maximum length "
                            + MAX_STOP_SEQUENCES + ", but got an array with length " + list.size() + " instead."));
        }
        List<String> stop = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw typeError("stop[" + i + "]", "a string", list.get(i));
            }
            stop.add(s);
        }
        return stop;
    }

    /** {@code stream_options.include_usage}; the options are only allowed with {@code stream}. */
    static boolean includeUsage(Map<?, ?> body, boolean stream) throws RequestError {
        Object value = body.get(STREAM_OPTIONS.key);
        if (value == null) {
            return false;
        }
        if (!(value instanceof Map<?, ?> options)) {
            throw typeError(STREAM_OPTIONS.key, STREAM_OPTIONS.type.expected, value);
        }
        if (!stream) {
            throw new RequestError(OpenAiError.invalidRequest(STREAM_OPTIONS.key,
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled."));
        }
        Object includeUsage = options.get("include_usage");
        if (includeUsage != null && !(includeUsage instanceof Boolean)) {
            throw typeError("stream_options.include_usage", "a boolean", includeUsage);
        }
        return Boolean.TRUE.equals(includeUsage);
    }

    /**
     * {@code max_completion_tokens} (current) or {@code max_tokens} (deprecated by OpenAI, still sent by
     * many clients). Unset takes the configured default rather than Bedrock's own, which can be the
     * model's maximum: Bedrock reserves quota for input + maxTokens up front
     * (Bedrock user guide, "Quotas for Amazon Bedrock", token burndown:
     * https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html). Above the ceiling,
     * the value is lowered to the ceiling rather than refused, the way OpenAI's models treat a limit above
     * their maximum output: the answer is only shorter when it would have exceeded the ceiling, and then
     * says so with {@code finish_reason: length}.
     */
    static int maxTokens(Map<?, ?> body, int byDefault, int ceiling) throws RequestError {
        Long maxTokens = MAX_TOKENS.tokens(body);
        Long maxCompletionTokens = MAX_COMPLETION_TOKENS.tokens(body);
        if (maxTokens != null && maxCompletionTokens != null && !maxTokens.equals(maxCompletionTokens)) {
            throw new RequestError(OpenAiError.invalidValue(MAX_TOKENS.key,
                    "'max_tokens' and 'max_completion_tokens' differ; send only one of them."));
        }
        Long requested = maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
        if (requested == null) {
            return Math.min(byDefault, ceiling);
        }
        return (int) Math.min(requested, ceiling);
    }
}
