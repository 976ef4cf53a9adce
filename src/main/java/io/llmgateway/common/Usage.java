package io.llmgateway.common;

/**
 * What a model call used, as Bedrock bills it: the one usage record every surface reports from and
 * metering charges by. Bedrock's {@code inputTokens} are the input tokens neither read from nor
 * written to the prompt cache; the total input is their sum with the cache reads and writes (Bedrock
 * user guide, "Prompt caching for faster model inference",
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html).
 *
 * @param input           input tokens billed at the input price (Bedrock's {@code inputTokens})
 * @param output          output tokens
 * @param cacheRead       input tokens read from the cache ({@code cacheReadInputTokens})
 * @param cacheWrite      input tokens written to the cache with the 5-minute TTL ({@code cacheWriteInputTokens}
 *                        less {@code cacheWriteLong})
 * @param cacheWriteLong  input tokens written with the 1-hour TTL ({@code cacheDetails} with ttl 1h)
 * @param reasoning       output tokens spent reasoning, or -1 when the model does not say (Converse does not)
 */
public record Usage(int input, int output, int cacheRead, int cacheWrite, int cacheWriteLong, int reasoning) {

    public static final Usage NONE = new Usage(0, 0);

    public Usage {
        if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite < 0 || cacheWriteLong < 0 || reasoning < -1) {
            throw new IllegalArgumentException("token counts must be >= 0");
        }
    }

    /** Usage without caching. */
    public Usage(int input, int output) {
        this(input, output, 0, 0, 0, -1);
    }

    /** Every cache write, whatever its TTL. */
    public int cacheWrites() {
        return saturated((long) cacheWrite + cacheWriteLong);
    }

    /** All the input: OpenAI's {@code prompt_tokens}, which counts cached tokens too. */
    public int promptTokens() {
        return saturated((long) input + cacheRead + cacheWrite + cacheWriteLong);
    }

    /** {@link #promptTokens} plus the output: Bedrock's {@code totalTokens}. */
    public int totalTokens() {
        return saturated((long) promptTokens() + output);
    }

    /** Both calls' usage, as one request that made both. */
    public Usage plus(Usage other) {
        return new Usage(saturated((long) input + other.input), saturated((long) output + other.output),
                saturated((long) cacheRead + other.cacheRead), saturated((long) cacheWrite + other.cacheWrite),
                saturated((long) cacheWriteLong + other.cacheWriteLong),
                reasoning < 0 && other.reasoning < 0 ? -1
                        : saturated((long) Math.max(0, reasoning) + Math.max(0, other.reasoning)));
    }

    private static int saturated(long tokens) {
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }
}
