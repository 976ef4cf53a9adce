package io.llmgateway.config;

import io.llmgateway.common.TokenRates;

/**
 * A model's price ({@code modelPrices.<alias>}): input and output in nano-dollars per token (the USD
 * price per million tokens times 1,000; prices have at most three decimals, so both are whole numbers),
 * and the prompt cache's reads and writes in thousandths of a nano-dollar per token (the price per
 * million times 1,000,000: up to six decimals, so a read at a quarter of $0.035 is exact).
 *
 * @param cacheReadPicoUsdPerToken      a token read from the prompt cache
 * @param cacheWritePicoUsdPerToken     a token written with the 5-minute TTL
 * @param cacheWriteLongPicoUsdPerToken a token written with the 1-hour TTL
 */
public record ModelPrice(long inputNanoUsdPerToken, long outputNanoUsdPerToken, long cacheReadPicoUsdPerToken,
                         long cacheWritePicoUsdPerToken, long cacheWriteLongPicoUsdPerToken) {

    /** A price whose cache tokens cost what input does. */
    public ModelPrice(long inputNanoUsdPerToken, long outputNanoUsdPerToken) {
        this(inputNanoUsdPerToken, outputNanoUsdPerToken, inputNanoUsdPerToken * TokenRates.THOUSANDTHS,
                inputNanoUsdPerToken * TokenRates.THOUSANDTHS, inputNanoUsdPerToken * TokenRates.THOUSANDTHS);
    }

    /** What a USD budget charges per token, in nano-dollars (the cache's in thousandths of them). */
    public TokenRates rates() {
        return new TokenRates(inputNanoUsdPerToken, outputNanoUsdPerToken, cacheReadPicoUsdPerToken,
                cacheWritePicoUsdPerToken, cacheWriteLongPicoUsdPerToken);
    }
}
