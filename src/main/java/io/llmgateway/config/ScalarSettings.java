package io.llmgateway.config;

import io.llmgateway.common.BackendDeadline;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.TokenStoreSettings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The scalar settings ({@link Setting}): each one's own rule, then the rules that tie two together. */
final class ScalarSettings {

    /**
     * The scalars as read, by setting: a value is null when it was refused. The groups are built from
     * them, each naming its settings, once the config is known to be valid.
     */
    static final class Scalars {
        private final Map<Setting, Object> values = new EnumMap<>(Setting.class);

        private Scalars put(Setting setting, Object value) {
            values.put(setting, value);
            return this;
        }

        Integer integer(Setting setting) {
            return (Integer) values.get(setting);
        }

        String string(Setting setting) {
            return (String) values.get(setting);
        }

        Boolean bool(Setting setting) {
            return (Boolean) values.get(setting);
        }

        TokenStoreSettings.FailureMode failureMode() {
            return (TokenStoreSettings.FailureMode) values.get(Setting.TOKEN_STORE_FAILURE_MODE);
        }

        ApiSettings api() {
            return new ApiSettings(new Throttle(integer(Setting.STAGE_RATE_LIMIT), integer(Setting.STAGE_BURST_LIMIT)),
                    integer(Setting.INTEGRATION_TIMEOUT_MS), integer(Setting.AUTHORIZER_CACHE_TTL_SECONDS));
        }

        LambdaSettings lambda() {
            return new LambdaSettings(integer(Setting.LAMBDA_MEMORY_MB), integer(Setting.LAMBDA_TIMEOUT_SECONDS),
                    integer(Setting.RESERVED_CONCURRENCY));
        }

        RequestLimits limits() {
            return new RequestLimits(integer(Setting.MAX_TOKENS_DEFAULT), integer(Setting.MAX_TOKENS_CEILING),
                    integer(Setting.MAX_REQUEST_BYTES), integer(Setting.MAX_EMBEDDING_INPUTS));
        }

        Logging logging() {
            return new Logging(string(Setting.LOGGING_LEVEL), bool(Setting.METRICS_ENABLED),
                    bool(Setting.TRACING_ENABLED), integer(Setting.LOG_RETENTION_DAYS),
                    bool(Setting.MANAGE_CLOUDWATCH_ROLE));
        }

        /** @param prices config {@code modelPrices}, read apart */
        TokenStore tokenStore(Map<String, ModelPrice> prices) {
            return new TokenStore(prices, failureMode(), bool(Setting.TOKEN_TABLE_POINT_IN_TIME_RECOVERY));
        }
    }

    /** CloudWatch Logs' retention values (CloudWatch Logs API Reference, "PutRetentionPolicy"). */
    static final Set<Integer> LOG_RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
            400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    static final List<String> LOGGING_LEVELS = List.of("OFF", "ERROR", "INFO");
    /** API Gateway's default maximum integration timeout; more needs a quota increase. */
    static final int DEFAULT_MAX_INTEGRATION_TIMEOUT_MS = 29_000;

    private static final Pattern STAGE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final Map<String, ?> values;
    private final TypedValues typed;
    private final LoadReport report;

    private ScalarSettings(Map<String, ?> values, TypedValues typed, LoadReport report) {
        this.values = values;
        this.typed = typed;
        this.report = report;
    }

    static Scalars read(Map<String, ?> values, TypedValues typed, LoadReport report) {
        return new ScalarSettings(values, typed, report).read();
    }

    private Scalars read() {
        String stageName = string(Setting.STAGE_NAME);
        if (stageName != null && !STAGE_NAME.matcher(stageName).matches()) {
            problem(Setting.STAGE_NAME, show(Setting.STAGE_NAME, stageName)
                    + " is not a valid stage name: use 1-128 letters, digits, '-' or '_'");
        }
        Integer integrationTimeoutMs = integer(Setting.INTEGRATION_TIMEOUT_MS, 50, 300_000);
        Integer memory = integer(Setting.LAMBDA_MEMORY_MB, 128, 10_240);
        Integer lambdaTimeout = integer(Setting.LAMBDA_TIMEOUT_SECONDS, 1, 900);
        Integer reserved = reservedConcurrency();
        Integer maxTokensDefault = integer(Setting.MAX_TOKENS_DEFAULT, 1, 200_000);
        Integer maxTokensCeiling = integer(Setting.MAX_TOKENS_CEILING, 1, 200_000);
        Integer maxRequestBytes = integer(Setting.MAX_REQUEST_BYTES, 1024, 10_485_760);
        Integer maxEmbeddingInputs = integer(Setting.MAX_EMBEDDING_INPUTS, 1, BackendSettings.MAX_EMBEDDING_INPUTS);
        Integer retention = logRetentionDays();
        Integer cacheTtl = integer(Setting.AUTHORIZER_CACHE_TTL_SECONDS, 0, 3600);
        Integer stageRate = integer(Setting.STAGE_RATE_LIMIT, 1, 10_000);
        Integer stageBurst = integer(Setting.STAGE_BURST_LIMIT, 1, 5_000);
        String loggingLevel = string(Setting.LOGGING_LEVEL);
        if (loggingLevel != null && !LOGGING_LEVELS.contains(loggingLevel)) {
            problem(Setting.LOGGING_LEVEL, show(Setting.LOGGING_LEVEL, loggingLevel) + " is not allowed; use one of "
                    + LOGGING_LEVELS);
        }
        Boolean metrics = typed.bool(path(Setting.METRICS_ENABLED), valueOf(Setting.METRICS_ENABLED));
        Boolean tracing = typed.bool(path(Setting.TRACING_ENABLED), valueOf(Setting.TRACING_ENABLED));
        Boolean manageRole = typed.bool(path(Setting.MANAGE_CLOUDWATCH_ROLE), valueOf(Setting.MANAGE_CLOUDWATCH_ROLE));
        TokenStoreSettings.FailureMode failureMode = failureMode();
        Boolean pitr = typed.bool(path(Setting.TOKEN_TABLE_POINT_IN_TIME_RECOVERY),
                valueOf(Setting.TOKEN_TABLE_POINT_IN_TIME_RECOVERY));

        if (integrationTimeoutMs != null && lambdaTimeout != null) {
            timeouts(integrationTimeoutMs, lambdaTimeout);
        }
        if (maxTokensDefault != null && maxTokensCeiling != null && maxTokensDefault > maxTokensCeiling) {
            problem(Setting.MAX_TOKENS_DEFAULT, show(Setting.MAX_TOKENS_DEFAULT, maxTokensDefault)
                    + " is above maxTokensCeiling (" + show(Setting.MAX_TOKENS_CEILING, maxTokensCeiling)
                    + "); the default must be within the ceiling");
        }
        if (integrationTimeoutMs != null && integrationTimeoutMs > DEFAULT_MAX_INTEGRATION_TIMEOUT_MS) {
            report.warn(path(Setting.INTEGRATION_TIMEOUT_MS), show(Setting.INTEGRATION_TIMEOUT_MS, integrationTimeoutMs)
                    + " ms is above API Gateway's default " + DEFAULT_MAX_INTEGRATION_TIMEOUT_MS + " ms; it needs an "
                    + "approved quota increase, which may lower the account's throttle");
        }
        return new Scalars()
                .put(Setting.STAGE_NAME, stageName)
                .put(Setting.INTEGRATION_TIMEOUT_MS, integrationTimeoutMs)
                .put(Setting.LAMBDA_MEMORY_MB, memory)
                .put(Setting.LAMBDA_TIMEOUT_SECONDS, lambdaTimeout)
                .put(Setting.RESERVED_CONCURRENCY, reserved)
                .put(Setting.MAX_TOKENS_DEFAULT, maxTokensDefault)
                .put(Setting.MAX_TOKENS_CEILING, maxTokensCeiling)
                .put(Setting.MAX_REQUEST_BYTES, maxRequestBytes)
                .put(Setting.MAX_EMBEDDING_INPUTS, maxEmbeddingInputs)
                .put(Setting.LOG_RETENTION_DAYS, retention)
                .put(Setting.AUTHORIZER_CACHE_TTL_SECONDS, cacheTtl)
                .put(Setting.STAGE_RATE_LIMIT, stageRate)
                .put(Setting.STAGE_BURST_LIMIT, stageBurst)
                .put(Setting.LOGGING_LEVEL, loggingLevel)
                .put(Setting.METRICS_ENABLED, metrics)
                .put(Setting.TRACING_ENABLED, tracing)
                .put(Setting.MANAGE_CLOUDWATCH_ROLE, manageRole)
                .put(Setting.TOKEN_STORE_FAILURE_MODE, failureMode)
                .put(Setting.TOKEN_TABLE_POINT_IN_TIME_RECOVERY, pitr);
    }

    private TokenStoreSettings.FailureMode failureMode() {
        String mode = string(Setting.TOKEN_STORE_FAILURE_MODE);
        if (mode == null) {
            return null;
        }
        try {
            return TokenStoreSettings.FailureMode.fromConfigName(mode);
        } catch (IllegalArgumentException e) {
            problem(Setting.TOKEN_STORE_FAILURE_MODE, show(Setting.TOKEN_STORE_FAILURE_MODE, mode)
                    + " is not allowed; use refuse (503 with Retry-After) or serve (answer uncounted)");
            return null;
        }
    }

    private Integer reservedConcurrency() {
        TypedValues.Num n = typed.integer(path(Setting.RESERVED_CONCURRENCY), valueOf(Setting.RESERVED_CONCURRENCY));
        if (n == null) {
            return null;
        }
        if (!n.within(-1, -1) && !n.within(1, 10_000)) {
            problem(Setting.RESERVED_CONCURRENCY, n.shown()
                    + " is not allowed: use -1 (unreserved) or 1-10000 (0 would stop the function)");
            return null;
        }
        return n.intValue();
    }

    private Integer logRetentionDays() {
        TypedValues.Num n = typed.integer(path(Setting.LOG_RETENTION_DAYS), valueOf(Setting.LOG_RETENTION_DAYS));
        if (n == null) {
            return null;
        }
        if (!n.within(1, 3653) || !LOG_RETENTION_DAYS.contains(n.intValue())) {
            problem(Setting.LOG_RETENTION_DAYS, n.shown() + " is not a CloudWatch retention period; use one of "
                    + new TreeSet<>(LOG_RETENTION_DAYS));
            return null;
        }
        return n.intValue();
    }

    /**
     * The Lambda timeout must not outlast API Gateway's, and together they must leave the model time:
     * the backend ends its Bedrock call {@link BackendDeadline#SAFETY_MARGIN_MS} before the earlier of
     * the two, so {@code integrationTimeoutMs: 1000} with {@code lambdaTimeoutSeconds: 1} would turn
     * every chat request into a 504.
     */
    private void timeouts(int integrationTimeoutMs, int lambdaTimeoutSeconds) {
        long modelTimeMs = BackendDeadline.modelTimeMs(integrationTimeoutMs, lambdaTimeoutSeconds);
        if (modelTimeMs < BackendDeadline.MIN_MODEL_TIME_MS) {
            long neededMs = BackendDeadline.MIN_MODEL_TIME_MS + BackendDeadline.SAFETY_MARGIN_MS;
            long neededSeconds = (neededMs + 999) / 1000;
            List<String> fixes = new ArrayList<>();
            if (integrationTimeoutMs < neededMs) {
                fixes.add(Setting.INTEGRATION_TIMEOUT_MS.key() + " to at least " + neededMs);
            }
            if (lambdaTimeoutSeconds < neededSeconds) {
                fixes.add(Setting.LAMBDA_TIMEOUT_SECONDS.key() + " to at least " + neededSeconds);
            } else if (lambdaTimeoutSeconds * 1000L > Math.max(integrationTimeoutMs, neededMs)) {
                fixes.add(Setting.LAMBDA_TIMEOUT_SECONDS.key() + " to at most " + Setting.INTEGRATION_TIMEOUT_MS.key()
                        + " / 1000");
            }
            boolean hidden = report.isSecret(path(Setting.INTEGRATION_TIMEOUT_MS))
                    || report.isSecret(path(Setting.LAMBDA_TIMEOUT_SECONDS));
            report.problem(Setting.INTEGRATION_TIMEOUT_MS.key() + ", " + Setting.LAMBDA_TIMEOUT_SECONDS.key(),
                    "together they leave the model " + (hidden ? LoadReport.HIDDEN : modelTimeMs + " ms")
                    + ": the backend ends its Bedrock call at the earlier of integrationTimeoutMs ("
                    + show(Setting.INTEGRATION_TIMEOUT_MS, integrationTimeoutMs) + " ms) and lambdaTimeoutSeconds ("
                    + show(Setting.LAMBDA_TIMEOUT_SECONDS, lambdaTimeoutSeconds) + " s), less a "
                    + BackendDeadline.SAFETY_MARGIN_MS + " ms safety margin, and the model needs at least "
                    + BackendDeadline.MIN_MODEL_TIME_MS + " ms, or every chat request ends in a 504. Set "
                    + String.join(" and ", fixes));
            // The fix above already covers the rule below, whose "use at most" advice could contradict it.
            return;
        }
        if (lambdaTimeoutSeconds * 1000L > integrationTimeoutMs) {
            boolean hidden = report.isSecret(path(Setting.INTEGRATION_TIMEOUT_MS));
            problem(Setting.LAMBDA_TIMEOUT_SECONDS, show(Setting.LAMBDA_TIMEOUT_SECONDS, lambdaTimeoutSeconds)
                    + " s is above integrationTimeoutMs (" + show(Setting.INTEGRATION_TIMEOUT_MS, integrationTimeoutMs)
                    + " ms): API Gateway would give up first and send a bare 504. Use at most "
                    + (hidden ? LoadReport.HIDDEN : Integer.toString(integrationTimeoutMs / 1000)) + " s");
        }
    }

    // ---- reads ---------------------------------------------------------------------------------

    private Object valueOf(Setting setting) {
        Object value = values.get(setting.key());
        return value == null ? setting.defaultValue() : value;
    }

    private String string(Setting setting) {
        return typed.string(path(setting), valueOf(setting));
    }

    private Integer integer(Setting setting, int min, int max) {
        return typed.integer(path(setting), valueOf(setting), min, max);
    }

    private String show(Setting setting, Object value) {
        return value instanceof Number ? report.showNumber(path(setting), value) : report.show(path(setting), value);
    }

    private void problem(Setting setting, String message) {
        report.problem(path(setting), message);
    }

    private static KeyPath path(Setting setting) {
        return KeyPath.of(setting.key());
    }
}
