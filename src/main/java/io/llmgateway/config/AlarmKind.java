package io.llmgateway.config;

import java.util.Arrays;
import java.util.List;

/**
 * The stack's alarms, each configured under {@code alarms.<key>} with {@code enabled}, {@code threshold}
 * and {@code minutes} (the window the statistic is taken over). What the threshold measures, its
 * default and its range are here, once: the reader validates with them, the stack declares with them.
 */
public enum AlarmKind {
    /** API Gateway 5XXError, Average over the window: the share of requests answered with a 5xx. */
    SERVER_ERRORS("serverErrors", "percent of requests answered with a 5xx", 5, 0.01, 100, false),
    /**
     * API Gateway Latency p99 in ms. The default is {@value #LATENCY_DEFAULT_PERCENT} % of
     * {@code integrationTimeoutMs}, where API Gateway gives up.
     */
    LATENCY("latency", "p99 latency in ms (default " + AlarmKind.LATENCY_DEFAULT_PERCENT
            + "% of integrationTimeoutMs)", 0, 1, 300_000, true),
    /** The backend's BedrockThrottles, Sum over the window. */
    BEDROCK_THROTTLES("bedrockThrottles", "model calls Bedrock throttled", 10, 1, 1_000_000, true),
    /** AWS/Lambda Throttles of each function, Sum over the window: one alarm per function. */
    LAMBDA_THROTTLES("lambdaThrottles", "throttled invocations of a function", 1, 1, 1_000_000, true),
    /** AWS/Lambda Errors of each function, Sum over the window: one alarm per function. */
    LAMBDA_ERRORS("lambdaErrors", "failed invocations of a function", 1, 1, 1_000_000, true),
    /** The backend's BackendFailures, TokenStoreFailures and TokenSettleFailures, Sum over the window. */
    BACKEND_FAILURES("backendFailures", "backend 500s and token-table failures", 1, 1, 1_000_000, true);

    /** The latency alarm's default, as a share of the integration timeout. */
    public static final int LATENCY_DEFAULT_PERCENT = 90;
    public static final int DEFAULT_MINUTES = 5;
    /** CloudWatch allows a period of at most one day for an alarm evaluated over one period. */
    public static final int MAX_MINUTES = 1440;

    private final String key;
    private final String measures;
    private final double defaultThreshold;
    private final double min;
    private final double max;
    private final boolean whole;

    AlarmKind(String key, String measures, double defaultThreshold, double min, double max, boolean whole) {
        this.key = key;
        this.measures = measures;
        this.defaultThreshold = defaultThreshold;
        this.min = min;
        this.max = max;
        this.whole = whole;
    }

    /** The key under {@code alarms}. */
    public String key() {
        return key;
    }

    /** What the threshold counts, for messages and the docs. */
    public String measures() {
        return measures;
    }

    /** The default threshold; for {@link #LATENCY}, computed from the integration timeout instead. */
    double defaultThreshold(int integrationTimeoutMs) {
        return this == LATENCY ? Math.round(integrationTimeoutMs * LATENCY_DEFAULT_PERCENT / 100.0) : defaultThreshold;
    }

    double min() {
        return min;
    }

    double max() {
        return max;
    }

    /** Whether the threshold must be a whole number (counts and milliseconds). */
    boolean whole() {
        return whole;
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(AlarmKind::key).toList();
    }
}
