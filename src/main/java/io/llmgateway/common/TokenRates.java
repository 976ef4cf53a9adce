package io.llmgateway.common;

/**
 * What one token costs in a budget's unit ({@link BudgetUnit}): for a token budget the plan's weights,
 * for a USD budget the model's prices in nano-dollars per token.
 *
 * @param input  per input token, at least 0
 * @param output per output token, at least 0
 */
public record TokenRates(long input, long output) {

    /** Every token counts once. */
    public static final TokenRates ONE_EACH = new TokenRates(1, 1);

    public TokenRates {
        if (input < 0 || output < 0) {
            throw new IllegalArgumentException("token rates must be >= 0, got " + input + " and " + output);
        }
    }

    /** The cost of a call, saturating at Long.MAX_VALUE rather than wrapping. */
    public long cost(long inputTokens, long outputTokens) {
        return saturatingAdd(saturatingMultiply(inputTokens, input), saturatingMultiply(outputTokens, output));
    }

    private static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        return (high == 0 && low >= 0) || (high == -1 && low < 0) ? low : Long.MAX_VALUE;
    }

    /** {@code a + b}, saturating at Long.MAX_VALUE rather than wrapping (both at least 0). */
    public static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
