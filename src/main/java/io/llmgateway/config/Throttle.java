package io.llmgateway.config;

/**
 * A token bucket: {@code rateLimit} tokens per second refill a bucket of {@code burstLimit}. Both
 * are always set, because AWS treats an unset field as 0, and 0 allows nothing
 * (AWS developer guide, "Throttle API requests"; aws/aws-cdk#10071).
 *
 * @param rateLimit  steady rate, requests per second, may be fractional, greater than 0
 * @param burstLimit bucket size, at least 1
 */
public record Throttle(double rateLimit, int burstLimit) {
    public Throttle {
        if (!(rateLimit > 0) || Double.isInfinite(rateLimit) || burstLimit < 1) {
            throw new IllegalArgumentException("need rateLimit > 0 and burstLimit >= 1, got "
                    + rateLimit + " and " + burstLimit);
        }
    }
}
