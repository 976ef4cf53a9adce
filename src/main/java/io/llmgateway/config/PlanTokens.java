package io.llmgateway.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A plan's token limits ({@code plans.<plan>.tokens}), per API key.
 *
 * @param perMinute   input plus output tokens per UTC minute; empty for no limit
 * @param budget      what a key may spend per period; empty for no budget
 * @param inputWeight what an input token counts in a token budget (default 1)
 * @param outputWeight what an output token counts in a token budget (default 1)
 * @param cacheWeights what prompt-cache tokens count in a token budget, in thousandths; each unset one
 *                     follows the model family's ratio to {@code inputWeight} ({@link io.llmgateway.common.PromptCaching.Family})
 */
public record PlanTokens(OptionalLong perMinute, Optional<Budget> budget, int inputWeight, int outputWeight,
                         CacheWeights cacheWeights) {

    public PlanTokens {
        Objects.requireNonNull(perMinute, "perMinute");
        Objects.requireNonNull(budget, "budget");
        Objects.requireNonNull(cacheWeights, "cacheWeights");
    }

    /** Weights without cache weights set. */
    public PlanTokens(OptionalLong perMinute, Optional<Budget> budget, int inputWeight, int outputWeight) {
        this(perMinute, budget, inputWeight, outputWeight, CacheWeights.FAMILY);
    }

    /**
     * {@code cacheReadWeight}, {@code cacheWriteWeight} and {@code cacheWrite1hWeight}, in thousandths;
     * empty where unset.
     */
    public record CacheWeights(OptionalLong read, OptionalLong write, OptionalLong writeLong) {
        public static final CacheWeights FAMILY = new CacheWeights(OptionalLong.empty(), OptionalLong.empty(),
                OptionalLong.empty());
    }
}
