package io.llmgateway.backend.internal;

import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.contract.OpenAiError;
import java.util.Map;

/**
 * A request the gateway refuses while reading it (a 400, 404 or 413), with the error the client gets:
 * a {@link Refusal} like metering's, so a route answers both the same way.
 */
public final class RequestError extends Refusal {

    private static final long serialVersionUID = 1L;

    public RequestError(OpenAiError error) {
        super(error, Map.of());
    }
}
