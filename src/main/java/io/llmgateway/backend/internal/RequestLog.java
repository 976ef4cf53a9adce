package io.llmgateway.backend.internal;

import io.llmgateway.common.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one structured log line of a request. It holds ids, the route, the model alias, the outcome and
 * token counts: never the API key, the prompt or the completion.
 */
public final class RequestLog {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public RequestLog() {
        fields.put("requestId", null);
        fields.put("apiKeyId", null);
        fields.put("route", null);
        fields.put("model", null);
        fields.put("status", null);
        fields.put("latencyMs", null);
        fields.put("inputTokens", null);
        fields.put("outputTokens", null);
        fields.put("stream", null);
        fields.put("errorCode", null);
    }

    public RequestLog put(String field, Object value) {
        fields.put(field, value);
        return this;
    }

    public Object get(String field) {
        return fields.get(field);
    }

    public String toJson() {
        return Json.write(fields);
    }
}
