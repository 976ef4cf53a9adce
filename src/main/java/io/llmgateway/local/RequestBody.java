package io.llmgateway.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request's body, read only when the pipeline gets to it and never past a limit. A Content-Length
 * over the limit is refused before a byte is read, so a client that announces 20 MB and sends
 * nothing gets its 413 at once; a chunked body is counted while it is read.
 */
final class RequestBody {
    /** The length the request declared, or -1 for a chunked body. */
    private final long declaredLength;
    private final InputStream in;
    private boolean complete;

    /**
     * @param declaredLength the Content-Length (0 when the request has neither it nor a body), or -1
     *                       for {@code Transfer-Encoding: chunked}
     * @param in             the body as the HTTP server decodes it (fixed-length or de-chunked)
     */
    RequestBody(long declaredLength, InputStream in) {
        this.declaredLength = declaredLength;
        this.in = in;
        this.complete = declaredLength == 0;
    }

    /** The whole body, or null when it is larger than {@code maxBytes}. */
    byte[] readAtMost(int maxBytes) throws IOException {
        if (declaredLength > maxBytes) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declaredLength > 0 ? (int) declaredLength : 1024);
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            if (out.size() + read > maxBytes) {
                return null;
            }
            out.write(buffer, 0, read);
        }
        complete = true;
        return out.toByteArray();
    }

    /**
     * Reads and drops what is left of a body the gateway refused without reading, up to
     * {@code maxBytes}. A client still sending when its answer comes would otherwise lose that answer:
     * closing a socket with unread input makes the kernel reset the connection, and the reset discards
     * the answer on its way. A body longer than {@code maxBytes} is left unread.
     *
     * @return true when the whole body was read
     */
    boolean skipRest(long maxBytes) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long skipped = 0;
        while (!complete && skipped <= maxBytes) {
            int read = in.read(buffer);
            if (read < 0) {
                complete = true;
            } else {
                skipped += read;
            }
        }
        return complete;
    }

    /** True once every byte of the body has been read, so the connection can carry another request. */
    boolean complete() {
        return complete;
    }
}
