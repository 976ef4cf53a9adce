package io.llmgateway.local;

import io.llmgateway.config.Throttle;

/**
 * API Gateway's throttle: a bucket of {@code burstLimit} tokens, refilled at {@code rateLimit}
 * tokens per second, that starts full. Over T seconds of offered load well above the rate it
 * accepts {@code burst + rate * T} requests. Unlike AWS, which throttles best effort across a fleet,
 * this bucket is exact.
 *
 * <p>Not thread-safe on its own: {@link UsageLimiter} holds one lock across every bucket a request
 * needs, so that a request takes a token from all of them or from none.
 */
final class TokenBucket {
    private final double rate;
    private final double capacity;
    private double tokens;
    private long lastNanos;

    TokenBucket(Throttle throttle, long nowNanos) {
        this.rate = throttle.rateLimit();
        this.capacity = throttle.burstLimit();
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    /** Refills for the time since the last call, then says whether a whole token is there. */
    boolean hasToken(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * rate / 1e9);
            lastNanos = nowNanos;
        }
        return tokens >= 1.0;
    }

    /** The tokens in the bucket now, after the refill: what the status page shows. */
    double level(long nowNanos) {
        hasToken(nowNanos);
        return tokens;
    }

    /** Takes the token {@link #hasToken} found. */
    void take() {
        tokens -= 1.0;
    }
}
