package io.llmgateway.local;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the pipeline sees it: method, path, query, headers and a body not yet read.
 *
 * @param method    upper case
 * @param rawPath   the path as sent, still percent-encoded
 * @param rawQuery  the query as sent, or null
 * @param protocol  e.g. {@code HTTP/1.1}
 * @param sourceIp  the client's address
 * @param headers   name to values, in the order received
 * @param body      read on demand
 * @param received  when it arrived, on the gateway's clock ({@code requestTimeEpoch}, {@code requestTime})
 */
record IncomingRequest(String method, String rawPath, String rawQuery, String protocol, String sourceIp,
                       Map<String, List<String>> headers, RequestBody body, Instant received) {

    /** The last value of a header, by name in any case, as API Gateway's single-value view has it; null when absent. */
    String header(String name) {
        String found = null;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                found = e.getValue().get(e.getValue().size() - 1);
            }
        }
        return found;
    }

    /** The path under {@code /<stage>}, e.g. {@code /v1/models}; empty when the request is not under the stage. */
    Optional<String> resourcePath(String stage) {
        String prefix = "/" + stage + "/";
        return rawPath != null && rawPath.startsWith(prefix)
                ? Optional.of(rawPath.substring(prefix.length() - 1)) : Optional.empty();
    }

    /** The query string decoded into name to values; a malformed escape is kept as sent rather than failing the request. */
    Map<String, List<String>> queryParameters() {
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return query;
    }

    /** API Gateway's single-value view of a multi-value map: the last value wins. */
    static Map<String, String> lastValues(Map<String, List<String>> multi) {
        Map<String, String> single = new LinkedHashMap<>();
        multi.forEach((name, values) -> {
            if (!values.isEmpty()) {
                single.put(name, values.get(values.size() - 1));
            }
        });
        return single;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
