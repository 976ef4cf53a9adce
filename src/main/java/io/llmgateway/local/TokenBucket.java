package io.llmgateway.local;

import io.llmgateway.config.Throttle;

/**
 * API Gateway's throttle: a bucket of {@code burstLimit} tokens, refilled at {@code rateLimit}
 * tokens per second, that starts full. Over T seconds of offered load well above the rate it
 * accepts {@code burst + rate * T} requests. Unlike AWS, which throttles best effort across a fleet,
 * this bucket is exact.
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

    synchronized boolean tryAcquire(long nowNanos) {
        refill(nowNanos);
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * rate / 1e9);
            lastNanos = nowNanos;
        }
    }
}
