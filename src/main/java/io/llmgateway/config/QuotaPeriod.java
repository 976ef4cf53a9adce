package io.llmgateway.config;

/**
 * A usage-plan quota period. The offset is the day the period starts: for WEEK, 0 is Sunday; for
 * MONTH, 0 is the first day of the month. The AWS provider rejects other offsets only at apply time
 * (terraform-provider-aws {@code internal/service/apigateway/validate.go}), so the config model
 * checks them before anything is created.
 */
public enum QuotaPeriod {
    DAY(0),
    WEEK(6),
    MONTH(27);

    private final int maxOffset;

    QuotaPeriod(int maxOffset) {
        this.maxOffset = maxOffset;
    }

    public int maxOffset() {
        return maxOffset;
    }

    public String offsetRange() {
        return maxOffset == 0 ? "must be 0" : "must be 0-" + maxOffset;
    }
}
