package io.llmgateway.config;

/**
 * What one request may ask of the backend ({@link Setting}).
 *
 * @param maxTokensDefault   config {@code maxTokensDefault}: max_tokens when a request sets none
 * @param maxTokensCeiling   config {@code maxTokensCeiling}: the most a request may ask for
 * @param maxRequestBytes    config {@code maxRequestBytes}: the largest body the backend accepts
 * @param maxEmbeddingInputs config {@code maxEmbeddingInputs}: the most inputs of one embeddings request
 */
public record RequestLimits(int maxTokensDefault, int maxTokensCeiling, int maxRequestBytes, int maxEmbeddingInputs) {
}
