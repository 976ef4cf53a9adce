package io.llmgateway.config;

import java.util.Objects;

/**
 * What the stack logs, traces and keeps ({@link Setting}).
 *
 * @param level                config {@code loggingLevel}: API Gateway execution logging, OFF, ERROR or INFO
 * @param metricsEnabled       config {@code metricsEnabled}: detailed CloudWatch metrics per method
 * @param tracingEnabled       config {@code tracingEnabled}: X-Ray tracing on the stage
 * @param retentionDays        config {@code logRetentionDays}: every log group's retention
 * @param manageCloudWatchRole config {@code manageCloudWatchRole}: the Region's API Gateway CloudWatch Logs role
 */
public record Logging(String level, boolean metricsEnabled, boolean tracingEnabled, int retentionDays,
                      boolean manageCloudWatchRole) {
    public Logging {
        Objects.requireNonNull(level, "level");
    }
}
