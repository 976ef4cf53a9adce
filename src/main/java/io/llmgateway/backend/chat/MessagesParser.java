package io.llmgateway.backend.chat;

import static io.llmgateway.backend.internal.Fields.requiredString;
import static io.llmgateway.backend.internal.Fields.typeError;

import io.llmgateway.backend.chat.ChatRequest.Block;
import io.llmgateway.backend.chat.ChatRequest.CachePoint;
import io.llmgateway.backend.chat.ChatRequest.Role;
import io.llmgateway.backend.chat.ChatRequest.ToolCall;
import io.llmgateway.backend.chat.ChatRequest.ToolResult;
import io.llmgateway.backend.chat.ChatRequest.Turn;
import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code messages}: the system prompts apart, and the conversation as Converse's turns, with user and
 * assistant alternating. Text, inline images ({@link ImagePart}), tool calls and tool results are
 * mapped; audio and files are refused. One parser reads one request: it counts images across messages.
 */
final class MessagesParser {

    /** Content part types OpenAI defines that Converse cannot take here. */
    private static final Set<String> UNSUPPORTED_PARTS = Set.of("input_audio", "file");

    /**
     * One part of a {@code content} array, checked to be an object with a known type.
     *
     * @param at   its path, for errors: {@code messages[0].content[1]}
     * @param type {@code text}, {@code image_url} or {@code refusal}
     */
    private record ContentPart(String at, Map<?, ?> part, String type, Boolean cache) {
    }

    /** A content block, and the client's cache marker after it: null for none, else whether for 1 hour. */
    private record Marked(Block block, Boolean cache) {
    }

    private final ImagePart images = new ImagePart();
    private final List<CachePoint> cachePoints = new ArrayList<>();

    /** The client's cache markers in the messages ({@link CacheControl}), where {@link #parse} put their blocks. */
    List<CachePoint> cachePoints() {
        return List.copyOf(cachePoints);
    }

    /**
     * @param system receives the system and developer prompts, in order
     * @return the conversation, consecutive messages of one role merged into one turn
     */
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
        Turns turns = new Turns();
        for (int i = 0; i < messages.size(); i++) {
            String at = "messages[" + i + "]";
            if (!(messages.get(i) instanceof Map<?, ?> message)) {
                throw typeError(at, "an object", messages.get(i));
            }
            String role = role(message, at);
            List<Marked> content;
            switch (role) {
                case "system", "developer" -> {
                    // Converse keeps system prompts apart from the conversation, so their position among
                    // the messages is not kept; their order among themselves is.
                    for (ContentPart part : textParts(message.get("content"), at + ".content")) {
                        system.add(partText(part));
                        if (part.cache() != null) {
                            cachePoints.add(new CachePoint(CachePoint.Section.SYSTEM, system.size() - 1, 0,
                                    part.cache()));
                        }
                    }
                    continue;
                }
                case "user" -> content = userContent(message.get("content"), at + ".content");
                case "assistant" -> content = assistant(message, at);
                default -> content = List.of(toolResult(message, at));
            }
            // Consecutive messages of one role, and consecutive tool results, become one turn.
            Role current = role.equals("assistant") ? Role.ASSISTANT : Role.USER;
            for (Marked marked : content) {
                turns.add(current, marked.block());
                if (marked.cache() != null) {
                    cachePoints.add(new CachePoint(CachePoint.Section.MESSAGES, turns.lastTurn(), turns.lastBlock(),
                            marked.cache()));
                }
            }
        }
        if (turns.isEmpty()) {
            throw new RequestError(OpenAiError.invalidValue("messages",
                    "Invalid 'messages': it must contain at least one user or assistant message."));
        }
        return turns.build();
    }

    /** A user message: a string, or text and image parts. */
    private List<Marked> userContent(Object value, String param) throws RequestError {
        List<Marked> blocks = new ArrayList<>();
        for (ContentPart part : parts(value, param)) {
            if (part.type().equals("image_url")) {
                blocks.add(new Marked(images.read(part.part(), part.at()), part.cache()));
            } else {
                blocks.add(new Marked(new ChatRequest.Text(partText(part)), part.cache()));
            }
        }
        return blocks;
    }

    /** An assistant message: its text (possibly none when it called tools) and its tool calls. */
    private static List<Marked> assistant(Map<?, ?> message, String at) throws RequestError {
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
        List<Marked> blocks = new ArrayList<>();
        boolean emptyText = content == null || "".equals(content)
                || (content instanceof List<?> list && list.isEmpty());
        if (!(emptyText && !calls.isEmpty())) {
            for (ContentPart part : textParts(content, at + ".content")) {
                blocks.add(new Marked(new ChatRequest.Text(partText(part)), part.cache()));
            }
        }
        for (Block call : calls) {
            blocks.add(new Marked(call, null));
        }
        return blocks;
    }

    private static List<Block> toolCalls(Object value, String param) throws RequestError {
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
            String id = ToolsParser.callId(call.get("id"), at + ".id");
            Object type = call.get("type");
            if (type != null && !"function".equals(type)) {
                throw new RequestError(OpenAiError.invalidValue(at + ".type", "Invalid value: "
                        + Text.quote(String.valueOf(type)) + ". Supported values are: 'function'."));
            }
            if (!(call.get("function") instanceof Map<?, ?> function)) {
                throw call.get("function") == null ? new RequestError(OpenAiError.missingParameter(at + ".function"))
                        : typeError(at + ".function", "an object", call.get("function"));
            }
            String name = ToolsParser.toolName(requiredString(function, "name", at + ".function.name"),
                    at + ".function.name");
            calls.add(new ToolCall(id, name,
                    ToolsParser.arguments(function.get("arguments"), at + ".function.arguments")));
        }
        return calls;
    }

    /** A tool's result: one block, marked when any of its parts is. */
    private static Marked toolResult(Map<?, ?> message, String at) throws RequestError {
        String id = ToolsParser.callId(message.get("tool_call_id"), at + ".tool_call_id");
        Object content = message.get("content");
        // A tool may return nothing; Converse wants some text in a result, so that is said in words.
        if (content == null || "".equals(content)) {
            return new Marked(new ToolResult(id, "(empty)"), null);
        }
        List<String> texts = new ArrayList<>();
        Boolean cache = null;
        for (ContentPart part : textParts(content, at + ".content")) {
            texts.add(partText(part));
            if (part.cache() != null) {
                cache = part.cache() || Boolean.TRUE.equals(cache);
            }
        }
        return new Marked(new ToolResult(id, String.join("\n", texts)), cache);
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

    /** Each part of a {@code content} array; a string content is one text part. */
    private static List<ContentPart> parts(Object value, String param) throws RequestError {
        return ContentParts.read(value, param, "text", false, (part, at, typeName) -> {
            if (UNSUPPORTED_PARTS.contains(typeName)) {
                throw new RequestError(OpenAiError.unsupported(at + ".type",
                        "Content parts of type '" + typeName + "' are not supported by this gateway; "
                                + "only 'text' parts and inline 'image_url' parts in user messages are."));
            }
            if (!typeName.equals("text") && !typeName.equals("image_url") && !typeName.equals("refusal")) {
                throw new RequestError(OpenAiError.invalidValue(at + ".type",
                        "Invalid value: '" + Text.truncate(typeName) + "'. Supported values are: 'text' and 'image_url'."));
            }
            return new ContentPart(at, part, typeName, CacheControl.read(part, at));
        });
    }

    /** The parts of a {@code content} that may only hold text (system, developer, assistant and tool messages). */
    private static List<ContentPart> textParts(Object value, String param) throws RequestError {
        List<ContentPart> parts = parts(value, param);
        for (ContentPart part : parts) {
            if (part.type().equals("image_url")) {
                throw new RequestError(OpenAiError.unsupported(part.at() + ".type", "Images are taken in user "
                        + "messages only (Bedrock's rule)."));
            }
            partText(part); // a part's error comes before a later part's, as a client reads them
        }
        return parts;
    }

    /** A text part's text; an assistant's refusal part counts as its text. */
    private static String partText(ContentPart part) throws RequestError {
        String field = part.type().equals("refusal") ? "refusal" : "text";
        Object text = part.part().get(field);
        if (text == null) {
            throw new RequestError(OpenAiError.missingParameter(part.at() + "." + field));
        }
        if (!(text instanceof String s)) {
            throw typeError(part.at() + "." + field, "a string", text);
        }
        return s;
    }
}
