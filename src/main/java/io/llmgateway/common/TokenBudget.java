package io.llmgateway.common;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a key may spend per period, in integer units ({@link BudgetUnit}).
 *
 * @param limit  units per period, at least 1
 * @param period the UTC period the budget renews on
 * @param unit   weighted tokens or nano-dollars
 * @param rates  per model alias, what its tokens cost; a model not listed costs {@link #fallback()}
 * @param fallback what tokens of a model not in {@code rates} cost: the plan's weights for a token
 *               budget, the dearest listed model for a USD budget (erring high)
 */
public record TokenBudget(long limit, BudgetPeriod period, BudgetUnit unit, Map<String, TokenRates> rates,
                          TokenRates fallback) {

    public TokenBudget {
        if (limit < 1) {
            throw new IllegalArgumentException("a budget's limit must be >= 1, got " + limit);
        }
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(unit, "unit");
        rates = Map.copyOf(rates);
        Objects.requireNonNull(fallback, "fallback");
    }

    /** A token budget whose weights apply to every model. */
    public static TokenBudget tokens(long limit, BudgetPeriod period, TokenRates weights) {
        return new TokenBudget(limit, period, BudgetUnit.TOKENS, Map.of(), weights);
    }

    /** A USD budget ({@code limit} in nano-dollars) with each model's prices in nano-dollars per token. */
    public static TokenBudget usd(long limitNanoUsd, BudgetPeriod period, Map<String, TokenRates> prices) {
        TokenRates dearest = new TokenRates(
                prices.values().stream().mapToLong(TokenRates::input).max().orElse(0),
                prices.values().stream().mapToLong(TokenRates::output).max().orElse(0),
                prices.values().stream().mapToLong(TokenRates::cacheRead).max().orElse(0),
                prices.values().stream().mapToLong(TokenRates::cacheWrite).max().orElse(0),
                prices.values().stream().mapToLong(TokenRates::cacheWriteLong).max().orElse(0));
        return new TokenBudget(limitNanoUsd, period, BudgetUnit.USD, new TreeMap<>(prices), dearest);
    }

    public TokenRates ratesFor(String alias) {
        return rates.getOrDefault(alias, fallback);
    }
}
