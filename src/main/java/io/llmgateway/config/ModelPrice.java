package io.llmgateway.config;

/**
 * A model's price ({@code modelPrices.<alias>}), in nano-dollars per token: the USD price per million
 * tokens times 1,000. Prices have at most three decimals, so both are whole numbers.
 */
public record ModelPrice(long inputNanoUsdPerToken, long outputNanoUsdPerToken) {
}
