package io.llmgateway.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code capacity}: what the account and the models can carry, as the operator states it, for the
 * capacity report ({@link CapacityReport}). The defaults are AWS's documented defaults.
 *
 * @param accountRateLimit       API Gateway's throttle for the account and Region, requests per second
 *                               (default 10,000: "Amazon API Gateway quotas")
 * @param accountBurstLimit      its burst (default 5,000)
 * @param accountConcurrency     Lambda's concurrent executions for the account and Region (default 1,000:
 *                               "Lambda quotas")
 * @param modelLatencyMs         the time one chat request is expected to take, the model call included
 * @param bedrockTokensPerMinute per model alias, the account's Bedrock tokens-per-minute quota for it, as
 *                               the operator reads it in Service Quotas; models without one are not checked
 */
public record Capacity(long accountRateLimit, long accountBurstLimit, long accountConcurrency, long modelLatencyMs,
                       Map<String, Long> bedrockTokensPerMinute) {

    public static final long DEFAULT_ACCOUNT_RATE_LIMIT = 10_000;
    public static final long DEFAULT_ACCOUNT_BURST_LIMIT = 5_000;
    public static final long DEFAULT_ACCOUNT_CONCURRENCY = 1_000;
    /** A guess at a typical chat completion; state your own with {@code capacity.modelLatencyMs}. */
    public static final long DEFAULT_MODEL_LATENCY_MS = 5_000;

    public Capacity {
        bedrockTokensPerMinute = Collections.unmodifiableMap(new LinkedHashMap<>(bedrockTokensPerMinute));
    }

    public static Capacity defaults() {
        return new Capacity(DEFAULT_ACCOUNT_RATE_LIMIT, DEFAULT_ACCOUNT_BURST_LIMIT, DEFAULT_ACCOUNT_CONCURRENCY,
                DEFAULT_MODEL_LATENCY_MS, Map.of());
    }
}
