package io.llmgateway.config;

import java.util.Objects;

/**
 * A request quota per API key.
 *
 * @param limit  requests per period, at least 1
 * @param period DAY, WEEK or MONTH, in UTC
 * @param offset the day the period starts; see {@link QuotaPeriod}
 */
public record Quota(int limit, QuotaPeriod period, int offset) {
    public Quota {
        Objects.requireNonNull(period, "period");
        if (limit < 1 || offset < 0 || offset > period.maxOffset()) {
            throw new IllegalArgumentException("invalid quota " + limit + "/" + period + " offset " + offset);
        }
    }
}
