package io.llmgateway.config;

import io.llmgateway.common.TokenStoreSettings;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The token table's settings and the model prices USD budgets count with.
 *
 * @param modelPrices          config {@code modelPrices}: alias to price
 * @param failureMode          config {@code tokenStoreFailureMode}: what the backend does when DynamoDB fails
 * @param pointInTimeRecovery  config {@code tokenTablePointInTimeRecovery}
 */
public record TokenStore(Map<String, ModelPrice> modelPrices, TokenStoreSettings.FailureMode failureMode,
                         boolean pointInTimeRecovery) {
    public TokenStore {
        modelPrices = Map.copyOf(new TreeMap<>(modelPrices));
        Objects.requireNonNull(failureMode, "failureMode");
    }
}
