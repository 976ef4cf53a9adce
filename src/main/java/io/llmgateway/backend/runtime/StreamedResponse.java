package io.llmgateway.backend.runtime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@link ResponseMode#STREAMED}: the integration-response prelude, then the body, on a streamed
 * Runtime API response. Nothing is sent before the handler's first flush (or its return), so an
 * error before that still takes the invocation error path; the first chunk then carries the prelude
 * with the bytes written so far. Each later flush sends what was written since as one chunk. After
 * the first byte an error can only end the stream, with the error trailers.
 */
final class StreamedResponse extends InvocationResponse {

    /** The most body bytes held back: a chunk is sent when they are reached, flush or not. */
    static final int CHUNK_LIMIT = 64 * 1024;

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final OutputStream body = new StreamedBody();
    private LoopbackHttp.ChunkedRequest stream;
    /** The connection failed: the response cannot be continued or ended. */
    private boolean broken;

    StreamedResponse(RuntimeApi api, String requestId) {
        super(api, requestId);
    }

    @Override
    public OutputStream body() {
        return body;
    }

    private final class StreamedBody extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            usable();
            bodyStarted();
            while (len > 0) {
                int taken = Math.min(len, CHUNK_LIMIT - pending.size());
                pending.write(b, off, taken);
                off += taken;
                len -= taken;
                if (pending.size() == CHUNK_LIMIT) {
                    send(false);
                }
            }
        }

        @Override
        public void flush() throws IOException {
            usable();
            send(true);
        }
    }

    private void usable() throws IOException {
        if (broken) {
            throw new IOException("the streamed response to " + requestId + " was cut off");
        }
    }

    /** Sends what is pending as one chunk, opening the stream (prelude first) if it is not open yet. */
    private void send(boolean flush) throws IOException {
        try {
            byte[] chunk;
            if (stream == null) {
                byte[] prelude = IntegrationPrelude.encode(head);
                stream = api.openStream(requestId, IntegrationPrelude.CONTENT_TYPE);
                chunk = concat(prelude, pending.toByteArray());
            } else {
                chunk = pending.toByteArray();
            }
            pending.reset();
            stream.write(chunk, 0, chunk.length);
            if (flush) {
                stream.flush();
            }
        } catch (IOException e) {
            cutOff();
            throw e;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private void cutOff() {
        broken = true;
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // Already failing; the close only releases the socket.
            }
        }
    }

    @Override
    void finish() throws IOException {
        if (broken) {
            return;
        }
        send(false);
        RuntimeApi.endStream(stream, null);
    }

    @Override
    boolean fail(ErrorReport error) throws IOException {
        if (broken) {
            return true;
        }
        if (stream == null) {
            return false;
        }
        send(false);
        RuntimeApi.endStream(stream, error);
        return true;
    }
}
