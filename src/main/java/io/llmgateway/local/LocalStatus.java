package io.llmgateway.local;

import io.llmgateway.common.Json;
import io.llmgateway.contract.BackendLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the status page shows beyond the limits' own state: each key's token use, read from the
 * backend's request lines (the lines CloudWatch would get, so the figures are the deployed ones), and
 * the last answers that refused or failed. Thread-safe: request threads write, the page reads.
 */
final class LocalStatus {

    /** How many refusals the page lists, newest first. */
    static final int REFUSALS_KEPT = 20;

    /** A key's answered model calls (chat and embeddings) and the tokens the model reported for them. */
    record TokenUse(long requests, long inputTokens, long outputTokens) {
        static final TokenUse NONE = new TokenUse(0, 0, 0);

        TokenUse plus(long input, long output) {
            return new TokenUse(requests + 1, inputTokens + input, outputTokens + output);
        }
    }

    /**
     * An answer with a 4xx or 5xx status.
     *
     * @param keyId the key usage plans matched, or null (no key, an unknown or disabled one)
     * @param route the method and resource path ({@code GET /v1/models}), or null for a path the API does not serve
     * @param cause the gateway response type (THROTTLED, QUOTA_EXCEEDED, ...) or the backend's
     *              {@code error.code}
     */
    record Refusal(Instant at, String keyId, String route, int status, String cause) {
    }

    /** How many refusals one key (null: no valid key) has had for one cause. */
    record RefusalCount(String keyId, String cause, long count) {
    }

    private final Map<String, TokenUse> tokens = new HashMap<>();
    private final Deque<Refusal> refusals = new ArrayDeque<>();
    private final Map<List<String>, Long> counts = new HashMap<>();

    /** One of the backend's log lines: an answered chat request counts its tokens against its key. */
    void backendLine(String line) {
        Map<String, Object> fields;
        try {
            fields = Json.readObject(line);
        } catch (IOException | RuntimeException e) {
            return; // not a request line
        }
        if (fields.get(BackendLog.API_KEY_ID) instanceof String keyId
                && fields.get(BackendLog.INPUT_TOKENS) instanceof Number input
                && fields.get(BackendLog.OUTPUT_TOKENS) instanceof Number output) {
            synchronized (this) {
                tokens.merge(keyId, TokenUse.NONE.plus(input.longValue(), output.longValue()),
                        (was, one) -> was.plus(one.inputTokens(), one.outputTokens()));
            }
        }
    }

    /** An answer sent; a 4xx or 5xx one is kept as a refusal. */
    void answered(Instant at, String keyId, String route, LocalResponse answer) {
        if (answer.status() < 400) {
            return;
        }
        String cause = answer.responseType() != null ? answer.responseType() : backendCode(answer.body());
        synchronized (this) {
            counts.merge(java.util.Arrays.asList(keyId, cause), 1L, Long::sum);
            refusals.addFirst(new Refusal(at, keyId, route, answer.status(), cause));
            while (refusals.size() > REFUSALS_KEPT) {
                refusals.removeLast();
            }
        }
    }

    synchronized TokenUse tokenUse(String keyId) {
        return tokens.getOrDefault(keyId, TokenUse.NONE);
    }

    /** Newest first (by arrival: concurrent requests finish in any order). */
    synchronized List<Refusal> refusals() {
        List<Refusal> newest = new ArrayList<>(refusals);
        newest.sort(Comparator.comparing(Refusal::at).reversed());
        return newest;
    }

    /** Every refusal so far, counted by key and cause, most first. */
    synchronized List<RefusalCount> refusalCounts() {
        List<RefusalCount> all = new ArrayList<>();
        counts.forEach((keyAndCause, count) -> all.add(new RefusalCount(keyAndCause.get(0), keyAndCause.get(1), count)));
        all.sort(Comparator.comparingLong(RefusalCount::count).reversed()
                .thenComparing(c -> String.valueOf(c.keyId())).thenComparing(RefusalCount::cause));
        return all;
    }

    /** The backend's OpenAI error code, or its status family when the body is not an OpenAI error. */
    private static String backendCode(byte[] body) {
        try {
            if (Json.readObject(new String(body, StandardCharsets.UTF_8)).get("error") instanceof Map<?, ?> error
                    && error.get("code") instanceof String code) {
                return code;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: fall through
        }
        return "error";
    }
}
