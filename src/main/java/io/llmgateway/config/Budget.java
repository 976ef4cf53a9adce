package io.llmgateway.config;

import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.BudgetUnit;
import java.util.Objects;

/**
 * A token budget per key and period ({@code plans.<plan>.tokens.budget}).
 *
 * @param limit  in the budget's integer unit: weighted tokens, or nano-dollars for {@link BudgetUnit#USD}
 * @param period DAY, WEEK (from Monday) or MONTH, in UTC
 * @param unit   tokens (default) or usd
 */
public record Budget(long limit, BudgetPeriod period, BudgetUnit unit) {
    public Budget {
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(unit, "unit");
    }
}
