package io.llmgateway.common;

import java.util.List;
import java.util.Optional;

/**
 * Which Bedrock models take Converse {@code cachePoint} blocks, and on what terms: the minimum tokens
 * per checkpoint, whether the 1-hour TTL is offered, whether tools may carry a checkpoint, and what
 * cache reads and writes cost relative to input. The one place that knows it: the backend asks it
 * before it sends a cache point (a model without caching answers one with 403 AccessDeniedException,
 * so none is ever sent to it), the config asks it for default prices and weights.
 *
 * <p>Source: Bedrock user guide, "Prompt caching for faster model inference", section "Supported
 * models, Regions, and explicit caching limits"
 * (https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html). Every model listed takes
 * at most {@value #MAX_CACHE_POINTS} checkpoints per request. The page's versions disagree on some
 * minimums (Claude Sonnet 4.5: 1,024 or 4,096; Sonnet 4.6: 1,024 or 2,048; Nova Lite and Micro:
 * 1,024 or 1,536); the larger is kept, as a checkpoint placed too early is not an error but wastes one
 * of the four. Amazon Nova takes checkpoints in {@code system} and {@code messages} only, not in
 * {@code tools}, and only the 5-minute TTL. OpenAI's models on Bedrock cache through the Responses
 * API's own field, not Converse's {@code cachePoint}, so they are not listed.
 *
 * <p>The model is the foundation model behind an alias ({@link BedrockModelId#foundationModelId()}),
 * never the id's text as sent: an inference profile routes to the model it names.
 *
 * @param minTokens the cumulative prefix, in tokens, a checkpoint must close for it to be cached
 * @param oneHour   whether {@code ttl: 1h} is offered (else only the default 5 minutes)
 * @param tools     whether {@code toolConfig.tools} may carry a checkpoint
 * @param family    how the model's cache tokens are priced
 */
public record PromptCaching(int minTokens, boolean oneHour, boolean tools, Family family) {

    /** Bedrock's limit on checkpoints in one request (a fifth is a ValidationException). */
    public static final int MAX_CACHE_POINTS = 4;

    /**
     * What cache tokens cost relative to input tokens, in thousandths: Claude on Bedrock has Anthropic's
     * list prices (a 5-minute write 1.25 times input, a 1-hour write 2 times, a read 0.1 times: Anthropic
     * docs, "Pricing", https://docs.anthropic.com/en/docs/about-claude/pricing); Amazon Nova bills no
     * write surcharge and reads at a quarter of input (Nova's cached-input prices on
     * https://aws.amazon.com/bedrock/pricing/, as third-party price tables copy them: an assumption the
     * operator corrects with {@code modelPrices}). A model not listed has no cache tokens; should any
     * appear, they cost what input does.
     */
    public enum Family {
        CLAUDE(100, 1250, 2000),
        NOVA(250, 1000, 1000),
        OTHER(1000, 1000, 1000);

        private final int readThousandths;
        private final int writeThousandths;
        private final int writeLongThousandths;

        Family(int readThousandths, int writeThousandths, int writeLongThousandths) {
            this.readThousandths = readThousandths;
            this.writeThousandths = writeThousandths;
            this.writeLongThousandths = writeLongThousandths;
        }

        /** A read's cost per thousand input tokens' cost. */
        public int readThousandths() {
            return readThousandths;
        }

        /** A 5-minute write's cost per thousand input tokens' cost. */
        public int writeThousandths() {
            return writeThousandths;
        }

        /** A 1-hour write's cost per thousand input tokens' cost. */
        public int writeLongThousandths() {
            return writeLongThousandths;
        }

        /** The family of a model id, whether or not it takes cache points. */
        public static Family of(String modelId) {
            String model = foundation(modelId);
            return model.startsWith("anthropic.claude") ? CLAUDE : model.startsWith("amazon.nova") ? NOVA : OTHER;
        }
    }

    private record Row(String prefix, PromptCaching caching) {
    }

    /** First match wins: the more specific prefix comes first. */
    private static final List<Row> MODELS = List.of(
            claude("anthropic.claude-opus-5", 512, true),
            claude("anthropic.claude-fable-5", 512, true),
            claude("anthropic.claude-mythos-preview", 4096, true),
            claude("anthropic.claude-mythos-5", 512, true),
            claude("anthropic.claude-opus-4-8", 1024, true),
            claude("anthropic.claude-opus-4-7", 4096, true),
            claude("anthropic.claude-opus-4-6", 4096, true),
            claude("anthropic.claude-opus-4-5", 4096, true),
            claude("anthropic.claude-opus-4-1", 1024, false),
            claude("anthropic.claude-opus-4-2025", 1024, false),
            claude("anthropic.claude-sonnet-5", 1024, true),
            claude("anthropic.claude-sonnet-4-6", 2048, true),
            claude("anthropic.claude-sonnet-4-5", 4096, true),
            claude("anthropic.claude-sonnet-4-2025", 1024, false),
            claude("anthropic.claude-3-7-sonnet", 1024, false),
            claude("anthropic.claude-3-5-sonnet-20241022-v2", 1024, false),
            claude("anthropic.claude-haiku-4-5", 4096, true),
            claude("anthropic.claude-3-5-haiku", 2048, false),
            nova("amazon.nova-micro", 1536),
            nova("amazon.nova-lite", 1536),
            nova("amazon.nova-pro", 1024),
            nova("amazon.nova-premier", 1024));

    private static Row claude(String prefix, int minTokens, boolean oneHour) {
        return new Row(prefix, new PromptCaching(minTokens, oneHour, true, Family.CLAUDE));
    }

    private static Row nova(String prefix, int minTokens) {
        return new Row(prefix, new PromptCaching(minTokens, false, false, Family.NOVA));
    }

    /** How the model behind this id caches, or empty when it takes no cache points. */
    public static Optional<PromptCaching> of(String modelId) {
        String model = foundation(modelId);
        for (Row row : MODELS) {
            if (model.startsWith(row.prefix())) {
                return Optional.of(row.caching());
            }
        }
        return Optional.empty();
    }

    private static String foundation(String modelId) {
        return BedrockModelId.looksValid(modelId) ? new BedrockModelId(modelId).foundationModelId() : modelId;
    }
}
