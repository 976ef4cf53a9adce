package io.llmgateway.backend.internal;

import io.llmgateway.contract.OpenAiError;

/**
 * A request the gateway refuses, with the error the client gets. It is control flow, not a fault, so
 * it carries no stack trace.
 */
public final class RequestError extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient OpenAiError error;

    public RequestError(OpenAiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public OpenAiError error() {
        return error;
    }
}
