package io.llmgateway.backend.internal;

import static io.llmgateway.backend.internal.Fields.describe;
import static io.llmgateway.backend.internal.Fields.integer;
import static io.llmgateway.backend.internal.Fields.optional;
import static io.llmgateway.backend.internal.Fields.requiredString;
import static io.llmgateway.backend.internal.Fields.typeError;

import io.llmgateway.backend.internal.ChatRequest.Role;
import io.llmgateway.backend.internal.ChatRequest.Turn;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.common.ModelKind;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an OpenAI Chat Completions body into a {@link ChatRequest}, or refuses it with the error
 * OpenAI would give, naming the field.
 *
 * <p>A field that would change the answer and that Bedrock's Converse call cannot honour (tools,
 * images, {@code n > 1}, log-probabilities, penalties, JSON mode, ...) is refused with
 * {@code unsupported_parameter}: ignoring it would return a different answer than the client asked
 * for. Fields that do not change the answer ({@code seed}, {@code store}, {@code metadata},
 * {@code user}, ...) and fields this gateway has never heard of are ignored, as OpenAI ignores them.
 */
public final class ChatRequestParser {

    /** OpenAI's limit on stop sequences. */
    static final int MAX_STOP_SEQUENCES = 4;

    /** Fields whose mere presence (anything but null) asks for something Converse can't do here. */
    private static final List<String> UNSUPPORTED_WHEN_SET = List.of(
            "audio", "prediction", "reasoning_effort", "web_search_options", "verbosity");

    /** Content part types OpenAI defines that are not text. */
    private static final Set<String> NON_TEXT_PARTS = Set.of("image_url", "input_audio", "file", "refusal");

    private final BackendSettings settings;

    public ChatRequestParser(BackendSettings settings) {
        this.settings = settings;
    }

    /**
     * @param json        the parsed body: maps, lists, strings, numbers, booleans and null
     * @param entitlement the caller's: a model it may not use does not exist for it
     * @throws RequestError a 400 naming the field at fault, or a 404 for an unknown model alias
     */
    public ChatRequest parse(Object json, Metering.Entitlement entitlement) throws RequestError {
        if (!(json instanceof Map<?, ?> body)) {
            throw new RequestError(OpenAiError.invalidType(null,
                    "The request body must be a JSON object, but got " + describe(json) + " instead."));
        }
        String alias = requiredString(body, "model");
        String modelId = ConfiguredModel.lookup(settings, entitlement, alias, ModelKind.CHAT).modelId();

        List<String> system = new ArrayList<>();
        List<Turn> turns = parseMessages(body.get("messages"), system);

        rejectUnsupported(body);
        int maxTokens = maxTokens(body, Math.min(settings.maxTokensCeiling(),
                entitlement.maxTokensCeiling().orElse(Integer.MAX_VALUE)));
        Double temperature = number(body, "temperature", 0, 2);
        Double topP = number(body, "top_p", 0, 1);
        List<String> stop = stop(body.get("stop"));
        boolean stream = Boolean.TRUE.equals(optional(body, "stream", Boolean.class, "a boolean"));
        boolean includeUsage = streamOptions(body, stream);
        optional(body, "user", String.class, "a string");

        return new ChatRequest(alias, modelId, system, turns, maxTokens, temperature, topP, stop,
                stream, includeUsage);
    }

    // ---- messages

    private List<Turn> parseMessages(Object value, List<String> system) throws RequestError {
        if (value == null) {
            throw new RequestError(OpenAiError.missingParameter("messages"));
        }
        if (!(value instanceof List<?> messages)) {
            throw typeError("messages", "an array", value);
        }
        if (messages.isEmpty()) {
            throw new RequestError(OpenAiError.invalidValue("messages",
                    "Invalid 'messages': empty array. Expected an array with minimum length 1."));
        }
        List<Role> roles = new ArrayList<>();
        List<List<String>> blocks = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            String at = "messages[" + i + "]";
            if (!(messages.get(i) instanceof Map<?, ?> message)) {
                throw typeError(at, "an object", messages.get(i));
            }
            String role = role(message, at);
            rejectToolUse(message, at);
            List<String> content = content(message.get("content"), at + ".content");
            if (role.equals("system") || role.equals("developer")) {
                // Converse keeps system prompts apart from the conversation, so their position among
                // the messages is not kept; their order among themselves is.
                system.addAll(content);
                continue;
            }
            Role current = role.equals("user") ? Role.USER : Role.ASSISTANT;
            if (roles.isEmpty() || roles.get(roles.size() - 1) != current) {
                // Converse wants user and assistant to alternate: consecutive messages of one role
                // become one message with several content blocks.
                roles.add(current);
                blocks.add(new ArrayList<>());
            }
            blocks.get(blocks.size() - 1).addAll(content);
        }
        if (roles.isEmpty()) {
            throw new RequestError(OpenAiError.invalidValue("messages",
                    "Invalid 'messages': it must contain at least one user or assistant message."));
        }
        List<Turn> turns = new ArrayList<>(roles.size());
        for (int t = 0; t < roles.size(); t++) {
            turns.add(new Turn(roles.get(t), blocks.get(t)));
        }
        return turns;
    }

    private static String role(Map<?, ?> message, String at) throws RequestError {
        Object value = message.get("role");
        String param = at + ".role";
        if (value == null) {
            throw new RequestError(OpenAiError.missingParameter(param));
        }
        if (!(value instanceof String role)) {
            throw typeError(param, "a string", value);
        }
        switch (role) {
            case "system", "developer", "user", "assistant" -> {
                return role;
            }
            case "tool", "function" -> throw new RequestError(OpenAiError.unsupported(param,
                    "Messages with role '" + role + "' are not supported: this gateway does not support "
                            + "tool or function calling."));
            default -> throw new RequestError(OpenAiError.invalidValue(param,
                    "Invalid value: '" + Text.truncate(role) + "'. Supported values are: 'system', 'developer', "
                            + "'user' and 'assistant'."));
        }
    }

    private static void rejectToolUse(Map<?, ?> message, String at) throws RequestError {
        for (String field : List.of("tool_calls", "function_call", "audio")) {
            Object value = message.get(field);
            if (value != null && !(value instanceof List<?> list && list.isEmpty())) {
                throw new RequestError(OpenAiError.unsupported(at + "." + field,
                        "'" + field + "' in messages is not supported by this gateway."));
            }
        }
    }

    /** The texts of one message's {@code content}: a string, or an array of text parts. */
    private static List<String> content(Object value, String param) throws RequestError {
        if (value == null) {
            throw new RequestError(OpenAiError.missingParameter(param));
        }
        if (value instanceof String text) {
            if (text.isEmpty()) {
                throw new RequestError(OpenAiError.invalidValue(param,
                        "Invalid '" + param + "': empty string. Expected a non-empty string."));
            }
            return List.of(text);
        }
        if (!(value instanceof List<?> parts)) {
            throw typeError(param, "a string or an array of content parts", value);
        }
        if (parts.isEmpty()) {
            throw new RequestError(OpenAiError.invalidValue(param,
                    "Invalid '" + param + "': empty array. Expected an array with minimum length 1."));
        }
        List<String> texts = new ArrayList<>(parts.size());
        for (int j = 0; j < parts.size(); j++) {
            String at = param + "[" + j + "]";
            if (!(parts.get(j) instanceof Map<?, ?> part)) {
                throw typeError(at, "an object", parts.get(j));
            }
            Object type = part.get("type");
            if (type == null) {
                throw new RequestError(OpenAiError.missingParameter(at + ".type"));
            }
            if (!(type instanceof String typeName)) {
                throw typeError(at + ".type", "a string", type);
            }
            if (NON_TEXT_PARTS.contains(typeName)) {
                throw new RequestError(OpenAiError.unsupported(at + ".type",
                        "Content parts of type '" + typeName + "' are not supported by this gateway; "
                                + "only 'text' parts are."));
            }
            if (!typeName.equals("text")) {
                throw new RequestError(OpenAiError.invalidValue(at + ".type",
                        "Invalid value: '" + Text.truncate(typeName) + "'. Supported values are: 'text'."));
            }
            Object text = part.get("text");
            if (text == null) {
                throw new RequestError(OpenAiError.missingParameter(at + ".text"));
            }
            if (!(text instanceof String s)) {
                throw typeError(at + ".text", "a string", text);
            }
            texts.add(s);
        }
        return texts;
    }

    // ---- parameters

    private static void rejectUnsupported(Map<?, ?> body) throws RequestError {
        Object tools = body.get("tools");
        if (tools != null && !(tools instanceof List<?> list && list.isEmpty())) {
            throw unsupported("tools", "Tool calling is not supported by this gateway.");
        }
        Object functions = body.get("functions");
        if (functions != null && !(functions instanceof List<?> list && list.isEmpty())) {
            throw unsupported("functions", "Function calling is not supported by this gateway.");
        }
        // "none" and "auto" without tools ask for a plain answer, which is what Converse gives.
        for (String field : List.of("tool_choice", "function_call")) {
            Object choice = body.get(field);
            if (choice != null && !"none".equals(choice) && !"auto".equals(choice)) {
                throw unsupported(field, "Tool calling is not supported by this gateway.");
            }
        }
        onlyDefault(body, "n", 1, "Only one choice per request (n = 1) is supported by this gateway.");
        Object logprobs = body.get("logprobs");
        if (logprobs != null) {
            if (!(logprobs instanceof Boolean b)) {
                throw typeError("logprobs", "a boolean", logprobs);
            }
            if (b) {
                throw unsupported("logprobs", "Log probabilities are not available through this gateway.");
            }
        }
        onlyDefault(body, "top_logprobs", 0, "Log probabilities are not available through this gateway.");
        Object responseFormat = body.get("response_format");
        if (responseFormat != null
                && !(responseFormat instanceof Map<?, ?> format && "text".equals(format.get("type")))) {
            throw unsupported("response_format",
                    "Only response_format {\"type\": \"text\"} is supported by this gateway.");
        }
        for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
            Object value = body.get(penalty);
            if (value != null) {
                if (!(value instanceof Number number)) {
                    throw typeError(penalty, "a number", value);
                }
                if (number.doubleValue() != 0) {
                    throw unsupported(penalty, "'" + penalty + "' is not supported by this gateway; "
                            + "leave it unset or 0.");
                }
            }
        }
        Object logitBias = body.get("logit_bias");
        if (logitBias != null && !(logitBias instanceof Map<?, ?> map && map.isEmpty())) {
            throw unsupported("logit_bias", "'logit_bias' is not supported by this gateway.");
        }
        Object modalities = body.get("modalities");
        if (modalities != null && !(modalities instanceof List<?> list && list.equals(List.of("text")))) {
            throw unsupported("modalities", "Only the 'text' modality is supported by this gateway.");
        }
        for (String field : UNSUPPORTED_WHEN_SET) {
            if (body.get(field) != null) {
                throw unsupported(field, "'" + field + "' is not supported by this gateway.");
            }
        }
    }

    /**
     * {@code max_completion_tokens} (current) or {@code max_tokens} (deprecated by OpenAI, still sent by
     * many clients). Unset takes the configured default rather than Bedrock's own, which can be the
     * model's maximum: Bedrock reserves quota for input + maxTokens up front
     * (Bedrock user guide, "Quotas for Amazon Bedrock", token burndown:
     * https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html). Above the ceiling, the value is lowered to the
     * ceiling rather than refused, the way OpenAI's models treat a limit above their maximum output:
     * the answer is only shorter when it would have exceeded the ceiling, and then says so with
     * {@code finish_reason: length}.
     */
    private int maxTokens(Map<?, ?> body, int ceiling) throws RequestError {
        Long maxTokens = tokens(body, "max_tokens");
        Long maxCompletionTokens = tokens(body, "max_completion_tokens");
        if (maxTokens != null && maxCompletionTokens != null && !maxTokens.equals(maxCompletionTokens)) {
            throw new RequestError(OpenAiError.invalidValue("max_tokens",
                    "'max_tokens' and 'max_completion_tokens' differ; send only one of them."));
        }
        Long requested = maxCompletionTokens != null ? maxCompletionTokens : maxTokens;
        if (requested == null) {
            return Math.min(settings.maxTokensDefault(), ceiling);
        }
        return (int) Math.min(requested, ceiling);
    }

    private static Long tokens(Map<?, ?> body, String field) throws RequestError {
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        long tokens = integer(field, value);
        if (tokens < 1) {
            throw new RequestError(OpenAiError.invalidValue(field,
                    "Invalid '" + field + "': integer below minimum value. Expected a value >= 1."));
        }
        return tokens;
    }

    private static Double number(Map<?, ?> body, String field, double min, double max) throws RequestError {
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number)) {
            throw typeError(field, "a number", value);
        }
        double d = number.doubleValue();
        if (!(d >= min && d <= max)) {
            throw new RequestError(OpenAiError.invalidValue(field,
                    "Invalid '" + field + "': expected a value between " + Text.number(min) + " and " + Text.number(max)
                            + ", but got " + Text.truncate(String.valueOf(value)) + " instead."));
        }
        return d;
    }

    private static List<String> stop(Object value) throws RequestError {
        if (value == null) {
            return List.of();
        }
        if (value instanceof String s) {
            return List.of(s);
        }
        if (!(value instanceof List<?> list)) {
            throw typeError("stop", "a string or an array of strings", value);
        }
        if (list.size() > MAX_STOP_SEQUENCES) {
            throw new RequestError(OpenAiError.invalidValue("stop",
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

    private static boolean streamOptions(Map<?, ?> body, boolean stream) throws RequestError {
        Object value = body.get("stream_options");
        if (value == null) {
            return false;
        }
        if (!(value instanceof Map<?, ?> options)) {
            throw typeError("stream_options", "an object", value);
        }
        if (!stream) {
            throw new RequestError(OpenAiError.invalidRequest("stream_options",
                    "The 'stream_options' parameter is only allowed when 'stream' is enabled."));
        }
        Object includeUsage = options.get("include_usage");
        if (includeUsage != null && !(includeUsage instanceof Boolean)) {
            throw typeError("stream_options.include_usage", "a boolean", includeUsage);
        }
        return Boolean.TRUE.equals(includeUsage);
    }

    // ---- helpers

    /**
     * An integer field whose only supported value is its OpenAI minimum (which is also its default):
     * below it is invalid, above it would change the answer and is refused.
     */
    private static void onlyDefault(Map<?, ?> body, String field, long minimum, String unsupportedMessage)
            throws RequestError {
        Object value = body.get(field);
        if (value == null) {
            return;
        }
        long count = integer(field, value);
        if (count < minimum) {
            throw new RequestError(OpenAiError.invalidValue(field, "Invalid '" + field
                    + "': integer below minimum value. Expected a value >= " + minimum + "."));
        }
        if (count > minimum) {
            throw unsupported(field, unsupportedMessage);
        }
    }

    private static RequestError unsupported(String field, String message) {
        return new RequestError(OpenAiError.unsupported(field, message));
    }

}
