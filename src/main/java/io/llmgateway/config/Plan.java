package io.llmgateway.config;

import io.llmgateway.contract.Route;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A usage-plan tier.
 *
 * @param name            the tier's key in {@code plans}
 * @param description     free text shown in the AWS console
 * @param throttle        the plan's token bucket, applied per API key
 * @param quota           an optional request quota per API key
 * @param methodThrottles tighter buckets for single routes, per API key
 * @param tokens          optional token limits per API key: per minute, and a budget per period
 * @param models          the model aliases the plan may use; empty for every configured model
 * @param maxTokens       the plan's own max_tokens ceiling, within {@code maxTokensCeiling}; empty for none
 * @param costAllocation  application inference profiles for the plan's models; empty for none
 * @param guardrail       the guardrail the plan's calls go through; empty for none
 */
public record Plan(String name, String description, Throttle throttle, Optional<Quota> quota,
                   Map<Route, Throttle> methodThrottles, Optional<PlanTokens> tokens, Optional<List<String>> models,
                   OptionalInt maxTokens, Optional<CostAllocation> costAllocation, Optional<GuardrailSpec> guardrail) {
    public Plan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(quota, "quota");
        methodThrottles = Collections.unmodifiableMap(new LinkedHashMap<>(methodThrottles));
        Objects.requireNonNull(tokens, "tokens");
        models = models.map(List::copyOf);
        Objects.requireNonNull(maxTokens, "maxTokens");
        Objects.requireNonNull(costAllocation, "costAllocation");
        Objects.requireNonNull(guardrail, "guardrail");
    }

    /** A plan without cost allocation or guardrail. */
    public Plan(String name, String description, Throttle throttle, Optional<Quota> quota,
                Map<Route, Throttle> methodThrottles, Optional<PlanTokens> tokens, Optional<List<String>> models,
                OptionalInt maxTokens) {
        this(name, description, throttle, quota, methodThrottles, tokens, models, maxTokens, Optional.empty(),
                Optional.empty());
    }

    /** A plan with request limits only: every model, no token limits, the stack's max_tokens ceiling. */
    public Plan(String name, String description, Throttle throttle, Optional<Quota> quota,
                Map<Route, Throttle> methodThrottles) {
        this(name, description, throttle, quota, methodThrottles, Optional.empty(), Optional.empty(), OptionalInt.empty());
    }

    /** The same plan with this guardrail (priced). */
    Plan withGuardrail(GuardrailSpec spec) {
        return new Plan(name, description, throttle, quota, methodThrottles, tokens, models, maxTokens, costAllocation,
                Optional.of(spec));
    }

    /** True when the plan's calls go through its own application inference profiles. */
    public boolean allocatesCosts() {
        return costAllocation.map(CostAllocation::enabled).orElse(false);
    }

    /** The bucket that limits this route for a key on this plan. */
    public Throttle throttleFor(Route route) {
        return methodThrottles.getOrDefault(route, throttle);
    }
}
