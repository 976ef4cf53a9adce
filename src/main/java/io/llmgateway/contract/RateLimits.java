package io.llmgateway.contract;

/**
 * The numbers behind {@code Retry-After}. One place, so the gateway responses, the backend and the
 * local gateway agree, and the contract table (docs/openai-compatibility.md) can cite them.
 */
public final class RateLimits {

    /**
     * Retry-After on QUOTA_EXCEEDED where it cannot be computed. API Gateway's gateway responses
     * take only static header values, so the deployed API sends this fixed value; the local
     * gateway knows each key's window and sends the exact time to the next period boundary.
     */
    public static final int QUOTA_RETRY_AFTER_SECONDS = 3600;

    /**
     * Retry-After on a backend 429 (Bedrock throttling) and on a backend 503. Bedrock's quotas are
     * per minute and it gives no hint, so this is a fixed, short back-off.
     */
    public static final int UPSTREAM_RETRY_AFTER_SECONDS = 5;

    /**
     * Retry-After on the firewall's rate-based 429 (AWS WAF). WAF blocks an IP address until its count
     * over the trailing five minutes falls under the limit, which it re-checks every few seconds, so the
     * real wait is unknown and at most those five minutes. OpenAI's SDKs honour Retry-After only below a
     * minute (the Node SDK below 60 s, the Python SDK up to 60 s) and otherwise use their own short
     * back-off, so this is the largest round value both honour with a margin: it spaces their retries
     * out instead of letting them hit the block again within a second.
     */
    public static final int FIREWALL_RETRY_AFTER_SECONDS = 30;

    private RateLimits() {
    }

    /**
     * Retry-After for THROTTLED: the time one token takes to refill at the slowest configured
     * rate, rounded up to whole seconds, at least 1. A client that waits this long is accepted
     * again under every plan.
     *
     * @param slowestRate the smallest rate (requests per second) of any plan or method throttle
     */
    public static int throttledRetryAfterSeconds(double slowestRate) {
        if (!(slowestRate > 0)) {
            throw new IllegalArgumentException("rate must be > 0, got " + slowestRate);
        }
        return (int) Math.max(1, Math.ceil(1.0 / slowestRate));
    }

    /** A plan rate, in requests per second, as OpenAI's per-minute {@code x-ratelimit-limit-requests}. */
    public static long requestsPerMinute(double ratePerSecond) {
        return (long) Math.floor(ratePerSecond * 60.0);
    }

    /** Retry-After when the token counters cannot be reached: a short back-off, like Bedrock's. */
    public static final int TOKEN_STORE_RETRY_AFTER_SECONDS = 5;

    /** Whole seconds to wait for {@code millis}, rounded up, at least 1: what Retry-After carries. */
    public static long retryAfterSeconds(long millis) {
        return Math.max(1, (millis + 999) / 1000);
    }

    /**
     * A duration in OpenAI's {@code x-ratelimit-reset-*} format: {@code 250ms}, {@code 1.5s},
     * {@code 6m0s}, {@code 20h3m4s}. Below a minute it keeps milliseconds; from a minute on, whole
     * seconds rounded up.
     */
    public static String resetDuration(long millis) {
        if (millis <= 0) {
            return "0s";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            String seconds = java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
            return seconds + "s";
        }
        long seconds = (millis + 999) / 1000;
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        return (hours > 0 ? hours + "h" : "") + minutes + "m" + rest + "s";
    }
}
