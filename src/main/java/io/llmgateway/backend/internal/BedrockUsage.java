package io.llmgateway.backend.internal;

import io.llmgateway.common.Usage;
import software.amazon.awssdk.services.bedrockruntime.model.CacheDetail;
import software.amazon.awssdk.services.bedrockruntime.model.CacheTTL;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Bedrock's {@code TokenUsage} (a Converse answer's {@code usage}, a stream's metadata event's) as the
 * gateway's one usage record, for every surface to report and for metering to charge. {@code inputTokens}
 * excludes the cache reads and writes; {@code cacheDetails} splits the writes by TTL, which prices them
 * (Bedrock user guide, "Prompt caching for faster model inference",
 * https://docs.aws.amazon.com/bedrock/latest/userguide/prompt-caching.html; API reference "TokenUsage").
 */
public final class BedrockUsage {

    private BedrockUsage() {
    }

    /** The usage Bedrock reported; none counts as zero. */
    public static Usage of(TokenUsage usage) {
        if (usage == null) {
            return Usage.NONE;
        }
        int writes = orZero(usage.cacheWriteInputTokens());
        long oneHour = 0;
        if (usage.hasCacheDetails()) {
            for (CacheDetail detail : usage.cacheDetails()) {
                if (detail.ttl() == CacheTTL.VALUE_1_H) {
                    oneHour += orZero(detail.inputTokens());
                }
            }
        }
        int writesLong = (int) Math.min(writes, oneHour);
        return new Usage(orZero(usage.inputTokens()), orZero(usage.outputTokens()),
                orZero(usage.cacheReadInputTokens()), writes - writesLong, writesLong, -1);
    }

    private static int orZero(Integer value) {
        return value == null || value < 0 ? 0 : value;
    }
}
