package io.llmgateway.common;

/**
 * What a token budget counts. Both count integers, so one conditional counter serves both: weighted
 * tokens (each input token costs the plan's input weight, each output token its output weight), or
 * nano-dollars (each token costs the model's price per million tokens, times 1,000: a price with at
 * most three decimals, such as $0.035, is then a whole number of nano-dollars per token).
 */
public enum BudgetUnit {
    TOKENS("tokens"), USD("usd");

    /** One US dollar in this unit's integer counter. */
    public static final long NANO_USD_PER_USD = 1_000_000_000L;

    private final String configName;

    BudgetUnit(String configName) {
        this.configName = configName;
    }

    /** How the stack config spells it. */
    public String configName() {
        return configName;
    }
}
