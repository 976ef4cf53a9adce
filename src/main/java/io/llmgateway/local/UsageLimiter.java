package io.llmgateway.local;

import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.Quota;
import io.llmgateway.config.Throttle;
import io.llmgateway.contract.Route;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What API Gateway enforces after the key check, in its order (developer guide, "Throttle API
 * requests"): the key's usage-plan throttle (a per-method throttle replaces the plan's for its
 * route), then the stage's per-method throttle shared by all keys, then the key's quota. Throttled
 * requests do not count against the quota.
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

    private final GatewayConfig config;
    private final LocalClock clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, QuotaCounter> quotas = new ConcurrentHashMap<>();

    UsageLimiter(GatewayConfig config, LocalClock clock) {
        this.config = config;
        this.clock = clock;
    }

    Outcome admit(ApiKeys.Key key, Route route) {
        long now = clock.nanoTime();
        Throttle methodThrottle = key.plan().methodThrottles().get(route);
        String keyBucket = methodThrottle != null ? key.id() + " " + route.throttlePath() : key.id();
        Throttle keyThrottle = methodThrottle != null ? methodThrottle : key.plan().throttle();
        if (!bucket(keyBucket, keyThrottle, now).tryAcquire(now)) {
            return new Outcome.Throttled();
        }
        if (!bucket("stage " + route.throttlePath(), config.stageThrottle(), now).tryAcquire(now)) {
            return new Outcome.Throttled();
        }
        Optional<Quota> quota = key.plan().quota();
        if (quota.isPresent()) {
            Instant instant = clock.now();
            QuotaCounter counter = quotas.computeIfAbsent(key.id(), id -> new QuotaCounter(quota.get()));
            long retryAfter = counter.tryCount(instant);
            if (retryAfter > 0) {
                return new Outcome.QuotaExceeded(retryAfter);
            }
        }
        return new Outcome.Allowed();
    }

    private TokenBucket bucket(String name, Throttle throttle, long now) {
        return buckets.computeIfAbsent(name, n -> new TokenBucket(throttle, now));
    }

    /** Requests counted in the current quota window of one key. */
    private static final class QuotaCounter {
        private final Quota quota;
        private QuotaWindow window;
        private long used;

        QuotaCounter(Quota quota) {
            this.quota = quota;
        }

        /** Counts one request; returns 0 when allowed, else the seconds until the next window. */
        synchronized long tryCount(Instant now) {
            if (window == null || !now.isBefore(window.end()) || now.isBefore(window.start())) {
                window = QuotaWindow.containing(quota, now);
                used = 0;
            }
            if (used >= quota.limit()) {
                return window.secondsUntilEnd(now);
            }
            used++;
            return 0;
        }
    }
}
