package io.llmgateway.backend.internal;

import io.llmgateway.contract.OpenAiError;
import java.util.Map;

/**
 * A request the gateway refuses, with the error the client gets. It is control flow, not a fault, so
 * it carries no stack trace.
 */
public final class RequestError extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient OpenAiError error;
    private final transient Map<String, String> headers;

    public RequestError(OpenAiError error) {
        this(error, Map.of());
    }

    /** @param headers headers the answer carries, e.g. an exact Retry-After */
    public RequestError(OpenAiError error, Map<String, String> headers) {
        super(error.message(), null, false, false);
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    public OpenAiError error() {
        return error;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
