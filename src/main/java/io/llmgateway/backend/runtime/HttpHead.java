package io.llmgateway.backend.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A response's status and header fields, as both API Gateway formats carry them: names with one
 * value under {@code headers}, names with several under {@code multiValueHeaders} (API Gateway
 * developer guide, "Output format of a Lambda function for proxy integration" and "Lambda proxy
 * integration format for response streaming").
 */
final class HttpHead {

    private int status = 200;
    /** In the order the handler added them; a name added again in another case joins the first. */
    private final Map<String, List<String>> fields = new LinkedHashMap<>();

    HttpHead() {
    }

    HttpHead(int status, Map<String, List<String>> fields) {
        status(status);
        fields.forEach((name, values) -> values.forEach(value -> add(name, value)));
    }

    void status(int code) {
        if (code < 100 || code > 599) {
            throw new IllegalArgumentException("an HTTP status is 100-599, not " + code);
        }
        this.status = code;
    }

    void add(String name, String value) {
        if (name == null || name.isEmpty() || !name.chars().allMatch(HttpHead::tokenChar)) {
            throw new IllegalArgumentException("not an HTTP field name: " + name);
        }
        if (value == null || value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
            throw new IllegalArgumentException("HTTP field " + name + " needs a value without CR, LF or NUL");
        }
        String key = fields.keySet().stream().filter(name::equalsIgnoreCase).findFirst().orElse(name);
        fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    /** RFC 9110 section 5.6.2 token characters. */
    private static boolean tokenChar(int c) {
        return c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    int status() {
        return status;
    }

    /** {@code statusCode}, {@code headers} and {@code multiValueHeaders}, the maps left out when empty. */
    Map<String, Object> json() {
        Map<String, String> single = new LinkedHashMap<>();
        Map<String, List<String>> multi = new LinkedHashMap<>();
        fields.forEach((name, values) -> {
            if (values.size() == 1) {
                single.put(name, values.get(0));
            } else {
                multi.put(name, List.copyOf(values));
            }
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("statusCode", status);
        if (!single.isEmpty()) {
            json.put("headers", single);
        }
        if (!multi.isEmpty()) {
            json.put("multiValueHeaders", multi);
        }
        return json;
    }
}
