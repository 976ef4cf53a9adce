package io.llmgateway.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request's body, read only when the pipeline gets to it and never past a limit. A Content-Length
 * over the limit is refused before a byte is read, so a client that announces 20 MB and sends
 * nothing gets its 413 at once; a chunked body is counted while it is read. The bytes it holds are
 * reserved in the gateway's {@link BodyBudget} first, and given back by {@link #release()}.
 */
final class RequestBody {

    /** The gateway holds as many body bytes as its budget allows: this one must wait for others. */
    static final class Busy extends Exception {
        private static final long serialVersionUID = 1L;

        Busy() {
            super(null, null, false, false);
        }
    }

    /** How much of a chunked body is reserved at a time. */
    static final int CHUNK = 64 * 1024;

    /** The length the request declared, or -1 for a chunked body. */
    private final long declaredLength;
    private final InputStream in;
    private final BodyBudget budget;
    private long reserved;
    private boolean complete;

    /** A body outside any budget (tests). */
    RequestBody(long declaredLength, InputStream in) {
        this(declaredLength, in, new BodyBudget(Long.MAX_VALUE));
    }

    /**
     * @param declaredLength the Content-Length (0 when the request has neither it nor a body), or -1
     *                       for {@code Transfer-Encoding: chunked}
     * @param in             the body as the HTTP server decodes it (fixed-length or de-chunked)
     * @param budget         the gateway's bytes of bodies in flight
     */
    RequestBody(long declaredLength, InputStream in, BodyBudget budget) {
        this.declaredLength = declaredLength;
        this.in = in;
        this.budget = budget;
        this.complete = declaredLength == 0;
    }

    /**
     * The whole body, or null when it is larger than {@code maxBytes}.
     *
     * @throws Busy when the gateway cannot hold it now; nothing of it was read
     */
    byte[] readAtMost(int maxBytes) throws IOException, Busy {
        if (declaredLength > maxBytes) {
            return null;
        }
        if (declaredLength > 0) {
            reserve(declaredLength);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declaredLength > 0 ? (int) declaredLength : 1024);
        byte[] buffer = new byte[CHUNK];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            if (out.size() + read > maxBytes) {
                return null;
            }
            if (declaredLength < 0 && out.size() + read > reserved) {
                reserve(CHUNK);
            }
            out.write(buffer, 0, read);
        }
        complete = true;
        return out.toByteArray();
    }

    private void reserve(long bytes) throws Busy {
        if (!budget.tryReserve(bytes)) {
            throw new Busy();
        }
        reserved += bytes;
    }

    /**
     * Reads and drops what is left of a body the gateway refused without reading, up to
     * {@code maxBytes}. A client still sending when its answer comes would otherwise lose that answer:
     * closing a socket with unread input makes the kernel reset the connection, and the reset discards
     * the answer on its way. A body longer than {@code maxBytes} is left unread. Nothing read here is
     * kept, so it takes nothing from the budget.
     *
     * @return true when the whole body was read
     */
    boolean skipRest(long maxBytes) throws IOException {
        byte[] buffer = new byte[CHUNK];
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

    /** Gives the body's bytes back to the budget; the answer is on its way. */
    void release() {
        budget.release(reserved);
        reserved = 0;
    }

    /** True once every byte of the body has been read, so the connection can carry another request. */
    boolean complete() {
        return complete;
    }
}
