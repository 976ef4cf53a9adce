package io.llmgateway.local;

import io.llmgateway.config.StackConfig;
import io.llmgateway.config.Quota;
import io.llmgateway.config.Throttle;
import io.llmgateway.contract.Route;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What API Gateway enforces after the key check, in its order (developer guide, "Throttle requests
 * to your REST APIs", https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html):
 * the key's usage-plan throttle (a per-method throttle replaces the plan's for its route), then the
 * stage's per-method throttle shared by all keys, then the key's quota. The first limit that refuses
 * names the answer: THROTTLED for a throttle, QUOTA_EXCEEDED for the quota.
 *
 * <p><b>All or nothing.</b> A request takes a token from every bucket it needs (key throttle, stage
 * throttle, quota) or from none: a request the stage throttle refuses leaves the key's token in the
 * key's bucket, and a request refused for its quota spends no throttle token. AWS documents the order
 * of the limits but not whether a request a later limit refuses has spent an earlier limit's token,
 * and its limits are best effort across a fleet; this is the behaviour a client can rely on here, not
 * a claim about AWS.
 */
final class UsageLimiter {

    /** The verdict for one request. */
    sealed interface Outcome {
        record Allowed() implements Outcome {
        }

        record Throttled() implements Outcome {
        }

        /** @param retryAfterSeconds seconds to the start of the next quota period */
        record QuotaExceeded(long retryAfterSeconds) implements Outcome {
        }
    }

    private final StackConfig config;
    private final LocalClock clock;
    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final Map<String, QuotaCounter> quotas = new HashMap<>();

    UsageLimiter(StackConfig config, LocalClock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** One lock for all buckets: checking and taking must be one step for all-or-nothing to hold. */
    synchronized Outcome admit(ApiKeys.Key key, Route route) {
        long now = clock.nanoTime();
        Throttle methodThrottle = key.plan().methodThrottles().get(route);
        TokenBucket keyBucket = methodThrottle != null
                ? bucket(key.id() + " " + route.throttlePath(), methodThrottle, now)
                : bucket(key.id(), key.plan().throttle(), now);
        TokenBucket stageBucket = bucket("stage " + route.throttlePath(), config.api().stageThrottle(), now);
        if (!keyBucket.hasToken(now) || !stageBucket.hasToken(now)) {
            return new Outcome.Throttled();
        }
        Optional<Quota> quota = key.plan().quota();
        QuotaCounter counter = null;
        if (quota.isPresent()) {
            counter = quotas.computeIfAbsent(key.id(), id -> new QuotaCounter(quota.get()));
            long retryAfter = counter.secondsUntilAvailable(clock.now());
            if (retryAfter > 0) {
                return new Outcome.QuotaExceeded(retryAfter);
            }
        }
        keyBucket.take();
        stageBucket.take();
        if (counter != null) {
            counter.count();
        }
        return new Outcome.Allowed();
    }

    /**
     * A key's limits as they stand now, for the status page.
     *
     * @param tokens       tokens in the key's plan bucket (a bucket not used yet is full)
     * @param methodTokens per route with a per-method throttle, tokens in that bucket
     * @param quotaUsed    requests counted in the current quota window; empty without a quota
     * @param quotaResets  when that window ends; empty without a quota
     */
    record KeyState(double tokens, Map<Route, Double> methodTokens, OptionalLong quotaUsed,
                    Optional<Instant> quotaResets) {
    }

    synchronized KeyState state(ApiKeys.Key key) {
        long now = clock.nanoTime();
        double tokens = bucket(key.id(), key.plan().throttle(), now).level(now);
        Map<Route, Double> methodTokens = new LinkedHashMap<>();
        key.plan().methodThrottles().forEach((route, throttle) ->
                methodTokens.put(route, bucket(key.id() + " " + route.throttlePath(), throttle, now).level(now)));
        Optional<Quota> quota = key.plan().quota();
        if (quota.isEmpty()) {
            return new KeyState(tokens, methodTokens, OptionalLong.empty(), Optional.empty());
        }
        QuotaCounter counter = quotas.computeIfAbsent(key.id(), id -> new QuotaCounter(quota.get()));
        Instant wallNow = clock.now();
        return new KeyState(tokens, methodTokens, OptionalLong.of(counter.used(wallNow)),
                Optional.of(counter.resetsAt(wallNow)));
    }

    private TokenBucket bucket(String name, Throttle throttle, long now) {
        return buckets.computeIfAbsent(name, n -> new TokenBucket(throttle, now));
    }
}
