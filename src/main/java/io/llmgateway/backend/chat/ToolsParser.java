package io.llmgateway.backend.chat;

import static io.llmgateway.backend.internal.Fields.requiredString;
import static io.llmgateway.backend.internal.Fields.typeError;

import io.llmgateway.backend.chat.ChatRequest.Tool;
import io.llmgateway.backend.chat.ChatRequest.ToolChoice;
import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.common.Json;
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
 * {@code tools} and {@code tool_choice}: the functions a model may call and how, and the names and call
 * ids Converse takes, which the messages' tool calls and results use too.
 */
public final class ToolsParser {

    /** OpenAI's limit on tools per request. */
    static final int MAX_TOOLS = 128;
    /** Tool names and call ids as Converse takes them (Bedrock API reference, "ToolSpecification", "ToolUseBlock"). */
    static final Pattern TOOL_NAME = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    private ToolsParser() {
    }

    @SuppressWarnings("unchecked")
    static List<Tool> tools(Object value) throws RequestError {
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

    /** The client's cache markers on tools ({@code tools[i].cache_control}); {@code value} parsed by {@link #tools} already. */
    static List<ChatRequest.CachePoint> cachePoints(Object value) throws RequestError {
        List<ChatRequest.CachePoint> points = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Boolean oneHour = CacheControl.read((Map<?, ?>) list.get(i), "tools[" + i + "]");
                if (oneHour != null) {
                    points.add(new ChatRequest.CachePoint(ChatRequest.CachePoint.Section.TOOLS, i, 0, oneHour));
                }
            }
        }
        return points;
    }

    static ToolChoice toolChoice(Object value, List<Tool> tools) throws RequestError {
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

    /** A tool call's id, as Converse takes it (the id a tool result answers). */
    public static String callId(Object value, String param) throws RequestError {
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

    public static String toolName(String name, String param) throws RequestError {
        if (!TOOL_NAME.matcher(name).matches()) {
            throw new RequestError(OpenAiError.invalidValue(param, "Invalid function name " + Text.quote(name)
                    + ": use 1-64 letters, digits, '_' or '-'."));
        }
        return name;
    }

    /**
     * A tool call's {@code arguments} (chat's {@code tool_calls[].function.arguments}, a Responses
     * {@code function_call} item's): a JSON object written as a string; empty means no arguments.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> arguments(Object value, String param) throws RequestError {
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
}
