package io.llmgateway.backend.embeddings;

import io.llmgateway.common.ModelKind.EmbeddingFamily;
import java.util.List;

/**
 * A validated {@code POST /v1/embeddings} request.
 *
 * @param alias      the public model name, echoed in the response
 * @param modelId    the Bedrock model id or inference-profile id
 * @param family     the model's embedding family: its InvokeModel body and batch size
 * @param texts      the inputs, in order
 * @param dimensions the output dimensions to ask for; null for the model's default
 * @param base64     {@code encoding_format: base64}: each vector as little-endian float32, base64-encoded
 * @param inputType  Cohere's {@code input_type}; null for Titan
 */
record EmbeddingRequest(String alias, String modelId, EmbeddingFamily family, List<String> texts, Integer dimensions,
                        boolean base64, String inputType) {
    EmbeddingRequest {
        texts = List.copyOf(texts);
    }
}
