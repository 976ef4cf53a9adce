package io.llmgateway.backend.internal;

import io.llmgateway.backend.metering.Metering;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.ModelKind;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;

/**
 * The model a request names, looked up once for every route: a model the caller may not use does not
 * exist for it (404), and a model of the other kind is a 400 that names it and says which route serves it.
 *
 * @param alias   the public name the client sent
 * @param modelId the Bedrock model id or inference-profile id it maps to
 * @param kind    what the model is for, from its id ({@link ModelKind#of})
 */
public record ConfiguredModel(String alias, String modelId, ModelKind kind) {

    /**
     * @throws RequestError 404 model_not_found for an alias that is not configured or not the caller's,
     *                      400 invalid_value for a model of the other kind
     */
    public static ConfiguredModel lookup(BackendSettings settings, Metering.Entitlement entitlement, String alias,
                                  ModelKind wanted) throws RequestError {
        String modelId = settings.models().get(alias);
        if (modelId == null || !entitlement.allows(alias)) {
            throw new RequestError(OpenAiError.modelNotFound(alias));
        }
        // The stack only configures ids BedrockModelId accepts; a hand-edited environment's odd id is a chat model.
        ModelKind kind = BedrockModelId.looksValid(modelId) ? ModelKind.of(new BedrockModelId(modelId)) : ModelKind.CHAT;
        if (kind != wanted) {
            throw new RequestError(OpenAiError.invalidValue("model", "The model " + Text.quote(alias) + " is "
                    + (kind == ModelKind.EMBEDDING
                    ? "an embedding model: use it with POST /v1/embeddings, and a chat model here."
                    : "a chat model: use it with POST /v1/chat/completions, and an embedding model here.")));
        }
        return new ConfiguredModel(alias, modelId, kind);
    }

    public BedrockModelId id() {
        return new BedrockModelId(modelId);
    }
}
