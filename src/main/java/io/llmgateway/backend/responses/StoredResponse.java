package io.llmgateway.backend.responses;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One stored response: the Response object as the client got it, the input items of its request, and
 * the items before them that its {@code previous_response_id} chain contributed. A later request that
 * names this response continues from {@link #conversation()}, as OpenAI's does: the model sees the
 * earlier inputs and outputs, then the new input. {@code instructions} are not carried over (OpenAI's
 * rule too).
 *
 * @param id        {@code resp_...}
 * @param owner     the API key id that created it: only that key may read or delete it
 * @param expiresAt unix seconds after which it is gone, whether or not DynamoDB has deleted it yet
 * @param response  the Response object
 * @param input     this request's input items, each with an {@code id}
 * @param history   the items the chain contributed before {@code input}
 */
public record StoredResponse(String id, String owner, long expiresAt, Map<String, Object> response,
                             List<Object> input, List<Object> history) {

    public StoredResponse {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(owner, "owner");
        response = Collections.unmodifiableMap(new LinkedHashMap<>(response));
        input = List.copyOf(input);
        history = List.copyOf(history);
    }

    /** What the model saw and said: the history, this input, this output. */
    public List<Object> conversation() {
        List<Object> items = new ArrayList<>(history);
        items.addAll(input);
        Object output = response.get("output");
        if (output instanceof List<?> list) {
            items.addAll(list);
        }
        return items;
    }

    /** Whether it has expired at this unix second. */
    public boolean expired(long nowSeconds) {
        return nowSeconds >= expiresAt;
    }
}
