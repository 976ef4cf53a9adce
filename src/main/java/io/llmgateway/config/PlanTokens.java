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
 */
public record PlanTokens(OptionalLong perMinute, Optional<Budget> budget, int inputWeight, int outputWeight) {

    public PlanTokens {
        Objects.requireNonNull(perMinute, "perMinute");
        Objects.requireNonNull(budget, "budget");
    }
}
