package io.llmgateway.config;

import io.llmgateway.contract.Route;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A usage-plan tier.
 *
 * @param name            the tier's key in {@code plans}
 * @param description     free text shown in the AWS console
 * @param throttle        the plan's token bucket, applied per API key
 * @param quota           an optional request quota per API key
 * @param methodThrottles tighter buckets for single routes, per API key
 */
public record Plan(String name, String description, Throttle throttle, Optional<Quota> quota,
                   Map<Route, Throttle> methodThrottles) {
    public Plan {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(throttle, "throttle");
        Objects.requireNonNull(quota, "quota");
        methodThrottles = Collections.unmodifiableMap(new LinkedHashMap<>(methodThrottles));
    }

    /** The bucket that limits this route for a key on this plan. */
    public Throttle throttleFor(Route route) {
        return methodThrottles.getOrDefault(route, throttle);
    }
}
