package io.llmgateway.backend.chat;

import static io.llmgateway.backend.internal.Fields.describe;
import static io.llmgateway.backend.internal.Fields.integer;
import static io.llmgateway.backend.internal.Fields.optional;
import static io.llmgateway.backend.internal.Fields.requiredString;
import static io.llmgateway.backend.internal.Fields.typeError;

import io.llmgateway.backend.chat.ChatRequest.Block;
import io.llmgateway.backend.chat.ChatRequest.ResponseFormat;
import io.llmgateway.backend.chat.ChatRequest.Role;
import io.llmgateway.backend.chat.ChatRequest.Tool;
import io.llmgateway.backend.chat.ChatRequest.ToolCall;
import io.llmgateway.backend.chat.ChatRequest.ToolChoice;
import io.llmgateway.backend.chat.ChatRequest.ToolResult;
import io.llmgateway.backend.chat.ChatRequest.Turn;
import io.llmgateway.backend.internal.ConfiguredModel;
import io.llmgateway.backend.internal.Fields;
import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.common.ModelKind;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns an OpenAI Chat Completions body into a {@link ChatRequest}, or refuses it with the error
 * OpenAI would give, naming the field.
 *
 * <p>Tools, tool calls and results, inline images, JSON output and reasoning effort are mapped onto
 * Converse. A field that would change the answer and that Converse cannot honour ({@code n > 1},
 * log-probabilities, penalties, audio, remote image URLs, ...) is refused with
 * {@code unsupported_parameter}: ignoring it would return a different answer than the client asked
 * for. Fields that do not change the answer ({@code seed}, {@code store}, {@code metadata},
 * {@code user}, ...) and fields this gateway has never heard of are ignored, as OpenAI ignores them.
 */
public final class ChatRequestParser {

    /** OpenAI's limit on stop sequences. */
    static final int MAX_STOP_SEQUENCES = 4;
    /** OpenAI's limit on tools per request. */
    static final int MAX_TOOLS = 128;
    /**
     * Converse's limits on images (Bedrock API reference, "Message": up to 20 images, each at most
     * 3.75 MB and 8000 px wide and high; images only in user messages).
     */
    static final int MAX_IMAGES = 20;
    static final int MAX_IMAGE_BYTES = 3_932_160;
    static final int MAX_IMAGE_SIDE = 8000;
    /** Tool names and call ids as Converse takes them (Bedrock API reference, "ToolSpecification", "ToolUseBlock"). */
    static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
    /** The forced tool that carries {@code response_format: json_object} where the model has no JSON mode. */
    static final String JSON_OBJECT_TOOL = "json_object";

    /** Fields whose mere presence (anything but null) asks for something Converse can't do here. */
    private static final List<String> UNSUPPORTED_WHEN_SET = List.of(
            "audio", "prediction", "web_search_options", "verbosity");

    /** Content part types OpenAI defines that Converse cannot take here. */
    private static final Set<String> UNSUPPORTED_PARTS = Set.of("input_audio", "file");
    private static final Pattern DATA_URL = Pattern.compile("data:([^;,]*)((?:;[^;,]*)*),(.*)", Pattern.DOTALL);
    private static final List<String> IMAGE_TYPES = List.of("image/png", "image/jpeg", "image/jpg", "image/gif",
            "image/webp");

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
        List<Turn> turns = new Messages().parse(body.get("messages"), system);

        rejectUnsupported(body);
        List<Tool> tools = tools(body.get("tools"));
        ToolChoice toolChoice = toolChoice(body.get("tool_choice"), tools);
        Boolean parallel = optional(body, "parallel_tool_calls", Boolean.class, "a boolean");
        ResponseFormat responseFormat = responseFormat(body.get("response_format"), tools);
        int maxTokens = maxTokens(body, Math.min(settings.maxTokensCeiling(),
                entitlement.maxTokensCeiling().orElse(Integer.MAX_VALUE)));
        Double temperature = number(body, "temperature", 0, 2);
        Double topP = number(body, "top_p", 0, 1);
        List<String> stop = stop(body.get("stop"));
        boolean stream = Boolean.TRUE.equals(optional(body, "stream", Boolean.class, "a boolean"));
        boolean includeUsage = streamOptions(body, stream);
        optional(body, "user", String.class, "a string");
        ChatRequest.Reasoning reasoning = reasoning(body.get("reasoning_effort"), alias, modelId, maxTokens);

        return new ChatRequest(alias, modelId, system, turns, maxTokens, temperature, topP, stop,
                stream, includeUsage, tools, toolChoice, !Boolean.FALSE.equals(parallel), responseFormat, reasoning);
    }

    // ---- messages

    /** One pass over {@code messages}: it counts images across them. */
    private static final class Messages {
        private int images;

        List<Turn> parse(Object value, List<String> system) throws RequestError {
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
            List<List<Block>> blocks = new ArrayList<>();
            for (int i = 0; i < messages.size(); i++) {
                String at = "messages[" + i + "]";
                if (!(messages.get(i) instanceof Map<?, ?> message)) {
                    throw typeError(at, "an object", messages.get(i));
                }
                String role = role(message, at);
                List<Block> content;
                switch (role) {
                    case "system", "developer" -> {
                        // Converse keeps system prompts apart from the conversation, so their position among
                        // the messages is not kept; their order among themselves is.
                        system.addAll(texts(message.get("content"), at + ".content"));
                        continue;
                    }
                    case "user" -> content = userContent(message.get("content"), at + ".content");
                    case "assistant" -> content = assistant(message, at);
                    default -> content = List.of(toolResult(message, at));
                }
                Role current = role.equals("assistant") ? Role.ASSISTANT : Role.USER;
                if (roles.isEmpty() || roles.get(roles.size() - 1) != current) {
                    // Converse wants user and assistant to alternate: consecutive messages of one role
                    // become one message with several content blocks, and consecutive tool results one
                    // user message, as Converse requires.
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

        /** A user message: a string, or text and image parts. */
        private List<Block> userContent(Object value, String param) throws RequestError {
            List<Block> blocks = new ArrayList<>();
            for (Object[] part : parts(value, param)) {
                String at = (String) part[0];
                Map<?, ?> map = (Map<?, ?>) part[1];
                String type = (String) part[2];
                if (type.equals("image_url")) {
                    blocks.add(image(map, at));
                } else {
                    blocks.add(new ChatRequest.Text(partText(map, at)));
                }
            }
            return blocks;
        }

        /** An assistant message: its text (possibly none when it called tools) and its tool calls. */
        private List<Block> assistant(Map<?, ?> message, String at) throws RequestError {
            Object functionCall = message.get("function_call");
            if (functionCall != null) {
                throw new RequestError(OpenAiError.unsupported(at + ".function_call", "'function_call' in messages "
                        + "is OpenAI's deprecated form; send 'tool_calls' instead."));
            }
            if (message.get("audio") != null) {
                throw new RequestError(OpenAiError.unsupported(at + ".audio",
                        "'audio' in messages is not supported by this gateway."));
            }
            List<Block> calls = toolCalls(message.get("tool_calls"), at + ".tool_calls");
            Object content = message.get("content");
            List<Block> blocks = new ArrayList<>();
            boolean emptyText = content == null || "".equals(content)
                    || (content instanceof List<?> list && list.isEmpty());
            if (!(emptyText && !calls.isEmpty())) {
                for (String text : texts(content, at + ".content")) {
                    blocks.add(new ChatRequest.Text(text));
                }
            }
            blocks.addAll(calls);
            return blocks;
        }

        private List<Block> toolCalls(Object value, String param) throws RequestError {
            if (value == null) {
                return List.of();
            }
            if (!(value instanceof List<?> list)) {
                throw typeError(param, "an array", value);
            }
            List<Block> calls = new ArrayList<>(list.size());
            for (int j = 0; j < list.size(); j++) {
                String at = param + "[" + j + "]";
                if (!(list.get(j) instanceof Map<?, ?> call)) {
                    throw typeError(at, "an object", list.get(j));
                }
                String id = id(call.get("id"), at + ".id");
                Object type = call.get("type");
                if (type != null && !"function".equals(type)) {
                    throw new RequestError(OpenAiError.invalidValue(at + ".type", "Invalid value: "
                            + Text.quote(String.valueOf(type)) + ". Supported values are: 'function'."));
                }
                if (!(call.get("function") instanceof Map<?, ?> function)) {
                    throw call.get("function") == null ? new RequestError(OpenAiError.missingParameter(at + ".function"))
                            : typeError(at + ".function", "an object", call.get("function"));
                }
                String name = toolName(requiredString(function, "name", at + ".function.name"), at + ".function.name");
                calls.add(new ToolCall(id, name, arguments(function.get("arguments"), at + ".function.arguments")));
            }
            return calls;
        }

        private ToolResult toolResult(Map<?, ?> message, String at) throws RequestError {
            String id = id(message.get("tool_call_id"), at + ".tool_call_id");
            Object content = message.get("content");
            // A tool may return nothing; Converse wants some text in a result, so that is said in words.
            String text = content == null || "".equals(content) ? "(empty)"
                    : String.join("\n", texts(content, at + ".content"));
            return new ToolResult(id, text);
        }

        /** An inline image: a data URL of png, jpeg, gif or webp within Converse's limits. Never fetched. */
        private ChatRequest.Image image(Map<?, ?> part, String at) throws RequestError {
            Object imageUrl = part.get("image_url");
            String param = at + ".image_url";
            String url;
            if (imageUrl instanceof Map<?, ?> map) {
                url = requiredString(map, "url", param + ".url");
                param = param + ".url";
            } else if (imageUrl instanceof String s) {
                url = s; // some clients send the URL itself
            } else {
                throw imageUrl == null ? new RequestError(OpenAiError.missingParameter(param))
                        : typeError(param, "an object", imageUrl);
            }
            if (!url.regionMatches(true, 0, "data:", 0, 5)) {
                // The backend must not become a request forwarder into its own network.
                throw new RequestError(OpenAiError.unsupported(param, "This gateway does not fetch image URLs. "
                        + "Send the image inline as a data URL: data:image/png;base64,<the image's bytes in base64> "
                        + "(png, jpeg, gif or webp)."));
            }
            java.util.regex.Matcher m = DATA_URL.matcher(url);
            if (!m.matches() || !m.group(2).toLowerCase(java.util.Locale.ROOT).contains(";base64")) {
                throw new RequestError(OpenAiError.invalidValue(param, "Invalid image data URL: expected "
                        + "data:image/<png|jpeg|gif|webp>;base64,<data>."));
            }
            String mediaType = m.group(1).toLowerCase(java.util.Locale.ROOT);
            if (!IMAGE_TYPES.contains(mediaType)) {
                throw new RequestError(OpenAiError.invalidValue(param, "Invalid image type "
                        + Text.quote(mediaType) + ". Supported types are: image/png, image/jpeg, image/gif and image/webp."));
            }
            if (++images > MAX_IMAGES) {
                throw new RequestError(OpenAiError.invalidValue(param, "Too many images: Bedrock takes at most "
                        + MAX_IMAGES + " per request."));
            }
            String data = m.group(3);
            if ((long) data.length() / 4 * 3 > MAX_IMAGE_BYTES + 3L) {
                throw new RequestError(OpenAiError.invalidValue(param, "The image is larger than Bedrock's limit "
                        + "of 3.75 MB (" + MAX_IMAGE_BYTES + " bytes)."));
            }
            byte[] bytes;
            try {
                // Strict, but a data URL wrapped over lines is still one image.
                bytes = java.util.Base64.getDecoder().decode(data.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new RequestError(OpenAiError.invalidValue(param, "The image data is not valid base64."));
            }
            if (bytes.length > MAX_IMAGE_BYTES) {
                throw new RequestError(OpenAiError.invalidValue(param, "The image is larger than Bedrock's limit "
                        + "of 3.75 MB (" + MAX_IMAGE_BYTES + " bytes)."));
            }
            java.util.Optional<io.llmgateway.common.ImageHeader> header = io.llmgateway.common.ImageHeader.read(bytes);
            if (header.isEmpty()) {
                throw new RequestError(OpenAiError.invalidValue(param, "The image data is not a png, jpeg, gif "
                        + "or webp image."));
            }
            io.llmgateway.common.ImageHeader h = header.get();
            if (h.width() < 1 || h.height() < 1 || h.width() > MAX_IMAGE_SIDE || h.height() > MAX_IMAGE_SIDE) {
                throw new RequestError(OpenAiError.invalidValue(param, "The image is " + h.width() + "x" + h.height()
                        + " pixels; Bedrock takes at most " + MAX_IMAGE_SIDE + " pixels a side."));
            }
            // The bytes decide the format: a data URL that calls a png a jpeg is common, and Bedrock checks.
            return new ChatRequest.Image(h.format(), bytes, h.width(), h.height());
        }
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
            case "system", "developer", "user", "assistant", "tool" -> {
                return role;
            }
            case "function" -> throw new RequestError(OpenAiError.unsupported(param,
                    "Messages with role 'function' are OpenAI's deprecated function calling; use 'tool' messages "
                            + "with 'tool_call_id'."));
            default -> throw new RequestError(OpenAiError.invalidValue(param,
                    "Invalid value: '" + Text.truncate(role) + "'. Supported values are: 'system', 'developer', "
                            + "'user', 'assistant' and 'tool'."));
        }
    }

    /** Each part of a {@code content} array as {at, part, type}; a string content is one text part. */
    private static List<Object[]> parts(Object value, String param) throws RequestError {
        if (value == null) {
            throw new RequestError(OpenAiError.missingParameter(param));
        }
        if (value instanceof String text) {
            if (text.isEmpty()) {
                throw new RequestError(OpenAiError.invalidValue(param,
                        "Invalid '" + param + "': empty string. Expected a non-empty string."));
            }
            List<Object[]> one = new ArrayList<>(1);
            one.add(new Object[] {param, Map.of("type", "text", "text", text), "text"});
            return one;
        }
        if (!(value instanceof List<?> parts)) {
            throw typeError(param, "a string or an array of content parts", value);
        }
        if (parts.isEmpty()) {
            throw new RequestError(OpenAiError.invalidValue(param,
                    "Invalid '" + param + "': empty array. Expected an array with minimum length 1."));
        }
        List<Object[]> result = new ArrayList<>(parts.size());
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
            if (UNSUPPORTED_PARTS.contains(typeName)) {
                throw new RequestError(OpenAiError.unsupported(at + ".type",
                        "Content parts of type '" + typeName + "' are not supported by this gateway; "
                                + "only 'text' parts and inline 'image_url' parts in user messages are."));
            }
            if (!typeName.equals("text") && !typeName.equals("image_url") && !typeName.equals("refusal")) {
                throw new RequestError(OpenAiError.invalidValue(at + ".type",
                        "Invalid value: '" + Text.truncate(typeName) + "'. Supported values are: 'text' and 'image_url'."));
            }
            result.add(new Object[] {at, part, typeName});
        }
        return result;
    }

    /** The texts of a {@code content} that may only hold text (system, developer, assistant and tool messages). */
    private static List<String> texts(Object value, String param) throws RequestError {
        List<String> texts = new ArrayList<>();
        for (Object[] part : parts(value, param)) {
            String at = (String) part[0];
            String type = (String) part[2];
            if (type.equals("image_url")) {
                throw new RequestError(OpenAiError.unsupported(at + ".type", "Images are taken in user messages "
                        + "only (Bedrock's rule)."));
            }
            texts.add(partText((Map<?, ?>) part[1], at));
        }
        return texts;
    }

    /** A text part's text; an assistant's refusal part counts as its text. */
    private static String partText(Map<?, ?> part, String at) throws RequestError {
        String field = "refusal".equals(part.get("type")) ? "refusal" : "text";
        Object text = part.get(field);
        if (text == null) {
            throw new RequestError(OpenAiError.missingParameter(at + "." + field));
        }
        if (!(text instanceof String s)) {
            throw typeError(at + "." + field, "a string", text);
        }
        return s;
    }

    private static String id(Object value, String param) throws RequestError {
        if (value == null) {
            throw new RequestError(OpenAiError.missingParameter(param));
        }
        if (!(value instanceof String id)) {
            throw typeError(param, "a string", value);
        }
        if (!TOOL_NAME.matcher(id).matches()) {
            throw new RequestError(OpenAiError.invalidValue(param, "Invalid tool call id " + Text.quote(id)
                    + ": Bedrock takes 1-64 letters, digits, '_' or '-'."));
        }
        return id;
    }

    private static String toolName(String name, String param) throws RequestError {
        if (!TOOL_NAME.matcher(name).matches()) {
            throw new RequestError(OpenAiError.invalidValue(param, "Invalid function name " + Text.quote(name)
                    + ": use 1-64 letters, digits, '_' or '-'."));
        }
        return name;
    }

    /** A tool call's {@code arguments}: a JSON object written as a string; empty means no arguments. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> arguments(Object value, String param) throws RequestError {
        if (value == null) {
            throw new RequestError(OpenAiError.missingParameter(param));
        }
        if (!(value instanceof String text)) {
            throw typeError(param, "a string", value);
        }
        if (text.isBlank()) {
            return Map.of();
        }
        try {
            if (Json.read(text) instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
        } catch (IOException e) {
            // falls through to the error
        }
        throw new RequestError(OpenAiError.invalidValue(param, "Invalid '" + param + "': expected a JSON object "
                + "written as a string."));
    }

    // ---- tools

    @SuppressWarnings("unchecked")
    private static List<Tool> tools(Object value) throws RequestError {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw typeError("tools", "an array", value);
        }
        if (list.size() > MAX_TOOLS) {
            throw new RequestError(OpenAiError.invalidValue("tools", "Invalid 'tools': array too long. Expected an "
                    + "array with maximum length " + MAX_TOOLS + ", but got an array with length " + list.size()
                    + " instead."));
        }
        List<Tool> tools = new ArrayList<>(list.size());
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "tools[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> tool)) {
                throw typeError(at, "an object", list.get(i));
            }
            Object type = tool.get("type");
            if (!"function".equals(type)) {
                throw type == null ? new RequestError(OpenAiError.missingParameter(at + ".type"))
                        : new RequestError(OpenAiError.unsupported(at + ".type", "Tools of type "
                        + Text.quote(String.valueOf(type)) + " are not supported by this gateway; 'function' tools are."));
            }
            if (!(tool.get("function") instanceof Map<?, ?> function)) {
                throw tool.get("function") == null ? new RequestError(OpenAiError.missingParameter(at + ".function"))
                        : typeError(at + ".function", "an object", tool.get("function"));
            }
            String name = toolName(requiredString(function, "name", at + ".function.name"), at + ".function.name");
            if (!names.add(name)) {
                throw new RequestError(OpenAiError.invalidValue(at + ".function.name", "Duplicate function name "
                        + Text.quote(name) + "."));
            }
            Object description = function.get("description");
            if (description != null && !(description instanceof String)) {
                throw typeError(at + ".function.description", "a string", description);
            }
            Object parameters = function.get("parameters");
            Map<String, Object> schema;
            if (parameters == null) {
                schema = new LinkedHashMap<>();
                schema.put("type", "object");
                schema.put("properties", Map.of());
            } else if (parameters instanceof Map<?, ?> map) {
                schema = (Map<String, Object>) map;
            } else {
                throw typeError(at + ".function.parameters", "an object", parameters);
            }
            Object strict = function.get("strict");
            if (strict != null && !(strict instanceof Boolean)) {
                throw typeError(at + ".function.strict", "a boolean", strict);
            }
            String text = (String) description;
            tools.add(new Tool(name, text == null || text.isEmpty() ? null : text, schema));
        }
        return tools;
    }

    private static ToolChoice toolChoice(Object value, List<Tool> tools) throws RequestError {
        if (value == null) {
            return ToolChoice.AUTO;
        }
        if (value instanceof String mode) {
            switch (mode) {
                case "none" -> {
                    return ToolChoice.NONE;
                }
                case "auto" -> {
                    return ToolChoice.AUTO;
                }
                case "required" -> {
                    if (tools.isEmpty()) {
                        throw new RequestError(OpenAiError.invalidValue("tool_choice",
                                "tool_choice 'required' needs 'tools'."));
                    }
                    return ToolChoice.REQUIRED;
                }
                default -> throw new RequestError(OpenAiError.invalidValue("tool_choice", "Invalid value: "
                        + Text.quote(mode) + ". Supported values are: 'none', 'auto', 'required' or a named function."));
            }
        }
        if (!(value instanceof Map<?, ?> named)) {
            throw typeError("tool_choice", "a string or an object", value);
        }
        if (!"function".equals(named.get("type")) || !(named.get("function") instanceof Map<?, ?> function)
                || !(function.get("name") instanceof String name)) {
            throw new RequestError(OpenAiError.invalidValue("tool_choice", "Invalid 'tool_choice': expected "
                    + "{\"type\": \"function\", \"function\": {\"name\": \"...\"}}."));
        }
        if (tools.stream().noneMatch(t -> t.name().equals(name))) {
            throw new RequestError(OpenAiError.invalidValue("tool_choice", "tool_choice names the function "
                    + Text.quote(name) + ", which is not among 'tools'."));
        }
        return new ToolChoice(ToolChoice.Mode.NAMED, name);
    }

    // ---- response format and reasoning

    @SuppressWarnings("unchecked")
    private static ResponseFormat responseFormat(Object value, List<Tool> tools) throws RequestError {
        if (value == null) {
            return ResponseFormat.TEXT;
        }
        if (!(value instanceof Map<?, ?> format)) {
            throw typeError("response_format", "an object", value);
        }
        Object type = format.get("type");
        if ("text".equals(type)) {
            return ResponseFormat.TEXT;
        }
        if ("json_object".equals(type)) {
            Map<String, Object> anyObject = new LinkedHashMap<>();
            anyObject.put("type", "object");
            return new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, JSON_OBJECT_TOOL,
                    "Answer with a JSON object.", anyObject);
        }
        if (!"json_schema".equals(type)) {
            throw type == null ? new RequestError(OpenAiError.missingParameter("response_format.type"))
                    : new RequestError(OpenAiError.invalidValue("response_format.type", "Invalid value: "
                    + Text.quote(String.valueOf(type)) + ". Supported values are: 'text', 'json_object' and 'json_schema'."));
        }
        if (!(format.get("json_schema") instanceof Map<?, ?> jsonSchema)) {
            throw format.get("json_schema") == null ? new RequestError(OpenAiError.missingParameter("response_format.json_schema"))
                    : typeError("response_format.json_schema", "an object", format.get("json_schema"));
        }
        String name = toolName(requiredString(jsonSchema, "name", "response_format.json_schema.name"),
                "response_format.json_schema.name");
        if (tools.stream().anyMatch(t -> t.name().equals(name))) {
            throw new RequestError(OpenAiError.invalidValue("response_format.json_schema.name", "The schema's name "
                    + Text.quote(name) + " is also a function's name in 'tools'; give one of them another name."));
        }
        Object description = jsonSchema.get("description");
        if (description != null && !(description instanceof String)) {
            throw typeError("response_format.json_schema.description", "a string", description);
        }
        Object schema = jsonSchema.get("schema");
        Map<String, Object> shape;
        if (schema == null) {
            shape = new LinkedHashMap<>();
            shape.put("type", "object");
        } else if (schema instanceof Map<?, ?> map) {
            shape = (Map<String, Object>) map;
        } else {
            throw typeError("response_format.json_schema.schema", "an object", schema);
        }
        Object strict = jsonSchema.get("strict");
        if (strict != null && !(strict instanceof Boolean)) {
            throw typeError("response_format.json_schema.strict", "a boolean", strict);
        }
        return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, name, (String) description, shape);
    }

    private static ChatRequest.Reasoning reasoning(Object value, String alias, String modelId, int maxTokens)
            throws RequestError {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String effort)) {
            throw typeError("reasoning_effort", "a string", value);
        }
        if (!ModelFeatures.EFFORTS.contains(effort)) {
            throw new RequestError(OpenAiError.invalidValue("reasoning_effort", "Invalid value: " + Text.quote(effort)
                    + ". Supported values are: " + String.join(", ", ModelFeatures.EFFORTS.stream()
                    .map(e -> "'" + e + "'").toList()) + "."));
        }
        return ModelFeatures.reasoning(alias, modelId, effort, maxTokens);
    }

    // ---- parameters

    private static void rejectUnsupported(Map<?, ?> body) throws RequestError {
        Object functions = body.get("functions");
        if (functions != null && !(functions instanceof List<?> list && list.isEmpty())) {
            throw unsupported("functions", "'functions' is OpenAI's deprecated function calling; send 'tools'.");
        }
        Object functionCall = body.get("function_call");
        if (functionCall != null && !"none".equals(functionCall) && !"auto".equals(functionCall)) {
            throw unsupported("function_call", "'function_call' is OpenAI's deprecated function calling; send "
                    + "'tool_choice'.");
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
