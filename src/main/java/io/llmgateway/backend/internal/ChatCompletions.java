package io.llmgateway.backend.internal;

import io.llmgateway.common.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenAI's response shapes: the {@code chat.completion} object, and the {@code chat.completion.chunk}
 * events of a stream.
 */
public final class ChatCompletions {

    private ChatCompletions() {
    }

    /** A {@code chat.completion} object. */
    public static Map<String, Object> completion(String id, long created, String model, Completion completion) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("role", "assistant");
        message.put("content", completion.text());
        message.put("refusal", null);

        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("message", message);
        choice.put("logprobs", null);
        choice.put("finish_reason", completion.finishReason());

        Map<String, Object> body = header(id, "chat.completion", created, model);
        body.put("choices", List.of(choice));
        body.put("usage", usage(completion));
        return body;
    }

    /**
     * A whole {@code text/event-stream} body: a role chunk, the content, a chunk with the finish
     * reason, the usage chunk when asked for, and {@code data: [DONE]}. API Gateway REST integrations
     * buffer the response (response streaming is not available through pulumi-aws 6.83), so the events
     * arrive together; the format is still what OpenAI SDKs parse in streaming mode.
     */
    public static String eventStream(String id, long created, String model, Completion completion,
                                     boolean includeUsage) {
        List<Map<String, Object>> chunks = new ArrayList<>(4);
        Map<String, Object> first = new LinkedHashMap<>();
        first.put("role", "assistant");
        first.put("content", "");
        first.put("refusal", null);
        chunks.add(chunk(id, created, model, first, null, includeUsage));
        if (!completion.text().isEmpty()) {
            chunks.add(chunk(id, created, model, Map.of("content", completion.text()), null, includeUsage));
        }
        chunks.add(chunk(id, created, model, Map.of(), completion.finishReason(), includeUsage));
        if (includeUsage) {
            Map<String, Object> last = header(id, "chat.completion.chunk", created, model);
            last.put("choices", List.of());
            last.put("usage", usage(completion));
            chunks.add(last);
        }
        StringBuilder body = new StringBuilder(completion.text().length() + 512 * chunks.size());
        for (Map<String, Object> chunk : chunks) {
            body.append("data: ").append(Json.write(chunk)).append("\n\n");
        }
        return body.append("data: [DONE]\n\n").toString();
    }

    private static Map<String, Object> chunk(String id, long created, String model, Map<String, Object> delta,
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

    private static Map<String, Object> header(String id, String object, long created, String model) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("object", object);
        body.put("created", created);
        body.put("model", model);
        body.put("system_fingerprint", null);
        return body;
    }

    private static Map<String, Object> usage(Completion completion) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", completion.promptTokens());
        usage.put("completion_tokens", completion.completionTokens());
        usage.put("total_tokens", completion.totalTokens());
        return usage;
    }
}
