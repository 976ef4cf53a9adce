package io.llmgateway.config;

import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.BudgetUnit;
import io.llmgateway.common.ModelKind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the plans' application inference profiles and guardrails mean for the account and the bill: lines
 * of the capacity report, and the check that the profile ARNs fit the entitlements' plans item.
 */
final class PlanInferenceReport {

    /**
     * What the profile ARNs may take of the plans item (DynamoDB's 400 KB item limit, "Service, account,
     * and table quotas in Amazon DynamoDB"), leaving the rest for the plans' limits and prices.
     */
    static final int MAX_PROFILE_BYTES = 300_000;
    /** An entry's bytes besides its alias: the quotes, the colon, the comma and the longest ARN. */
    static final int PROFILE_ENTRY_BYTES = 100;

    private PlanInferenceReport() {
    }

    /** The profiles the stack declares: one per chat model of each plan with cost allocation on. */
    static int profiles(Map<String, BedrockModelId> models, Iterable<Plan> plans) {
        int count = 0;
        for (Plan plan : plans) {
            if (plan.allocatesCosts()) {
                count += (int) models.entrySet().stream().filter(m -> ModelKind.of(m.getValue()) == ModelKind.CHAT
                        && plan.models().map(allowed -> allowed.contains(m.getKey())).orElse(true)).count();
            }
        }
        return count;
    }

    /** Reports cost allocation that would not fit the entitlements' plans item. */
    static void checkSize(Map<String, BedrockModelId> models, Map<String, Plan> plans, LoadReport report) {
        long bytes = 0;
        for (Plan plan : plans.values()) {
            if (plan.allocatesCosts()) {
                for (Map.Entry<String, BedrockModelId> m : models.entrySet()) {
                    if (ModelKind.of(m.getValue()) == ModelKind.CHAT
                            && plan.models().map(allowed -> allowed.contains(m.getKey())).orElse(true)) {
                        bytes += m.getKey().length() + PROFILE_ENTRY_BYTES;
                    }
                }
            }
        }
        if (bytes > MAX_PROFILE_BYTES) {
            report.problem(KeyPath.of(ConfigLoader.PLANS), profiles(models, plans.values()) + " application inference "
                    + "profiles would take about " + bytes / 1000 + " KB of the entitlements' plans item, above the "
                    + MAX_PROFILE_BYTES / 1000 + " KB its 400 KB DynamoDB item limit leaves them; turn costAllocation "
                    + "on for fewer plans, or narrow their models");
        }
    }

    /** The capacity report's lines on profiles and guardrails; none when no plan uses them. */
    static List<String> lines(StackConfig config) {
        List<String> lines = new ArrayList<>();
        int profiles = profiles(config.models(), config.plans().values());
        if (profiles > 0) {
            lines.add("Cost allocation: " + profiles + " application inference profile" + (profiles == 1 ? "" : "s")
                    + " (one per plan and chat model); the account's quota of application inference profiles per "
                    + "Region is in Service Quotas (Amazon Bedrock). Activate the tags in the Billing console to see "
                    + "them in Cost Explorer.");
        }
        for (Plan plan : config.plans().values()) {
            plan.guardrail().ifPresent(spec -> {
                long perUnit = spec.unitPrices().values().stream().mapToLong(Long::longValue).sum();
                boolean usd = plan.tokens().flatMap(PlanTokens::budget).map(b -> b.unit() == BudgetUnit.USD).orElse(false);
                lines.add("Guardrail, plan " + plan.name() + ": every call also bills guardrail text units (1,000 "
                        + "characters of prompt and of answer each, per policy)" + (perUnit == 0
                        ? "; no guardrail prices are configured, so none are counted"
                        : ", $" + BigDecimal.valueOf(perUnit).movePointLeft(6).stripTrailingZeros().toPlainString()
                        + " per 1,000 units at the configured prices")
                        + (usd ? ", charged to its USD budget" : "") + "; not in the daily cost above.");
            });
        }
        return lines;
    }
}
