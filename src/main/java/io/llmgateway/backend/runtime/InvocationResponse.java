package io.llmgateway.backend.runtime;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The response to one invocation, in one {@link ResponseMode}: the {@link ResponseSink} a handler
 * writes to, and what the loop does when the handler returns ({@link #finish}) or throws
 * ({@link #fail}).
 */
abstract class InvocationResponse implements ResponseSink {

    final RuntimeApi api;
    final String requestId;
    final HttpHead head = new HttpHead();
    private boolean bodyStarted;

    InvocationResponse(RuntimeApi api, String requestId) {
        this.api = api;
        this.requestId = requestId;
    }

    static InvocationResponse of(ResponseMode mode, RuntimeApi api, String requestId) {
        return switch (mode) {
            case BUFFERED -> new BufferedResponse(api, requestId);
            case STREAMED -> new StreamedResponse(api, requestId);
            case RAW -> new RawResponse(api, requestId);
        };
    }

    @Override
    public ResponseSink status(int statusCode) {
        beforeBody("status");
        head.status(statusCode);
        return this;
    }

    @Override
    public ResponseSink header(String name, String value) {
        beforeBody("header " + name);
        head.add(name, value);
        return this;
    }

    /** The same rule in every mode, so a handler cannot work buffered and break streamed. */
    private void beforeBody(String what) {
        if (bodyStarted) {
            throw new IllegalStateException("the " + what + " must be set before the first byte of the body");
        }
    }

    /** Called by the body stream on every write. */
    final void bodyStarted() {
        bodyStarted = true;
    }

    /** The handler returned: deliver what it wrote. */
    abstract void finish() throws IOException;

    /**
     * The handler threw.
     *
     * @return true when the response had already begun, so that it carried the error itself (or
     *         could not carry anything any more); false when nothing was sent, and the invocation
     *         error path must report it
     * @throws IOException when the error could not be delivered on the begun response
     */
    abstract boolean fail(ErrorReport error) throws IOException;

    /** A body that buffers everything; {@code flush} has nothing to do until the handler returns. */
    final class BufferedBody extends OutputStream {
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        @Override
        public void write(int b) {
            bodyStarted();
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bodyStarted();
            bytes.write(b, off, len);
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
