package io.llmgateway.backend;

import io.llmgateway.common.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Lambda proxy response read the way API Gateway reads it: {@code headers} and
 * {@code multiValueHeaders} merged (a multi-value entry replaces the single one), and a base64 body
 * decoded.
 *
 * @param statusCode the status; API Gateway sends 200 when the function leaves it out
 * @param headers    header name to values, in the function's order
 * @param body       the body's bytes
 */
public record ProxyResponse(int statusCode, Map<String, List<String>> headers, byte[] body) {

    public ProxyResponse {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * @throws IOException when the output is not a JSON object, or its body is not the base64 it claims
     */
    public static ProxyResponse read(byte[] json) throws IOException {
        if (!(Json.read(json) instanceof Map<?, ?> root)) {
            throw new IOException("a proxy response must be a JSON object");
        }
        int status = root.get("statusCode") instanceof Number n ? n.intValue() : 200;
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (root.get("headers") instanceof Map<?, ?> single) {
            single.forEach((name, value) -> {
                if (value != null) {
                    headers.put(String.valueOf(name), List.of(String.valueOf(value)));
                }
            });
        }
        if (root.get("multiValueHeaders") instanceof Map<?, ?> multi) {
            multi.forEach((name, values) -> {
                List<String> list = new ArrayList<>();
                if (values instanceof List<?> items) {
                    items.forEach(item -> list.add(String.valueOf(item)));
                }
                headers.put(String.valueOf(name), list);
            });
        }
        String text = root.get("body") instanceof String s ? s : "";
        byte[] body;
        if (Boolean.TRUE.equals(root.get("isBase64Encoded"))) {
            try {
                body = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new IOException("isBase64Encoded is true but the body is not base64");
            }
        } else {
            body = text.getBytes(StandardCharsets.UTF_8);
        }
        return new ProxyResponse(status, headers, body);
    }

    /** The last value of a header, by name in any case; null when absent. */
    public String header(String name) {
        String found = null;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                found = e.getValue().get(e.getValue().size() - 1);
            }
        }
        return found;
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProxyResponse other && other.statusCode == statusCode
                && other.headers.equals(headers) && java.util.Arrays.equals(other.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * statusCode + headers.hashCode()) + java.util.Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "ProxyResponse[" + statusCode + ", " + headers + ", " + body.length + " bytes]";
    }
}
