package io.llmgateway.common;

/**
 * What one token costs in a budget's unit ({@link BudgetUnit}): for a token budget the plan's weights,
 * for a USD budget the model's prices in nano-dollars per token. Input and output are whole units per
 * token; the prompt cache's rates are thousandths of a unit per token, because they are fractions of
 * the input's (a cache read is a tenth of a Claude input token), and a call's cache part is rounded up
 * to a whole unit.
 *
 * @param input           per input token, at least 0
 * @param output          per output token, at least 0
 * @param cacheRead       per token read from the prompt cache, in thousandths of a unit
 * @param cacheWrite      per token written to the cache with the 5-minute TTL, in thousandths of a unit
 * @param cacheWriteLong  per token written with the 1-hour TTL, in thousandths of a unit
 */
public record TokenRates(long input, long output, long cacheRead, long cacheWrite, long cacheWriteLong) {

    /** Every token counts once, cached or not. */
    public static final TokenRates ONE_EACH = new TokenRates(1, 1);

    /** Thousandths in a unit: the scale of the cache rates. */
    public static final long THOUSANDTHS = 1000;

    public TokenRates {
        if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0 || cacheWriteLong < 0) {
            throw new IllegalArgumentException("token rates must be >= 0, got " + input + ", " + output + ", "
                    + cacheRead + ", " + cacheWrite + " and " + cacheWriteLong);
        }
    }

    /** Rates whose cache tokens cost what input tokens do. */
    public TokenRates(long input, long output) {
        this(input, output, saturatingMultiply(input, THOUSANDTHS), saturatingMultiply(input, THOUSANDTHS),
                saturatingMultiply(input, THOUSANDTHS));
    }

    /** The cost of a call of uncached input and output tokens, saturating at Long.MAX_VALUE rather than wrapping. */
    public long cost(long inputTokens, long outputTokens) {
        return saturatingAdd(saturatingMultiply(inputTokens, input), saturatingMultiply(outputTokens, output));
    }

    /** The cost of a call: each kind of token at its rate, the cache part rounded up to a whole unit. */
    public long cost(Usage usage) {
        long cacheThousandths = saturatingAdd(saturatingAdd(saturatingMultiply(usage.cacheRead(), cacheRead),
                saturatingMultiply(usage.cacheWrite(), cacheWrite)),
                saturatingMultiply(usage.cacheWriteLong(), cacheWriteLong));
        long cache = cacheThousandths == Long.MAX_VALUE ? Long.MAX_VALUE
                : (cacheThousandths + THOUSANDTHS - 1) / THOUSANDTHS;
        return saturatingAdd(cost(usage.input(), usage.output()), cache);
    }

    /**
     * The rates to reserve a call at, before its cache reads and writes are known: its input as if all of
     * it were written to the cache at the dearest write rate it may incur (the 1-hour one when it asks for
     * that TTL), when that costs more than input; a cache read costs no more than either, so the
     * reservation is never below the call's cost.
     */
    public TokenRates reserving(CacheWrites writes) {
        long write = switch (writes) {
            case NONE -> 0;
            case SHORT -> cacheWrite;
            case LONG -> Math.max(cacheWrite, cacheWriteLong);
        };
        long perToken = (write + THOUSANDTHS - 1) / THOUSANDTHS;
        return perToken <= input ? this : new TokenRates(perToken, output, cacheRead, cacheWrite, cacheWriteLong);
    }

    /** Which cache writes a call may make: none (no cache points), 5-minute ones only, or 1-hour ones too. */
    public enum CacheWrites { NONE, SHORT, LONG }

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
