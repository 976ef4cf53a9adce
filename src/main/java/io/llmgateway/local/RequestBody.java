package io.llmgateway.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** A request's body, read only when the pipeline gets to it and never past a limit. */
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

    /** True once every byte of the body has been read, so the connection can carry another request. */
    boolean complete() {
        return complete;
    }
}
