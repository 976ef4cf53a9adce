package io.llmgateway.infra;

import io.llmgateway.common.PlanGuardrail;
import io.llmgateway.common.PlanLimits;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the plans' own Bedrock resources resolved to once AWS created them: per plan the profile ARN of
 * each model and the guardrail to name, and what the backend's role must be allowed for them.
 *
 * @param profiles      plan to model alias to application inference profile ARN
 * @param guardrails    plan to guardrail (id and version, priced)
 * @param grants        each profile and the foundation models it routes to
 * @param guardrailArns the guardrails the backend applies
 */
public record PlanRouting(Map<String, Map<String, String>> profiles, Map<String, PlanGuardrail> guardrails,
                          List<IamPolicies.ProfileGrant> grants, List<String> guardrailArns) {

    /** No plan with profiles or guardrails. */
    public static final PlanRouting NONE = new PlanRouting(Map.of(), Map.of(), List.of(), List.of());

    public PlanRouting {
        Map<String, Map<String, String>> copy = new TreeMap<>();
        profiles.forEach((plan, arns) -> copy.put(plan, Collections.unmodifiableMap(new TreeMap<>(arns))));
        profiles = Collections.unmodifiableMap(copy);
        guardrails = Collections.unmodifiableMap(new TreeMap<>(guardrails));
        grants = List.copyOf(grants);
        guardrailArns = List.copyOf(guardrailArns);
    }

    /** The plans' limits with their profiles and guardrails, as the entitlements carry them. */
    public Map<String, PlanLimits> route(Map<String, PlanLimits> limits) {
        Map<String, PlanLimits> routed = new LinkedHashMap<>();
        limits.forEach((plan, l) -> routed.put(plan, profiles.containsKey(plan) || guardrails.containsKey(plan)
                ? l.routed(profiles.getOrDefault(plan, Map.of()), Optional.ofNullable(guardrails.get(plan))) : l));
        return routed;
    }
}
