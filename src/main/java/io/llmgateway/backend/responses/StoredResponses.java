package io.llmgateway.backend.responses;

import io.llmgateway.backend.internal.Reply;
import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.backend.internal.RequestLog;
import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.contract.Route;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stored responses, where the stack keeps them ({@code responses.store.enabled}): writing one after
 * {@code POST /v1/responses}, the history a {@code previous_response_id} brings, and the routes that read
 * and delete them ({@code GET}/{@code DELETE /v1/responses/{response_id}},
 * {@code GET /v1/responses/{response_id}/input_items}).
 *
 * <p>A response belongs to the API key that created it (API Gateway's {@code apiKeyId}); for any other
 * key it does not exist (404, never 403). Nothing of a prompt or an answer is logged: a log line says
 * only whether a response was stored, found or deleted.
 */
public final class StoredResponses {

    private static final long SECONDS_PER_DAY = 86_400;
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;
    private static final int MAX_ID_LENGTH = 256;
    private static final Set<String> LIST_PARAMETERS = Set.of("limit", "order", "after");

    private final ResponseStore store;
    private final int ttlDays;
    private final Clock clock;

    /** @param ttlDays days from writing until a stored response expires */
    public StoredResponses(ResponseStore store, int ttlDays, Clock clock) {
        this.store = store;
        this.ttlDays = ttlDays;
        this.clock = clock;
    }

    private long now() {
        return clock.millis() / 1000;
    }

    /**
     * The store's answer for this id and key, without asking it for an id no response can have (ours are
     * {@code resp_} and letters and digits): DynamoDB refuses a key over 2,048 bytes with an error, which
     * must not turn a wrong id into a 503.
     */
    private Optional<StoredResponse> lookup(String id, String owner) {
        if (owner == null || id.length() > MAX_ID_LENGTH || !id.chars().allMatch(StoredResponses::idChar)) {
            return Optional.empty();
        }
        return store.get(id, owner, now());
    }

    private static boolean idChar(int c) {
        return c < 0x80 && (Character.isLetterOrDigit(c) || c == '_' || c == '-');
    }

    /** A request's {@code input} as items: a string is one user message. */
    static List<Object> items(Object input) {
        if (input instanceof String text) {
            Map<String, Object> content = new LinkedHashMap<>();
            content.put("type", "input_text");
            content.put("text", text);
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", "message");
            message.put("role", "user");
            message.put("content", List.of(content));
            return List.of(message);
        }
        return input instanceof List<?> list ? new ArrayList<>(list) : List.of();
    }

    /** The input items as stored: each with an id ({@code input_items} pages by them), the client's when it sent one. */
    static List<Object> withIds(List<Object> items, String responseId) {
        String suffix = responseId.startsWith("resp_") ? responseId.substring("resp_".length()) : responseId;
        List<Object> stored = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i) instanceof Map<?, ?> item && !(item.get("id") instanceof String)) {
                Map<String, Object> copy = new LinkedHashMap<>();
                copy.put("id", prefix(item) + suffix + "_" + i);
                item.forEach((k, v) -> copy.put(String.valueOf(k), v));
                stored.add(copy);
            } else {
                stored.add(items.get(i));
            }
        }
        return stored;
    }

    private static String prefix(Map<?, ?> item) {
        Object type = item.get("type") == null && item.containsKey("role") ? "message" : item.get("type");
        return switch (String.valueOf(type)) {
            case "message" -> "msg_";
            case "function_call" -> "fc_";
            case "function_call_output" -> "fco_";
            case "reasoning" -> "rs_";
            default -> "item_";
        };
    }

    /**
     * What the model sees before this request's input: the chain of {@code previous}.
     *
     * @throws RequestError 404 in OpenAI's words when this key has no such response
     */
    List<Object> history(String previous, String owner, RequestLog line) throws RequestError {
        Optional<StoredResponse> found;
        try {
            found = lookup(previous, owner);
        } catch (ResponseStore.StoreFailure e) {
            line.put("response_store", "failed");
            throw new RequestError(OpenAiError.responseStoreUnavailable());
        }
        line.put("previous_response", found.isPresent() ? "found" : "not_found");
        return found.orElseThrow(() -> new RequestError(OpenAiError.previousResponseNotFound(previous)))
                .conversation();
    }

    /**
     * Keeps an answered response. A failure here is the store's, after the client has its answer: it is
     * logged and the answer stands.
     *
     * @return whether it was stored
     */
    boolean keep(String owner, Map<String, Object> response, Object input, List<Object> history, RequestLog line) {
        if (owner == null) {
            line.put("stored", "no_api_key");
            return false;
        }
        String id = String.valueOf(response.get("id"));
        Map<String, Object> object = new LinkedHashMap<>(response);
        object.remove("output_text");
        try {
            boolean kept = store.put(new StoredResponse(id, owner, now() + ttlDays * SECONDS_PER_DAY, object,
                    withIds(items(input), id), history));
            line.put("stored", kept ? "yes" : "too_large");
            return kept;
        } catch (RuntimeException e) {
            // The answer has gone out or is going out: a store that fails costs the storing, not the answer.
            line.put("stored", "failed");
            return false;
        }
    }

    /** One of the stored-response routes. */
    public Reply handle(Route route, String id, Map<String, String> query, String owner, RequestLog line) {
        line.put("response_id", Text.truncate(id));
        try {
            return switch (route) {
                case RESPONSE_GET -> {
                    refuseParameters(query, Set.of());
                    yield Reply.ok(Headers.JSON, Json.write(find(id, owner, line).response()), Map.of());
                }
                case RESPONSE_DELETE -> delete(id, owner, line);
                case RESPONSE_INPUT_ITEMS -> inputItems(find(id, owner, line), query);
                default -> throw new IllegalArgumentException("not a stored-response route: " + route);
            };
        } catch (RequestError e) {
            return Reply.error(e.error());
        } catch (ResponseStore.StoreFailure e) {
            line.put("response_store", "failed");
            return Reply.error(OpenAiError.responseStoreUnavailable());
        }
    }

    private StoredResponse find(String id, String owner, RequestLog line) throws RequestError {
        Optional<StoredResponse> found = lookup(id, owner);
        line.put("found", found.isPresent());
        return found.orElseThrow(() -> new RequestError(OpenAiError.responseNotFound(id)));
    }

    private Reply delete(String id, String owner, RequestLog line) throws RequestError {
        boolean deleted = lookup(id, owner).isPresent() && store.delete(id, owner, now());
        line.put("deleted", deleted);
        if (!deleted) {
            throw new RequestError(OpenAiError.responseNotFound(id));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("object", "response");
        body.put("deleted", true);
        return Reply.ok(Headers.JSON, Json.write(body), Map.of());
    }

    /** OpenAI's list object over this request's input items: {@code limit} 1-100 (20), {@code order} desc or asc, {@code after}. */
    private static Reply inputItems(StoredResponse stored, Map<String, String> query) throws RequestError {
        refuseParameters(query, LIST_PARAMETERS);
        int limit = DEFAULT_LIMIT;
        String rawLimit = query.get("limit");
        if (rawLimit != null) {
            try {
                limit = Integer.parseInt(rawLimit);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new RequestError(OpenAiError.invalidValue("limit", "Invalid 'limit': "
                        + Text.quote(Text.truncate(rawLimit)) + ". Expected an integer from 1 to " + MAX_LIMIT + "."));
            }
        }
        String order = query.getOrDefault("order", "desc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new RequestError(OpenAiError.invalidValue("order", "Invalid 'order': " + Text.quote(Text.truncate(order))
                    + ". Supported values are: 'asc' and 'desc'."));
        }
        List<Object> items = new ArrayList<>(stored.input());
        if (order.equals("desc")) {
            java.util.Collections.reverse(items);
        }
        String after = query.get("after");
        int start = 0;
        if (after != null) {
            start = -1;
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) instanceof Map<?, ?> item && after.equals(item.get("id"))) {
                    start = i + 1;
                }
            }
            if (start < 0) {
                throw new RequestError(OpenAiError.invalidValue("after", "Invalid 'after': no input item with id "
                        + Text.quote(Text.truncate(after)) + " in this response."));
            }
        }
        List<Object> page = items.subList(start, Math.min(items.size(), start + limit));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", page);
        body.put("first_id", page.isEmpty() ? null : ((Map<?, ?>) page.get(0)).get("id"));
        body.put("last_id", page.isEmpty() ? null : ((Map<?, ?>) page.get(page.size() - 1)).get("id"));
        body.put("has_more", start + page.size() < items.size());
        return Reply.ok(Headers.JSON, Json.write(body), Map.of());
    }

    /** A query parameter this gateway does not read is refused, naming it, rather than silently ignored. */
    private static void refuseParameters(Map<String, String> query, Set<String> allowed) throws RequestError {
        for (String name : query.keySet()) {
            if (!allowed.contains(name)) {
                throw new RequestError(OpenAiError.unsupported(Text.truncate(name), "Query parameter "
                        + Text.quote(Text.truncate(name)) + " is not supported on this route"
                        + (allowed.isEmpty() ? "." : "; supported: " + String.join(", ", allowed.stream().sorted().toList())
                        + ".")));
            }
        }
    }
}
