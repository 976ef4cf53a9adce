package io.llmgateway.common;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One consistent snapshot of what the stack config says each API key may use and spend: the plans'
 * limits and which key is on which plan. The stack writes it into the token table
 * ({@link EntitlementItems}); the backend reads it whole.
 *
 * @param version     the content hash the stack put on every item and on the stage variable
 *                    {@link EntitlementItems#STAGE_VARIABLE}
 * @param plans       plan name to limits
 * @param planByKeyId API key id to plan name
 */
public record Entitlements(String version, Map<String, PlanLimits> plans, Map<String, String> planByKeyId) {

    public Entitlements {
        Objects.requireNonNull(version, "version");
        plans = Map.copyOf(plans);
        planByKeyId = Map.copyOf(planByKeyId);
    }

    /** The plan of a key, when the stack put the key on one. */
    public Optional<PlanLimits> planOfKey(String apiKeyId) {
        if (apiKeyId == null) {
            return Optional.empty();
        }
        String plan = planByKeyId.get(apiKeyId);
        return plan == null ? Optional.empty() : Optional.ofNullable(plans.get(plan));
    }
}
