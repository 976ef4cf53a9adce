package io.llmgateway.backend.metering;

import io.llmgateway.contract.OpenAiError;
import java.util.Map;

/**
 * A request the backend refuses, with the OpenAI error and the headers the client gets: metering
 * refuses a model call before it is made (a 429 when the caller's tokens are spent, with the exact
 * Retry-After, or a 503 when the counters cannot be reached and the deployment says to refuse). It is
 * control flow, not a fault, so it carries no stack trace.
 */
public class Refusal extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient OpenAiError error;
    private final transient Map<String, String> headers;
    private final transient Map<String, Object> logFields;

    public Refusal(OpenAiError error, Map<String, String> headers) {
        this(error, headers, Map.of());
    }

    /** @param logFields what the request's log line says about the refusal (which limit, a metric) */
    public Refusal(OpenAiError error, Map<String, String> headers, Map<String, Object> logFields) {
        super(error.message(), null, false, false);
        this.error = error;
        this.headers = Map.copyOf(headers);
        this.logFields = Map.copyOf(logFields);
    }

    public Map<String, Object> logFields() {
        return logFields;
    }

    public OpenAiError error() {
        return error;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
