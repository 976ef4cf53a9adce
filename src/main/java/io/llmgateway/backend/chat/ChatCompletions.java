package io.llmgateway.backend.chat;

import io.llmgateway.common.Json;
import io.llmgateway.common.Usage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's response shapes: the {@code chat.completion} object, and the {@code chat.completion.chunk}
 * events of a stream.
 *
 * <p>Tool calls are {@code message.tool_calls} ({@code id}, {@code type: function}, {@code function.name},
 * {@code function.arguments} as a JSON string). Reasoning text is {@code message.reasoning_content}
 * ({@code delta.reasoning_content} in a stream), the field DeepSeek's API, vLLM and LiteLLM use and the
 * clients built for them read; it is present only when the model reasoned, and never part of {@code content}.
 */
public final class ChatCompletions {

    /** How many characters of a tool call's arguments one stream chunk carries, as OpenAI streams them in pieces. */
    static final int ARGUMENT_FRAGMENT = 32;

    private ChatCompletions() {
    }

    /** A {@code chat.completion} object. */
    public static Map<String, Object> completion(String id, long created, String model, Completion completion) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        // OpenAI sends null content when the model only called tools.
        message.put("content", completion.text().isEmpty() && !completion.toolCalls().isEmpty() ? null : completion.text());
        message.put("refusal", null);
        if (completion.reasoning() != null) {
            message.put("reasoning_content", completion.reasoning());
        }
        if (!completion.toolCalls().isEmpty()) {
            List<Map<String, Object>> calls = new ArrayList<>(completion.toolCalls().size());
            for (Completion.ToolCall call : completion.toolCalls()) {
                calls.add(toolCall(null, call.id(), call.name(), call.arguments()));
            }
            message.put("tool_calls", calls);
        }

        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("logprobs", null);
        choice.put("finish_reason", completion.finishReason());

        Map<String, Object> body = header(id, "chat.completion", created, model);
        body.put("choices", List.of(choice));
        body.put("usage", usage(completion.usage()));
        return body;
    }

    /**
     * A whole {@code text/event-stream} body: a role chunk, the reasoning, the content, each tool call
     * as OpenAI streams it (a chunk with its {@code index}, {@code id}, {@code type} and
     * {@code function.name} and empty arguments, then chunks with pieces of {@code function.arguments}),
     * a chunk with the finish reason, the usage chunk when asked for, and {@code data: [DONE]}: the
     * answer to {@code stream: true} on a route whose integration buffers (streaming switched off), where
     * the events arrive together. A streaming route writes them as Bedrock generates ({@link ChatChunks}).
     */
    public static String eventStream(String id, long created, String model, Completion completion,
                                     boolean includeUsage) {
        List<Map<String, Object>> chunks = new ArrayList<>(4);
        chunks.add(chunk(id, created, model, roleDelta(), null, includeUsage));
        if (completion.reasoning() != null && !completion.reasoning().isEmpty()) {
            chunks.add(chunk(id, created, model, Map.of("reasoning_content", completion.reasoning()), null, includeUsage));
        }
        if (!completion.text().isEmpty()) {
            chunks.add(chunk(id, created, model, Map.of("content", completion.text()), null, includeUsage));
        }
        for (int i = 0; i < completion.toolCalls().size(); i++) {
            Completion.ToolCall call = completion.toolCalls().get(i);
            chunks.add(chunk(id, created, model, Map.of("tool_calls", List.of(toolCall(i, call.id(), call.name(), ""))),
                    null, includeUsage));
            String arguments = call.arguments();
            for (int at = 0; at < arguments.length(); at += ARGUMENT_FRAGMENT) {
                Map<String, Object> piece = new LinkedHashMap<>();
                piece.put("index", i);
                piece.put("function", Map.of("arguments",
                        arguments.substring(at, Math.min(arguments.length(), at + ARGUMENT_FRAGMENT))));
                chunks.add(chunk(id, created, model, Map.of("tool_calls", List.of(piece)), null, includeUsage));
            }
        }
        chunks.add(chunk(id, created, model, Map.of(), completion.finishReason(), includeUsage));
        if (includeUsage) {
            chunks.add(usageChunk(id, created, model, usage(completion.usage())));
        }
        StringBuilder body = new StringBuilder(completion.text().length() + 512 * chunks.size());
        for (Map<String, Object> chunk : chunks) {
            body.append(event(chunk));
        }
        return body.append(DONE).toString();
    }

    /** A tool call as OpenAI writes it; with an {@code index} in a stream's delta. */
    static Map<String, Object> toolCall(Integer index, String id, String name, String arguments) {
        Map<String, Object> call = new LinkedHashMap<>();
        if (index != null) {
            call.put("index", index);
        }
        call.put("id", id);
        call.put("type", "function");
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", name);
        function.put("arguments", arguments);
        call.put("function", function);
        return call;
    }

    static Map<String, Object> chunk(String id, long created, String model, Map<String, Object> delta,
                                             String finishReason, boolean includeUsage) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("logprobs", null);
        choice.put("finish_reason", finishReason);
        Map<String, Object> chunk = header(id, "chat.completion.chunk", created, model);
        chunk.put("choices", List.of(choice));
        if (includeUsage) {
            chunk.put("usage", null); // OpenAI: null on every chunk but the last when usage is included
        }
        return chunk;
    }

    static Map<String, Object> header(String id, String object, long created, String model) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("object", object);
        body.put("created", created);
        body.put("model", model);
        body.put("system_fingerprint", null);
        return body;
    }

    /**
     * The {@code usage} object of a completion and of a stream's last chunk, the one mapping both use:
     * {@code prompt_tokens} counts all the input, cache reads and writes included, so
     * {@code total_tokens} is {@code prompt_tokens + completion_tokens} (Bedrock's {@code totalTokens});
     * {@code prompt_tokens_details.cached_tokens} is the cache reads and
     * {@code prompt_tokens_details.cache_write_tokens} the cache writes, as OpenAI names them (OpenAI
     * API reference, "The chat completion object": {@code usage.prompt_tokens_details}); and
     * {@code completion_tokens_details.reasoning_tokens} when the model says how many it spent.
     */
    public static Map<String, Object> usage(Usage tokens) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", tokens.promptTokens());
        usage.put("completion_tokens", tokens.output());
        usage.put("total_tokens", tokens.totalTokens());
        Map<String, Object> prompt = new LinkedHashMap<>();
        prompt.put("cached_tokens", tokens.cacheRead());
        prompt.put("cache_write_tokens", tokens.cacheWrites());
        usage.put("prompt_tokens_details", prompt);
        if (tokens.reasoning() >= 0) {
            usage.put("completion_tokens_details", Map.of("reasoning_tokens", tokens.reasoning()));
        }
        return usage;
    }

    /** The chunk that closes a stream with usage ({@code stream_options.include_usage}): no choices, the usage. */
    static Map<String, Object> usageChunk(String id, long created, String model, Map<String, Object> usage) {
        Map<String, Object> last = header(id, "chat.completion.chunk", created, model);
        last.put("choices", List.of());
        last.put("usage", usage);
        return last;
    }

    /** The first chunk of a stream: the assistant's role, empty content. */
    static Map<String, Object> roleDelta() {
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("role", "assistant");
        first.put("content", "");
        first.put("refusal", null);
        return first;
    }

    /** One server-sent event. */
    static String event(Object json) {
        return "data: " + Json.write(json) + "\n\n";
    }

    static final String DONE = "data: [DONE]\n\n";
}
