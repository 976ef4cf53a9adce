package io.llmgateway.config;

import java.util.Objects;

/**
 * How API Gateway serves the stage ({@link Setting}).
 *
 * @param stageThrottle             config {@code stageRateLimit} and {@code stageBurstLimit}: the ceiling for
 *                                  all clients together, per method
 * @param integrationTimeoutMs      config {@code integrationTimeoutMs}: how long API Gateway waits for the backend
 * @param authorizerCacheTtlSeconds config {@code authorizerCacheTtlSeconds}: 0 runs the authorizer on every request
 */
public record ApiSettings(Throttle stageThrottle, int integrationTimeoutMs, int authorizerCacheTtlSeconds) {
    public ApiSettings {
        Objects.requireNonNull(stageThrottle, "stageThrottle");
    }
}
