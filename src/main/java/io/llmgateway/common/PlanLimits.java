package io.llmgateway.common;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a key on one plan may use and spend, as the stack writes it for the backend.
 *
 * @param name            the plan's name in the stack config
 * @param models          the model aliases the plan may use; empty when every configured model is allowed
 * @param maxTokens       the plan's own max_tokens ceiling; empty for the stack's
 * @param tokensPerMinute input plus output tokens per key and UTC minute; empty for no limit
 * @param budget          what a key may spend per period; empty for no budget
 */
public record PlanLimits(String name, Optional<Set<String>> models, OptionalInt maxTokens,
                         OptionalLong tokensPerMinute, Optional<TokenBudget> budget) {

    public PlanLimits {
        Objects.requireNonNull(name, "name");
        models = models.map(Set::copyOf);
        Objects.requireNonNull(maxTokens, "maxTokens");
        Objects.requireNonNull(tokensPerMinute, "tokensPerMinute");
        Objects.requireNonNull(budget, "budget");
    }

    /** No allow-list, no ceiling, no limits. */
    public static PlanLimits unlimited(String name) {
        return new PlanLimits(name, Optional.empty(), OptionalInt.empty(), OptionalLong.empty(), Optional.empty());
    }

    /** True when a call must be counted: the plan has a per-minute limit or a budget. */
    public boolean metered() {
        return tokensPerMinute.isPresent() || budget.isPresent();
    }
}
