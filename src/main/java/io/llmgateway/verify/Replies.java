package io.llmgateway.verify;

import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.completions.CompletionUsage;
import io.llmgateway.common.Json;
import java.util.List;

/**
 * The parts of OpenAI's chat answers the checks judge, read out of the SDK's objects while the
 * response is open. The SDK parses fields lazily, so a missing required field surfaces here, as
 * an answer the SDK could not read, and not later inside a check.
 */
final class Replies {

    private Replies() {
    }

    /** {@code usage}. */
    record Usage(long prompt, long completion, long total) {
        static Usage of(CompletionUsage u) {
            return new Usage(u.promptTokens(), u.completionTokens(), u.totalTokens());
        }

        @Override
        public String toString() {
            return prompt + " + " + completion + " = " + total + " tokens";
        }
    }

    /**
     * A tool call, whole ({@code message.tool_calls[]}) or a streamed piece ({@code delta.tool_calls[]}).
     * Absent fields are null; {@code index} is -1 on a whole call, which has none.
     */
    record ToolCall(long index, String id, String type, String name, String arguments) {
    }

    /** A {@code chat.completion}: its object, the first choice, and usage. */
    record Reply(String object, int choices, String content, List<ToolCall> toolCalls, String finishReason,
                 Usage usage) {

        static Reply of(ChatCompletion c) {
            Usage usage = c.usage().map(Usage::of).orElse(null);
            if (c.choices().isEmpty()) {
                return new Reply(text(c._object_()), 0, null, List.of(), null, usage);
            }
            ChatCompletion.Choice first = c.choices().get(0);
            List<ToolCall> calls = first.message().toolCalls().orElse(List.of()).stream().map(Reply::call).toList();
            return new Reply(text(c._object_()), c.choices().size(), first.message().content().orElse(null), calls,
                    first.finishReason().asString(), usage);
        }

        private static ToolCall call(ChatCompletionMessageToolCall call) {
            if (call.isFunction()) {
                var f = call.asFunction();
                return new ToolCall(-1, f.id(), "function", f.function().name(), f.function().arguments());
            }
            return new ToolCall(-1, call.custom().map(c -> c.id()).orElse(null), "custom", null, null);
        }
    }

    /** One streamed choice: its delta's content and tool-call pieces, and its finish reason. */
    record Delta(String content, List<ToolCall> toolCalls, String finishReason) {
    }

    /**
     * A streamed answer: its chunks, and when its first content and its end arrived after the request
     * was sent (ns; {@code firstContentNanos} is -1 when no chunk carried content). On a streaming
     * deployment the first is a fraction of the second; on a buffered one they are equal.
     */
    record Streamed(List<Chunk> chunks, long firstContentNanos, long totalNanos) {
    }

    /** A {@code chat.completion.chunk}. */
    record Chunk(String object, List<Delta> choices, Usage usage) {

        static Chunk of(ChatCompletionChunk c) {
            List<Delta> choices = c.choices().stream().map(choice -> new Delta(
                    choice.delta().content().orElse(null),
                    choice.delta().toolCalls().orElse(List.of()).stream().map(t -> new ToolCall(t.index(),
                            t.id().orElse(null), t.type().map(Object::toString).orElse(null),
                            t.function().flatMap(f -> f.name()).orElse(null),
                            t.function().flatMap(f -> f.arguments()).orElse(null))).toList(),
                    choice.finishReason().map(r -> r.asString()).orElse(null))).toList();
            return new Chunk(text(c._object_()), choices, c.usage().map(Usage::of).orElse(null));
        }
    }

    /** A JSON string's text, else the value as JSON; null for a missing or null value. */
    static String text(JsonValue value) {
        Object plain;
        try {
            plain = value.convert(Object.class);
        } catch (RuntimeException e) {
            return null;
        }
        return plain == null || plain instanceof String ? (String) plain : Json.write(plain);
    }
}
