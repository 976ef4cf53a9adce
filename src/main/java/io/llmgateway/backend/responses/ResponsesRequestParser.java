package io.llmgateway.backend.responses;

import static io.llmgateway.backend.internal.Fields.describe;
import static io.llmgateway.backend.internal.Fields.typeError;

import io.llmgateway.backend.chat.ChatRequest;
import io.llmgateway.backend.chat.ChatRequestParser;
import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Responses API body ({@code POST /v1/responses}) into a {@link ResponsesRequest}, or refuses it
 * with OpenAI's error naming the field. The settings Responses shares with Chat Completions (model,
 * tools, tool choice, output format, reasoning effort, limits) are handed to {@link ChatRequestParser}
 * in its shape, so both APIs accept and refuse them alike, and its errors are told back in Responses'
 * names ({@code tools[0].name}, {@code text.format.schema}, {@code max_output_tokens}). The input items
 * are {@link InputParser}'s.
 *
 * <p>What the gateway cannot do is refused, naming the feature: built-in tools (web search, file search,
 * code interpreter, computer use, ...), {@code background}, {@code conversation}, stored items
 * ({@code previous_response_id}) while storage is off. Fields that do not change the answer
 * ({@code prompt_cache_key}, {@code safety_identifier}, Codex's {@code client_metadata}, and any field
 * this gateway has never heard of) are ignored, as the chat route ignores them. {@code store} decides
 * whether the response is kept, where the stack keeps responses ({@link StoredResponses}); elsewhere
 * every response is served as {@code store: false}.
 */
final class ResponsesRequestParser {

    /** Tool types OpenAI runs on its side: none is available on Bedrock, so each is refused by name. */
    private static final Map<String, String> BUILT_IN_TOOLS = Map.ofEntries(
            Map.entry("web_search", "web search"), Map.entry("web_search_preview", "web search"),
            Map.entry("web_search_2025_08_26", "web search"), Map.entry("web_search_preview_2025_03_11", "web search"),
            Map.entry("file_search", "file search"), Map.entry("code_interpreter", "the code interpreter"),
            Map.entry("computer", "computer use"), Map.entry("computer_use", "computer use"),
            Map.entry("computer_use_preview", "computer use"), Map.entry("image_generation", "image generation"),
            Map.entry("mcp", "remote MCP servers"), Map.entry("local_shell", "the local shell tool"),
            Map.entry("shell", "the shell tool"), Map.entry("apply_patch", "the apply_patch tool"),
            Map.entry("tool_search", "tool search"), Map.entry("custom", "custom (grammar) tools"));

    /** Fields that ask for a feature the gateway lacks; refused whenever they are set. */
    private static final List<String> REFUSED_WHEN_SET = List.of("conversation", "context_management", "prompt",
            "max_tool_calls");

    private static final Set<String> INCLUDES = Set.of("reasoning.encrypted_content", "message.input_image.image_url");

    /** The stack key that turns storage on, as the 400 for {@code previous_response_id} names it. */
    static final String STORAGE_HOW_TO = "pulumi config set --path responses.store.enabled true";

    private final ChatRequestParser chat;
    private final boolean storage;

    /** @param storage whether the stack stores responses */
    ResponsesRequestParser(BackendSettings settings, boolean storage) {
        this.chat = new ChatRequestParser(settings);
        this.storage = storage;
    }

    ResponsesRequestParser(BackendSettings settings) {
        this(settings, false);
    }

    ResponsesRequest parse(Object json, Metering.Entitlement entitlement) throws RequestError {
        return parse(json, entitlement, List.of());
    }

    /** The body as a JSON object, or OpenAI's type error. */
    static Map<?, ?> body(Object json) throws RequestError {
        if (!(json instanceof Map<?, ?> body)) {
            throw new RequestError(OpenAiError.invalidType(null,
                    "The request body must be a JSON object, but got " + describe(json) + " instead."));
        }
        return body;
    }

    /**
     * Whether this request is to be stored: storage is on and the request did not say {@code store: false}.
     *
     * @throws RequestError when {@code store} is not a boolean
     */
    boolean storing(Map<?, ?> body) throws RequestError {
        Object store = body.get("store");
        if (store != null && !(store instanceof Boolean)) {
            throw typeError("store", "a boolean", store);
        }
        return storage && !Boolean.FALSE.equals(store);
    }

    /**
     * The id in {@code previous_response_id}, or null when there is none.
     *
     * @throws RequestError when it is not a non-empty string, or storage is off (saying how to turn it on)
     */
    String previousResponseId(Map<?, ?> body) throws RequestError {
        Object previous = body.get("previous_response_id");
        if (previous == null) {
            return null;
        }
        if (!storage) {
            throw new RequestError(OpenAiError.invalidRequest("previous_response_id", "'previous_response_id' needs "
                    + "stored responses, and this gateway keeps none: every response is served as store: false. "
                    + "Send the whole conversation as 'input' (the output items of earlier responses included), "
                    + "as Codex and the Agents SDK do by default, or ask the operators to turn storage on ("
                    + STORAGE_HOW_TO + ", then pulumi up)."));
        }
        if (!(previous instanceof String id) || id.isEmpty()) {
            throw typeError("previous_response_id", "a non-empty string", previous);
        }
        return id;
    }

    /**
     * @param history the items of the {@code previous_response_id} chain, which come before the input
     */
    ResponsesRequest parse(Object json, Metering.Entitlement entitlement, List<Object> history) throws RequestError {
        Map<?, ?> body = body(json);
        Map<String, Object> chatBody = new LinkedHashMap<>();
        chatBody.put("model", body.get("model"));
        // The input is read apart (InputParser); the chat parser needs a conversation to accept the rest.
        chatBody.put("messages", List.of(Map.of("role", "user", "content", "-")));
        ToolNames names = new ToolNames();
        List<String> toolParams = new ArrayList<>();
        putIfSet(chatBody, "tools", tools(body.get("tools"), names, toolParams));
        putIfSet(chatBody, "tool_choice", toolChoice(body.get("tool_choice")));
        putIfSet(chatBody, "parallel_tool_calls", body.get("parallel_tool_calls"));
        Map<?, ?> text = object(body, "text");
        putIfSet(chatBody, "response_format", text == null ? null : format(text.get("format")));
        putIfSet(chatBody, "max_completion_tokens", body.get("max_output_tokens"));
        putIfSet(chatBody, "temperature", body.get("temperature"));
        putIfSet(chatBody, "top_p", body.get("top_p"));
        putIfSet(chatBody, "stream", body.get("stream"));
        putIfSet(chatBody, "user", body.get("user"));
        Map<?, ?> reasoning = object(body, "reasoning");
        putIfSet(chatBody, "reasoning_effort", reasoning == null ? null : reasoning.get("effort"));

        ChatRequest parsed;
        try {
            parsed = chat.parse(chatBody, entitlement);
        } catch (RequestError e) {
            throw inResponsesTerms(e, toolParams);
        }
        refuseUnsupported(body, text, reasoning);

        List<String> system = new ArrayList<>();
        Object instructions = body.get("instructions");
        if (instructions != null) {
            if (!(instructions instanceof String s)) {
                throw typeError("instructions", "a string", instructions);
            }
            if (!s.isEmpty()) {
                system.add(s);
            }
        }
        Object input = body.get("input");
        if (!history.isEmpty()) {
            List<Object> all = new ArrayList<>(history);
            all.addAll(StoredResponses.items(input));
            input = all;
        }
        List<ChatRequest.Turn> turns = new InputParser().parse(input, system, parsed.reasoning() != null);
        ChatRequest request = new ChatRequest(parsed.alias(), parsed.modelId(), system, turns, parsed.maxTokens(),
                parsed.temperature(), parsed.topP(), List.of(), parsed.stream(), false, parsed.tools(),
                parsed.toolChoice(), parsed.parallelToolCalls(), parsed.responseFormat(), parsed.reasoning());
        return new ResponsesRequest(chat.withAutomaticCache(request), names,
                echoed(body, parsed, text, reasoning, storing(body)),
                parsed.stream());
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static Map<?, ?> object(Map<?, ?> body, String field) throws RequestError {
        Object value = body.get(field);
        if (value != null && !(value instanceof Map<?, ?>)) {
            throw typeError(field, "an object", value);
        }
        return (Map<?, ?>) value;
    }

    /** Function and namespace tools in the chat route's shape; every other tool type is refused by name. */
    private static List<Object> tools(Object value, ToolNames names, List<String> params) throws RequestError {
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw typeError("tools", "an array", value);
        }
        List<Object> tools = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "tools[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> tool)) {
                throw typeError(at, "an object", list.get(i));
            }
            Object type = tool.get("type");
            if ("function".equals(type)) {
                tools.add(function(tool, null));
                params.add(at);
            } else if ("namespace".equals(type)) {
                Object namespace = tool.get("name");
                if (!(namespace instanceof String ns)) {
                    throw namespace == null ? new RequestError(OpenAiError.missingParameter(at + ".name"))
                            : typeError(at + ".name", "a string", namespace);
                }
                if (!(tool.get("tools") instanceof List<?> inner)) {
                    throw typeError(at + ".tools", "an array", tool.get("tools"));
                }
                for (int j = 0; j < inner.size(); j++) {
                    String innerAt = at + ".tools[" + j + "]";
                    if (!(inner.get(j) instanceof Map<?, ?> function) || !"function".equals(function.get("type"))) {
                        throw new RequestError(OpenAiError.unsupported(innerAt, "A namespace may hold 'function' "
                                + "tools only."));
                    }
                    Map<String, Object> flat = function(function, ns);
                    names.addNamespaced(ns, String.valueOf(function.get("name")));
                    tools.add(flat);
                    params.add(innerAt);
                }
            } else if (type == null) {
                throw new RequestError(OpenAiError.missingParameter(at + ".type"));
            } else {
                throw new RequestError(OpenAiError.unsupported(at + ".type", builtInToolMessage(String.valueOf(type))));
            }
        }
        return tools;
    }

    static String builtInToolMessage(String type) {
        String feature = BUILT_IN_TOOLS.get(type);
        String message = feature == null
                ? "Tools of type " + Text.quote(Text.truncate(type)) + " are not supported by this gateway; 'function' "
                        + "tools (and 'namespace' tools holding them) are."
                : "Built-in tools of type " + Text.quote(type) + " (" + feature + ") are not supported by this gateway, "
                        + "which serves Amazon Bedrock models: only 'function' tools (and 'namespace' tools holding "
                        + "them) are.";
        if (type.startsWith("web_search")) {
            message += " Codex users: set web_search = \"disabled\" in Codex's config.toml.";
        }
        return message;
    }

    private static Map<String, Object> function(Map<?, ?> tool, String namespace) {
        Map<String, Object> function = new LinkedHashMap<>();
        Object name = tool.get("name");
        function.put("name", namespace == null || !(name instanceof String s) ? name : ToolNames.joined(namespace, s));
        putIfSet(function, "description", tool.get("description"));
        putIfSet(function, "parameters", tool.get("parameters"));
        putIfSet(function, "strict", tool.get("strict"));
        return Map.of("type", "function", "function", function);
    }

    private static Object toolChoice(Object value) throws RequestError {
        if (value == null || value instanceof String) {
            return value;
        }
        if (!(value instanceof Map<?, ?> choice)) {
            throw typeError("tool_choice", "a string or an object", value);
        }
        Object type = choice.get("type");
        if ("function".equals(type)) {
            if (!(choice.get("name") instanceof String name)) {
                throw choice.get("name") == null ? new RequestError(OpenAiError.missingParameter("tool_choice.name"))
                        : typeError("tool_choice.name", "a string", choice.get("name"));
            }
            return Map.of("type", "function", "function", Map.of("name", name));
        }
        if ("allowed_tools".equals(type)) {
            throw new RequestError(OpenAiError.unsupported("tool_choice.type", "tool_choice 'allowed_tools' is not "
                    + "supported by this gateway; send the allowed tools as 'tools'."));
        }
        throw new RequestError(OpenAiError.unsupported("tool_choice.type", "tool_choice of type "
                + Text.quote(Text.truncate(String.valueOf(type))) + " is not supported by this gateway; 'none', 'auto', "
                + "'required' and {\"type\": \"function\", \"name\": \"...\"} are."));
    }

    /** {@code text.format} as the chat route's {@code response_format}. */
    private static Object format(Object value) throws RequestError {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Map<?, ?> format)) {
            throw typeError("text.format", "an object", value);
        }
        if (!"json_schema".equals(format.get("type"))) {
            return format;
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        putIfSet(schema, "name", format.get("name"));
        putIfSet(schema, "description", format.get("description"));
        putIfSet(schema, "schema", format.get("schema"));
        putIfSet(schema, "strict", format.get("strict"));
        return Map.of("type", "json_schema", "json_schema", schema);
    }

    /** The chat parser's error, naming the Responses field the client sent. */
    private static RequestError inResponsesTerms(RequestError e, List<String> toolParams) {
        OpenAiError error = e.error();
        String param = renamed(error.param(), toolParams);
        String message = error.message();
        if (error.param() != null && param != null && !param.equals(error.param())) {
            message = message.replace(error.param(), param);
        }
        message = message.replace("'response_format'", "'text.format'").replace("response_format", "text.format")
                .replace("max_completion_tokens", "max_output_tokens").replace("reasoning_effort", "reasoning.effort");
        return new RequestError(new OpenAiError(error.status(), error.type(), error.code(), param, message));
    }

    static String renamed(String param, List<String> toolParams) {
        if (param == null) {
            return null;
        }
        if (param.startsWith("tools[")) {
            int close = param.indexOf(']');
            int index = Integer.parseInt(param.substring(6, close));
            String rest = param.substring(close + 1).replaceFirst("^\\.function", "");
            return (index < toolParams.size() ? toolParams.get(index) : param.substring(0, close + 1)) + rest;
        }
        if (param.startsWith("response_format")) {
            return "text.format" + param.substring("response_format".length()).replaceFirst("^\\.json_schema", "");
        }
        return switch (param) {
            case "max_completion_tokens", "max_tokens" -> "max_output_tokens";
            case "reasoning_effort" -> "reasoning.effort";
            default -> param;
        };
    }

    private void refuseUnsupported(Map<?, ?> body, Map<?, ?> text, Map<?, ?> reasoning) throws RequestError {
        Object background = body.get("background");
        if (background != null && !Boolean.FALSE.equals(background)) {
            throw new RequestError(OpenAiError.unsupported("background", "Background responses are not supported by "
                    + "this gateway; leave 'background' unset or false."));
        }
        for (String field : REFUSED_WHEN_SET) {
            if (body.get(field) != null) {
                throw new RequestError(OpenAiError.unsupported(field, Text.quote(field) + " is not supported by this "
                        + "gateway" + (field.equals("conversation") ? " (it keeps no conversation objects); send the "
                        + "conversation's items as 'input'." : "; leave it unset.")));
            }
        }
        previousResponseId(body);
        storing(body);
        Object topLogprobs = body.get("top_logprobs");
        if (topLogprobs instanceof Number n && n.doubleValue() > 0) {
            throw new RequestError(OpenAiError.unsupported("top_logprobs",
                    "Log probabilities are not available through this gateway."));
        }
        Object truncation = body.get("truncation");
        if (truncation != null && !"auto".equals(truncation) && !"disabled".equals(truncation)) {
            throw new RequestError(OpenAiError.invalidValue("truncation", "Invalid value: "
                    + Text.quote(Text.truncate(String.valueOf(truncation))) + ". Supported values are: 'auto' and "
                    + "'disabled'."));
        }
        includes(body.get("include"));
        metadata(body.get("metadata"));
        if (text != null && text.get("verbosity") != null) {
            throw new RequestError(OpenAiError.unsupported("text.verbosity",
                    "'text.verbosity' is not supported by this gateway."));
        }
        if (reasoning != null) {
            for (String field : List.of("summary", "generate_summary")) {
                Object summary = reasoning.get(field);
                if (summary != null && !"auto".equals(summary) && !"concise".equals(summary)
                        && !"detailed".equals(summary)) {
                    throw new RequestError(OpenAiError.invalidValue("reasoning." + field, "Invalid value: "
                            + Text.quote(Text.truncate(String.valueOf(summary))) + ". Supported values are: 'auto', "
                            + "'concise' and 'detailed'."));
                }
            }
        }
    }

    private static void includes(Object value) throws RequestError {
        if (value == null) {
            return;
        }
        if (!(value instanceof List<?> list)) {
            throw typeError("include", "an array", value);
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String include)) {
                throw typeError("include[" + i + "]", "a string", list.get(i));
            }
            if (!INCLUDES.contains(include)) {
                throw new RequestError(OpenAiError.unsupported("include[" + i + "]", "include "
                        + Text.quote(Text.truncate(include)) + " is not supported by this gateway"
                        + (include.contains("logprobs") ? ": log probabilities are not available."
                        : ": it names the output of a built-in tool, and none is available.")
                        + " Supported values are: 'reasoning.encrypted_content' and 'message.input_image.image_url'."));
            }
        }
    }

    /** OpenAI's limits: up to 16 pairs, keys up to 64 characters, string values up to 512. */
    private static void metadata(Object value) throws RequestError {
        if (value == null) {
            return;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw typeError("metadata", "an object", value);
        }
        if (map.size() > 16) {
            throw new RequestError(OpenAiError.invalidValue("metadata", "Invalid 'metadata': too many properties. "
                    + "Expected an object with at most 16 properties, but got " + map.size() + " instead."));
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            if (key.length() > 64) {
                throw new RequestError(OpenAiError.invalidValue("metadata", "Invalid 'metadata': keys may have at "
                        + "most 64 characters."));
            }
            if (!(entry.getValue() instanceof String s)) {
                throw typeError("metadata." + Text.truncate(key), "a string", entry.getValue());
            }
            if (s.length() > 512) {
                throw new RequestError(OpenAiError.invalidValue("metadata." + Text.truncate(key), "Invalid 'metadata': "
                        + "values may have at most 512 characters."));
            }
        }
    }

    /** The request's settings as the Response object repeats them. */
    private static Map<String, Object> echoed(Map<?, ?> body, ChatRequest parsed, Map<?, ?> text,
                                              Map<?, ?> reasoning, boolean store) {
        Map<String, Object> echoed = new LinkedHashMap<>();
        echoed.put("instructions", body.get("instructions"));
        echoed.put("max_output_tokens", body.get("max_output_tokens"));
        echoed.put("parallel_tool_calls", parsed.parallelToolCalls());
        echoed.put("previous_response_id", body.get("previous_response_id"));
        Map<String, Object> effort = new LinkedHashMap<>();
        effort.put("effort", reasoning == null ? null : reasoning.get("effort"));
        effort.put("summary", reasoning == null ? null : reasoning.get("summary"));
        echoed.put("reasoning", effort);
        // Without storage on the stack, every response is served as store: false.
        echoed.put("store", store);
        echoed.put("temperature", parsed.temperature() == null ? 1.0 : parsed.temperature());
        Object format = text == null || text.get("format") == null ? Map.of("type", "text") : text.get("format");
        echoed.put("text", Map.of("format", format));
        echoed.put("tool_choice", body.get("tool_choice") == null ? "auto" : body.get("tool_choice"));
        echoed.put("tools", body.get("tools") == null ? List.of() : body.get("tools"));
        echoed.put("top_p", parsed.topP() == null ? 1.0 : parsed.topP());
        echoed.put("truncation", body.get("truncation") == null ? "disabled" : body.get("truncation"));
        echoed.put("user", body.get("user"));
        echoed.put("metadata", body.get("metadata") == null ? Map.of() : body.get("metadata"));
        return echoed;
    }
}
