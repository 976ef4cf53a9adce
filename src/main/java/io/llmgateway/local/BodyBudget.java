package io.llmgateway.local;

/**
 * The bytes of request bodies the gateway holds at once. API Gateway takes bodies of up to 10 MB on a
 * fleet; one process holding many of them, each copied a few times on its way to the handler, runs out
 * of memory (200 bodies of 9.8 MB did). A body is reserved before it is read, its whole declared
 * length, or a chunked body piece by piece, and released once its request is answered; a body that
 * does not fit is refused at once with 503 and Retry-After, never read.
 */
final class BodyBudget {

    /**
     * One maximal body at least, else a 32nd of the heap: on its way to the handler a body is copied
     * several times (bytes, text, the proxy event), about eleven times its size at the peak measured.
     */
    static BodyBudget forHeap(long maxHeapBytes) {
        return new BodyBudget(Math.max(ApiGatewayPipeline.MAX_PAYLOAD_BYTES, maxHeapBytes / 32));
    }

    private final long limit;
    private long held;

    BodyBudget(long limitBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("limitBytes must be positive: " + limitBytes);
        }
        this.limit = limitBytes;
    }

    /** Takes {@code bytes} when they fit beside what is held; false (and nothing taken) when not. */
    synchronized boolean tryReserve(long bytes) {
        if (bytes > limit - held) {
            return false;
        }
        held += bytes;
        return true;
    }

    synchronized void release(long bytes) {
        held = Math.max(0, held - bytes);
    }

    synchronized long held() {
        return held;
    }

    long limit() {
        return limit;
    }
}
