package io.llmgateway.config;

/**
 * The backend function ({@link Setting}).
 *
 * @param memoryMb            config {@code lambdaMemoryMb}
 * @param timeoutSeconds      config {@code lambdaTimeoutSeconds}
 * @param reservedConcurrency config {@code reservedConcurrency}: -1 for unreserved
 */
public record LambdaSettings(int memoryMb, int timeoutSeconds, int reservedConcurrency) {
}
