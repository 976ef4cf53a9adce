package io.llmgateway.verify;

import io.llmgateway.contract.Headers;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP answer the command received: for which check, on which route, with which status and
 * headers. The header checks judge the whole list of these after the other checks ran.
 *
 * @param check   the check that sent the request
 * @param route   method and path under the host, e.g. {@code GET /v1/models}
 * @param status  the HTTP status
 * @param headers every header, names in lower case
 */
record Seen(Check check, String route, int status, Map<String, List<String>> headers) {

    /**
     * API Gateway's own request-id header. Its gateway responses (401 key errors, the unknown-path
     * 404, 413, the 429s, 504) cannot carry {@code x-request-id}, since a gateway-response header takes
     * only static values or request parameters, but every API Gateway response carries this one, with
     * the same id ("Set up gateway responses to customize error responses", API Gateway developer guide).
     */
    static final String X_AMZN_REQUEST_ID = "x-amzn-RequestId";

    Seen {
        Map<String, List<String>> lower = new LinkedHashMap<>();
        headers.forEach((name, values) -> lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new java.util.ArrayList<>())
                .addAll(values));
        headers = Collections.unmodifiableMap(lower);
    }

    /** The first value of a header, whatever the case of its name. */
    Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** {@code x-request-id <id>}, else {@code x-amzn-RequestId <id>}, else null. */
    String requestId() {
        Optional<String> id = header(Headers.X_REQUEST_ID);
        if (id.isPresent()) {
            return Headers.X_REQUEST_ID + " " + id.get();
        }
        return header(X_AMZN_REQUEST_ID).map(v -> X_AMZN_REQUEST_ID + " " + v).orElse(null);
    }

    /** For messages: {@code chat.completion 429 (POST /v1/chat/completions)}. */
    String describe() {
        return check.label() + " " + status + " (" + route + ")";
    }
}
