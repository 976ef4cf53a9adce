package io.llmgateway.config;

import io.llmgateway.common.BackendDeadline;
import io.llmgateway.common.BackendSettings;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every scalar stack-config key, with its type, default and what it allows. Pulumi.yaml declares the
 * same keys with the same defaults (a test holds the two together), and the configuration
 * reference (docs/configuration.md) repeats these descriptions.
 */
public enum Setting {
    STAGE_NAME("stageName", Kind.STRING, "prod",
            "API Gateway stage name, part of the URL: 1-128 letters, digits, '-' or '_'."),
    INTEGRATION_TIMEOUT_MS("integrationTimeoutMs", Kind.INTEGER, 29000,
            "API Gateway integration timeout in ms: 50-300000. Above 29000 needs an AWS quota increase. With "
                    + "lambdaTimeoutSeconds it must leave the model " + BackendDeadline.MIN_MODEL_TIME_MS
                    + " ms after the backend's " + BackendDeadline.SAFETY_MARGIN_MS + " ms margin, so at least "
                    + (BackendDeadline.MIN_MODEL_TIME_MS + BackendDeadline.SAFETY_MARGIN_MS) + "."),
    LAMBDA_MEMORY_MB("lambdaMemoryMb", Kind.INTEGER, 1024,
            "Backend Lambda memory in MB: 128-10240. CPU grows with memory."),
    LAMBDA_TIMEOUT_SECONDS("lambdaTimeoutSeconds", Kind.INTEGER, 29,
            "Backend Lambda timeout in seconds: up to the integration timeout, and at least "
                    + (BackendDeadline.MIN_MODEL_TIME_MS + BackendDeadline.SAFETY_MARGIN_MS) / 1000
                    + " (the model needs " + BackendDeadline.MIN_MODEL_TIME_MS + " ms after the backend's "
                    + BackendDeadline.SAFETY_MARGIN_MS + " ms margin)."),
    RESERVED_CONCURRENCY("reservedConcurrency", Kind.INTEGER, -1,
            "Reserved concurrency of the backend Lambda: -1 (unreserved) or 1-10000."),
    MAX_TOKENS_DEFAULT("maxTokensDefault", Kind.INTEGER, 1024,
            "max_tokens used when a request sets none: 1 up to maxTokensCeiling."),
    MAX_TOKENS_CEILING("maxTokensCeiling", Kind.INTEGER, 4096,
            "The largest max_tokens a request may ask for: 1-200000. Larger requests are capped."),
    MAX_REQUEST_BYTES("maxRequestBytes", Kind.INTEGER, 1048576,
            "The largest request body the backend accepts, in bytes: 1024-10485760."),
    MAX_EMBEDDING_INPUTS("maxEmbeddingInputs", Kind.INTEGER, BackendSettings.DEFAULT_MAX_EMBEDDING_INPUTS,
            "The most inputs one /v1/embeddings request may carry: 1-2048 (OpenAI's limit). Titan embeds one text "
                    + "per Bedrock call and Cohere 96, so this bounds the calls one request makes; more is a 400."),
    LOG_RETENTION_DAYS("logRetentionDays", Kind.INTEGER, 30,
            "Retention of every log group: one of CloudWatch's values (1, 3, 5, 7, 14, 30, 60, 90, 120, "
                    + "150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)."),
    AUTHORIZER_CACHE_TTL_SECONDS("authorizerCacheTtlSeconds", Kind.INTEGER, 0,
            "0 (default): the authorizer runs on every request and accepts both 'Authorization: Bearer' "
                    + "and 'x-api-key'. 1-3600: results are cached per Authorization header, and only "
                    + "Bearer keys are accepted."),
    STAGE_RATE_LIMIT("stageRateLimit", Kind.INTEGER, 100,
            "Stage-wide ceiling for all clients together, requests per second per method: 1-10000."),
    STAGE_BURST_LIMIT("stageBurstLimit", Kind.INTEGER, 200,
            "Stage-wide burst for all clients together, per method: 1-5000."),
    LOGGING_LEVEL("loggingLevel", Kind.STRING, "ERROR",
            "API Gateway execution logging: OFF, ERROR or INFO. Bodies are never logged."),
    METRICS_ENABLED("metricsEnabled", Kind.BOOLEAN, true,
            "Detailed CloudWatch metrics per method: true or false."),
    TRACING_ENABLED("tracingEnabled", Kind.BOOLEAN, true,
            "X-Ray tracing on the stage: true or false."),
    MANAGE_CLOUDWATCH_ROLE("manageCloudWatchRole", Kind.BOOLEAN, true,
            "Manage the Region's API Gateway CloudWatch Logs role (a Region-wide singleton). Set false "
                    + "if another stack already manages it."),
    TOKEN_STORE_FAILURE_MODE("tokenStoreFailureMode", Kind.STRING, "refuse",
            "What a metered request gets when the token table (DynamoDB) cannot be reached: refuse (503 with "
                    + "Retry-After) or serve (the model call goes ahead uncounted). Either way it is logged and counted."),
    TOKEN_TABLE_POINT_IN_TIME_RECOVERY("tokenTablePointInTimeRecovery", Kind.BOOLEAN, false,
            "Point-in-time recovery of the token table (budget counters and entitlements): true or false.");

    /** Pulumi.yaml types. */
    public enum Kind {
        STRING("string"), INTEGER("integer"), BOOLEAN("boolean");

        private final String pulumiType;

        Kind(String pulumiType) {
            this.pulumiType = pulumiType;
        }

        public String pulumiType() {
            return pulumiType;
        }
    }

    private final String key;
    private final Kind kind;
    private final Object defaultValue;
    private final String description;

    Setting(String key, Kind kind, Object defaultValue, String description) {
        this.key = key;
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public Kind kind() {
        return kind;
    }

    public Object defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    public static Optional<Setting> byKey(String key) {
        return Arrays.stream(values()).filter(s -> s.key.equals(key)).findFirst();
    }
}
