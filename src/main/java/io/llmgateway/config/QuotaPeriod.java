package io.llmgateway.config;

/**
 * A usage-plan quota period, with the offsets AWS accepts for it.
 *
 * <p>What the offset means is documented two ways by AWS, and this project does not pretend to know
 * which one API Gateway applies:
 * <ul>
 *   <li>the current API reference (Amazon API Gateway API Reference, "QuotaSettings",
 *       https://docs.aws.amazon.com/apigateway/latest/api/API_QuotaSettings.html) says "the number of
 *       requests subtracted from the given limit in the initial time period";</li>
 *   <li>older SDK documentation of the same field says "the day that a time period starts", with
 *       0 = Sunday for WEEK.</li>
 * </ul>
 * What is certain is the range: terraform-provider-aws ({@code internal/service/apigateway/validate.go},
 * which pulumi-aws wraps) accepts 0 for DAY, 0-6 for WEEK and 0-27 for MONTH, and rejects anything else
 * only at apply time, after other resources were created. {@link #maxOffset()} holds that range, so the
 * config refuses other offsets before anything is created.
 *
 * <p>The local gateway emulates the day-start reading (its {@code QuotaWindow}: a WEEK with offset 1
 * starts on Monday, UTC); with the other reading, a deployed quota would instead start its first period
 * with {@code offset} requests already counted.
 */
public enum QuotaPeriod {
    DAY(0),
    WEEK(6),
    MONTH(27);

    private final int maxOffset;

    QuotaPeriod(int maxOffset) {
        this.maxOffset = maxOffset;
    }

    /** The largest offset the AWS provider accepts for this period (the smallest is 0). */
    public int maxOffset() {
        return maxOffset;
    }

    public String offsetRange() {
        return maxOffset == 0 ? "must be 0" : "must be 0-" + maxOffset;
    }
}
