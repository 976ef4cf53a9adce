package io.llmgateway.backend.responses;

import static io.llmgateway.backend.internal.Fields.requiredString;
import static io.llmgateway.backend.internal.Fields.typeError;

import io.llmgateway.backend.chat.ChatRequest.Block;
import io.llmgateway.backend.chat.ChatRequest.Role;
import io.llmgateway.backend.chat.ChatRequest.Turn;
import io.llmgateway.backend.chat.ChatRequest;
import io.llmgateway.backend.chat.ContentParts;
import io.llmgateway.backend.chat.ImagePart;
import io.llmgateway.backend.chat.ToolsParser;
import io.llmgateway.backend.chat.Turns;
import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code input}: a string (one user message) or a list of items, read into the chat route's system
 * prompts and Converse turns. Messages ({@code input_text}, inline {@code input_image}, the assistant's
 * {@code output_text} and {@code refusal}), {@code function_call}, {@code function_call_output} and
 * {@code reasoning} items are mapped; every other item type is refused, naming it.
 *
 * <p>Consecutive items of one role become one turn, as Converse wants user and assistant to alternate:
 * function calls (with the reasoning before them) one assistant turn, the outputs that follow one user
 * turn. Outputs are paired with calls by {@code call_id}, never by position; an output whose call is not
 * in the input is refused. One parser reads one request (it counts the images).
 */
final class InputParser {

    static final String ITEM_TYPES = "'message', 'function_call', 'function_call_output' and 'reasoning'";

    private final ImagePart images = new ImagePart();
    private final Turns turns = new Turns();
    private final Set<String> callIds = new HashSet<>();

    /**
     * @param system       receives the system and developer messages' texts, in order
     * @param withThinking whether reasoning items go back to the model (only when it reasons now)
     */
    List<Turn> parse(Object value, List<String> system, boolean withThinking) throws RequestError {
        if (value == null) {
            throw new RequestError(OpenAiError.missingParameter("input"));
        }
        if (value instanceof String text) {
            if (text.isEmpty()) {
                throw new RequestError(OpenAiError.invalidValue("input",
                        "Invalid 'input': empty string. Expected a non-empty string."));
            }
            return List.of(new Turn(Role.USER, List.of(new ChatRequest.Text(text))));
        }
        if (!(value instanceof List<?> items)) {
            throw typeError("input", "a string or an array of input items", value);
        }
        for (int i = 0; i < items.size(); i++) {
            String at = "input[" + i + "]";
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                throw typeError(at, "an object", items.get(i));
            }
            Object type = item.get("type");
            if (type == null && item.containsKey("role")) {
                type = "message";
            }
            if (type == null) {
                throw new RequestError(OpenAiError.missingParameter(at + ".type"));
            }
            if (!(type instanceof String typeName)) {
                throw typeError(at + ".type", "a string", type);
            }
            switch (typeName) {
                case "message" -> message(item, at, system);
                case "function_call" -> add(Role.ASSISTANT, functionCall(item, at));
                case "function_call_output" -> add(Role.USER, functionCallOutput(item, at));
                case "reasoning" -> {
                    Object content = item.get("encrypted_content");
                    if (content != null && !(content instanceof String)) {
                        throw typeError(at + ".encrypted_content", "a string", content);
                    }
                    ChatRequest.Thinking thinking = EncryptedReasoning.decode((String) content);
                    if (thinking != null && withThinking) {
                        add(Role.ASSISTANT, thinking);
                    }
                }
                case "item_reference" -> throw new RequestError(OpenAiError.unsupported(at + ".type",
                        "Items of type 'item_reference' point at stored items, which this request cannot use: "
                                + "send the item itself."));
                default -> throw new RequestError(OpenAiError.invalidValue(at + ".type", "Invalid value: "
                        + Text.quote(Text.truncate(typeName)) + ". Supported values are: " + ITEM_TYPES + "."));
            }
        }
        if (turns.isEmpty()) {
            throw new RequestError(OpenAiError.invalidValue("input",
                    "Invalid 'input': it must contain at least one user or assistant item."));
        }
        return turns.build();
    }

    private void add(Role role, Block block) {
        turns.add(role, block);
    }

    private void message(Map<?, ?> item, String at, List<String> system) throws RequestError {
        String role = requiredString(item, "role", at + ".role");
        Object content = item.get("content");
        String param = at + ".content";
        switch (role) {
            case "system", "developer" -> {
                for (Map<?, ?> part : parts(content, param, "input_text")) {
                    system.add(text(part, "text", param));
                }
            }
            case "user" -> {
                List<Map<?, ?>> parts = parts(content, param, "input_text");
                for (int j = 0; j < parts.size(); j++) {
                    Map<?, ?> part = parts.get(j);
                    String partAt = param + (content instanceof String ? "" : "[" + j + "]");
                    switch (String.valueOf(part.get("type"))) {
                        case "input_text" -> add(Role.USER, new ChatRequest.Text(text(part, "text", partAt)));
                        case "input_image" -> {
                            if (part.get("image_url") == null && part.get("file_id") != null) {
                                throw new RequestError(OpenAiError.unsupported(partAt + ".file_id", "This gateway "
                                        + "keeps no files: send the image inline as a data URL in 'image_url'."));
                            }
                            add(Role.USER, images.read(part, partAt));
                        }
                        case "input_file" -> throw new RequestError(OpenAiError.unsupported(partAt + ".type",
                                "Content parts of type 'input_file' are not supported by this gateway; send the "
                                        + "file's text as 'input_text'."));
                        default -> throw partType(partAt, part.get("type"), "'input_text' and 'input_image'");
                    }
                }
            }
            case "assistant" -> {
                List<Map<?, ?>> parts = parts(content, param, "output_text");
                for (int j = 0; j < parts.size(); j++) {
                    Map<?, ?> part = parts.get(j);
                    String partAt = param + (content instanceof String ? "" : "[" + j + "]");
                    switch (String.valueOf(part.get("type"))) {
                        case "output_text", "input_text" -> add(Role.ASSISTANT,
                                new ChatRequest.Text(text(part, "text", partAt)));
                        case "refusal" -> add(Role.ASSISTANT, new ChatRequest.Text(text(part, "refusal", partAt)));
                        default -> throw partType(partAt, part.get("type"), "'output_text' and 'refusal'");
                    }
                }
            }
            default -> throw new RequestError(OpenAiError.invalidValue(at + ".role", "Invalid value: "
                    + Text.quote(Text.truncate(role)) + ". Supported values are: 'user', 'assistant', 'system' and "
                    + "'developer'."));
        }
    }

    private static RequestError partType(String at, Object type, String allowed) {
        return new RequestError(OpenAiError.invalidValue(at + ".type", "Invalid value: "
                + Text.quote(Text.truncate(String.valueOf(type))) + ". Supported values are: " + allowed + "."));
    }

    /** A content: a string is one part of {@code stringType}; an array holds objects with a string type. */
    private static List<Map<?, ?>> parts(Object content, String param, String stringType) throws RequestError {
        return ContentParts.read(content, param, stringType, true);
    }

    private static String text(Map<?, ?> part, String field, String at) throws RequestError {
        return requiredString(part, field, at + "." + field);
    }

    private ChatRequest.ToolCall functionCall(Map<?, ?> item, String at) throws RequestError {
        String callId = ToolsParser.callId(item.get("call_id"), at + ".call_id");
        String name = requiredString(item, "name", at + ".name");
        Object namespace = item.get("namespace");
        if (namespace != null && !(namespace instanceof String)) {
            throw typeError(at + ".namespace", "a string", namespace);
        }
        String converseName = namespace == null ? name : ToolNames.joined((String) namespace, name);
        ToolsParser.toolName(converseName, at + ".name");
        callIds.add(callId);
        return new ChatRequest.ToolCall(callId, converseName,
                ToolsParser.arguments(item.get("arguments"), at + ".arguments"));
    }

    private ChatRequest.ToolResult functionCallOutput(Map<?, ?> item, String at) throws RequestError {
        String callId = ToolsParser.callId(item.get("call_id"), at + ".call_id");
        if (!callIds.contains(callId)) {
            throw new RequestError(OpenAiError.invalidValue(at + ".call_id", "No tool call found for function call "
                    + "output with call_id " + Text.quote(callId) + ": send the 'function_call' item before its output."));
        }
        Object output = item.get("output");
        String param = at + ".output";
        if (output == null) {
            throw new RequestError(OpenAiError.missingParameter(param));
        }
        StringBuilder text = new StringBuilder();
        if (output instanceof String s) {
            text.append(s);
        } else if (output instanceof List<?>) {
            List<Map<?, ?>> parts = parts(output, param, "input_text");
            for (int j = 0; j < parts.size(); j++) {
                Map<?, ?> part = parts.get(j);
                if (!"input_text".equals(part.get("type"))) {
                    throw new RequestError(OpenAiError.unsupported(param + "[" + j + "].type", "Function call "
                            + "outputs of type " + Text.quote(String.valueOf(part.get("type"))) + " are not supported "
                            + "by this gateway; 'input_text' parts are."));
                }
                text.append(j == 0 ? "" : "\n").append(text(part, "text", param + "[" + j + "]"));
            }
        } else {
            throw typeError(param, "a string or an array of content parts", output);
        }
        // Converse wants some text in a result, so an empty one is said in words.
        return new ChatRequest.ToolResult(callId, text.length() == 0 ? "(empty)" : text.toString());
    }
}
