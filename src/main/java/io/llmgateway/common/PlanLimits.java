package io.llmgateway.common;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a key on one plan may use and spend, as the stack writes it for the backend.
 *
 * @param name            the plan's name in the stack config
 * @param models          the model aliases the plan may use; empty when every configured model is allowed
 * @param maxTokens       the plan's own max_tokens ceiling; empty for the stack's
 * @param tokensPerMinute input plus output tokens per key and UTC minute; empty for no limit
 * @param budget          what a key may spend per period; empty for no budget
 * @param profileArns     per model alias, the plan's application inference profile: the model id the
 *                        backend sends, so Bedrock bills the plan's tags; an alias not listed is sent as
 *                        configured
 * @param guardrail       the guardrail every call of the plan goes through; empty for none
 */
public record PlanLimits(String name, Optional<Set<String>> models, OptionalInt maxTokens,
                         OptionalLong tokensPerMinute, Optional<TokenBudget> budget, Map<String, String> profileArns,
                         Optional<PlanGuardrail> guardrail) {

    public PlanLimits {
        Objects.requireNonNull(name, "name");
        models = models.map(Set::copyOf);
        Objects.requireNonNull(maxTokens, "maxTokens");
        Objects.requireNonNull(tokensPerMinute, "tokensPerMinute");
        Objects.requireNonNull(budget, "budget");
        profileArns = java.util.Collections.unmodifiableMap(new TreeMap<>(profileArns));
        Objects.requireNonNull(guardrail, "guardrail");
    }

    /** Limits only: the configured model ids, no guardrail. */
    public PlanLimits(String name, Optional<Set<String>> models, OptionalInt maxTokens, OptionalLong tokensPerMinute,
                      Optional<TokenBudget> budget) {
        this(name, models, maxTokens, tokensPerMinute, budget, Map.of(), Optional.empty());
    }

    /** No allow-list, no ceiling, no limits. */
    public static PlanLimits unlimited(String name) {
        return new PlanLimits(name, Optional.empty(), OptionalInt.empty(), OptionalLong.empty(), Optional.empty());
    }

    /** The same limits, invoking these profiles and going through this guardrail. */
    public PlanLimits routed(Map<String, String> profiles, Optional<PlanGuardrail> through) {
        return new PlanLimits(name, models, maxTokens, tokensPerMinute, budget, profiles, through);
    }

    /** True when a call must be counted: the plan has a per-minute limit or a budget. */
    public boolean metered() {
        return tokensPerMinute.isPresent() || budget.isPresent();
    }
}
