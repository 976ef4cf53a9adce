package io.llmgateway.common;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The guardrail a plan's calls go through: what Converse's {@code guardrailConfig} names, and what its
 * text units cost a USD budget.
 *
 * @param identifier the guardrail's id (or ARN), as Converse takes it
 * @param version    a version number, or {@code DRAFT}
 * @param unitPrices per policy, nano-dollars per text unit; a billed policy not listed costs the
 *                   dearest listed price, a free one nothing ({@link #priceOf})
 */
public record PlanGuardrail(String identifier, String version, Map<GuardrailPolicy, Long> unitPrices) {

    /**
     * Converse's patterns for {@code guardrailIdentifier} and {@code guardrailVersion}
     * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailConfiguration.html).
     */
    public static final Pattern IDENTIFIER = Pattern.compile(
            "(([a-z0-9]+)|(arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail/[a-z0-9]+))");
    public static final Pattern VERSION = Pattern.compile("(([1-9][0-9]{0,7})|(DRAFT))");

    public PlanGuardrail {
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(version, "version");
        EnumMap<GuardrailPolicy, Long> prices = new EnumMap<>(GuardrailPolicy.class);
        prices.putAll(unitPrices);
        unitPrices = java.util.Collections.unmodifiableMap(prices);
    }

    /** Nano-dollars per text unit of one policy. */
    public long priceOf(GuardrailPolicy policy) {
        Long listed = unitPrices.get(policy);
        if (listed != null) {
            return listed;
        }
        return policy.billed() ? unitPrices.values().stream().mapToLong(Long::longValue).max().orElse(0) : 0;
    }

    /**
     * What one text unit costs through every listed policy: a guardrail bills each configured policy for
     * the same text, so a reservation counts all of them.
     */
    public long pricePerUnitOfText() {
        long sum = 0;
        for (long price : unitPrices.values()) {
            sum = Math.addExact(sum, price);
        }
        return sum;
    }
}
