package io.llmgateway.backend.runtime;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@link ResponseMode#RAW}: the body bytes are the function's result, posted as they are when the
 * handler returns, as AWS's Java runtime client posts a {@code RequestStreamHandler}'s output.
 */
final class RawResponse extends InvocationResponse {

    private final BufferedBody body = new BufferedBody();

    RawResponse(RuntimeApi api, String requestId) {
        super(api, requestId);
    }

    @Override
    public ResponseSink status(int statusCode) {
        throw new UnsupportedOperationException("a RAW response is the handler's own payload: it has no status");
    }

    @Override
    public ResponseSink header(String name, String value) {
        throw new UnsupportedOperationException("a RAW response is the handler's own payload: it has no headers");
    }

    @Override
    public OutputStream body() {
        return body;
    }

    @Override
    void finish() throws IOException {
        api.respond(requestId, body.toByteArray(), RuntimeApi.JSON);
    }

    @Override
    boolean fail(ErrorReport error) {
        return false;
    }
}
