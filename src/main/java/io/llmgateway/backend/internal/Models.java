package io.llmgateway.backend.internal;

import io.llmgateway.backend.metering.Metering;
import io.llmgateway.common.BedrockModelId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code GET /v1/models} and {@code GET /v1/models/{model}}: the configured aliases in OpenAI's shapes. */
public final class Models {

    private Models() {
    }

    /** The aliases the caller may use, in config order: a model it may not use does not exist for it. */
    public static Map<String, Object> list(Map<String, String> aliases, Metering.Entitlement entitlement) {
        List<Map<String, Object>> data = new ArrayList<>(aliases.size());
        aliases.forEach((alias, modelId) -> {
            if (entitlement.allows(alias)) {
                data.add(model(alias, modelId));
            }
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", data);
        return body;
    }

    /** {@code GET /v1/models/{model}}: the model object, when the alias exists and the caller may use it. */
    public static Optional<Map<String, Object>> one(Map<String, String> aliases, Metering.Entitlement entitlement,
                                                    String alias) {
        String modelId = aliases.get(alias);
        if (modelId == null || !entitlement.allows(alias)) {
            return Optional.empty();
        }
        return Optional.of(model(alias, modelId));
    }

    /** OpenAI's model object. There is no field for the model's kind; the id of an embedding model says it. */
    private static Map<String, Object> model(String alias, String modelId) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("id", alias);
        model.put("object", "model");
        model.put("created", 0);
        model.put("owned_by", ownedBy(modelId));
        return model;
    }

    /**
     * The provider of a configured model id: {@code anthropic} for
     * {@code anthropic.claude-3-haiku-20240307-v1:0} and for {@code us.anthropic.claude-...}. The stack
     * only ever configures ids that {@link BedrockModelId} accepts; anything else (a hand-edited
     * environment) is shown as {@code bedrock}.
     */
    static String ownedBy(String modelId) {
        return BedrockModelId.looksValid(modelId) ? new BedrockModelId(modelId).provider() : "bedrock";
    }
}
