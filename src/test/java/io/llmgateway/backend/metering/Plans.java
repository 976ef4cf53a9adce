package io.llmgateway.backend.metering;

import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenBudget;
import io.llmgateway.common.TokenRates;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/** Plans and entitlement items for metering tests. */
public final class Plans {
    private Plans() {
    }

    public static PlanLimits perMinute(String name, long tpm) {
        return new PlanLimits(name, Optional.empty(), OptionalInt.empty(), OptionalLong.of(tpm), Optional.empty());
    }

    public static PlanLimits budget(String name, long limit, BudgetPeriod period) {
        return new PlanLimits(name, Optional.empty(), OptionalInt.empty(), OptionalLong.empty(),
                Optional.of(TokenBudget.tokens(limit, period, TokenRates.ONE_EACH)));
    }

    public static PlanLimits both(String name, long tpm, long limit, BudgetPeriod period) {
        return new PlanLimits(name, Optional.empty(), OptionalInt.empty(), OptionalLong.of(tpm),
                Optional.of(TokenBudget.tokens(limit, period, TokenRates.ONE_EACH)));
    }

    public static PlanLimits models(String name, Set<String> models, int maxTokens) {
        return new PlanLimits(name, Optional.of(models), OptionalInt.of(maxTokens), OptionalLong.empty(), Optional.empty());
    }

    /** The items the stack would write for these plans and keys (key id to plan). */
    public static List<EntitlementItems.Item> items(Map<String, String> planByKey, PlanLimits... plans) {
        Map<String, PlanLimits> byName = new java.util.LinkedHashMap<>();
        for (PlanLimits plan : plans) {
            byName.put(plan.name(), plan);
        }
        return EntitlementItems.items(byName, planByKey, EntitlementItems.shardCount(planByKey.size()));
    }
}
