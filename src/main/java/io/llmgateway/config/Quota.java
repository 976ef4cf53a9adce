package io.llmgateway.config;

import java.util.Objects;

/**
 * A request quota per API key.
 *
 * @param limit  requests per period, at least 1
 * @param period DAY, WEEK or MONTH, in UTC
 * @param offset AWS's {@code quotaSettings.offset}, in the range {@link QuotaPeriod#maxOffset()} allows
 *               (0 for DAY, 0-6 for WEEK, 0-27 for MONTH). AWS documents its meaning two ways: the
 *               current API reference as requests subtracted from the limit in the first period, older
 *               SDK documentation as the day the period starts (0 = Sunday for WEEK). See
 *               {@link QuotaPeriod}; the local gateway emulates the day-start reading.
 */
public record Quota(int limit, QuotaPeriod period, int offset) {
    public Quota {
        Objects.requireNonNull(period, "period");
        if (limit < 1 || offset < 0 || offset > period.maxOffset()) {
            throw new IllegalArgumentException("invalid quota " + limit + "/" + period + " offset " + offset);
        }
    }
}
