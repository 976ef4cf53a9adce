package io.llmgateway.backend.internal;

import io.llmgateway.backend.metering.Metering;
import io.llmgateway.common.PlanGuardrail;
import java.util.Objects;
import java.util.Optional;

/**
 * What a model call names on Bedrock for this caller: the model id to send (the plan's application
 * inference profile ARN when it has one for the alias, so Bedrock bills the plan's tags; otherwise the
 * configured id), and the plan's guardrail. Capabilities (structured output, reasoning, caching) are
 * still read from the configured id: a profile ARN names no model.
 *
 * @param modelId   what Converse's {@code modelId} is
 * @param guardrail what Converse's {@code guardrailConfig} names; empty for none
 */
public record ModelTarget(String modelId, Optional<PlanGuardrail> guardrail) {

    public ModelTarget {
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(guardrail, "guardrail");
    }

    /** The configured model, no guardrail. */
    public static ModelTarget direct(String modelId) {
        return new ModelTarget(modelId, Optional.empty());
    }

    /** The caller's target for a model it named by {@code alias}, configured as {@code modelId}. */
    public static ModelTarget of(Metering.Entitlement entitlement, String alias, String modelId) {
        return new ModelTarget(entitlement.invokedModelId(alias, modelId), entitlement.guardrail());
    }
}
