package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.quota;
import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.StackConfig;
import io.llmgateway.contract.Route;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageLimiterTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-25T10:00:00Z"));

    @Test
    void offeredLoadWellOverTheRate_acceptsRateTimesTPlusBurst() {
        StackConfig config = TestConfigs.onePlan(Map.of("throttle", throttle(10, 20)));
        UsageLimiter limiter = new UsageLimiter(config, clock);
        ApiKeys.Key key = key(config, "p-client");

        // 100 requests per second, ten times the rate, for 30 seconds.
        int accepted = offer(limiter, key, Route.CHAT_COMPLETIONS, 100, Duration.ofSeconds(30));

        assertThat(accepted).isCloseTo(20 + 10 * 30, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(accepted).isBetween(319, 320);
    }

    @Test
    void fractionalRate_refillsOneTokenEveryTwoSeconds() {
        StackConfig config = TestConfigs.onePlan(Map.of("throttle", throttle(0.5, 1)));
        UsageLimiter limiter = new UsageLimiter(config, clock);

        int accepted = offer(limiter, key(config, "p-client"), Route.MODELS, 20, Duration.ofSeconds(60));

        assertThat(accepted).isBetween(30, 31);
    }

    @Test
    void methodThrottle_replacesThePlanThrottleForItsRouteOnly() {
        StackConfig config = TestConfigs.onePlan(Map.of("throttle", throttle(100, 10),
                "methodThrottles", Map.of("/v1/chat/completions/POST", throttle(1, 2))));
        UsageLimiter limiter = new UsageLimiter(config, clock);
        ApiKeys.Key key = key(config, "p-client");

        assertThat(admitMany(limiter, key, Route.CHAT_COMPLETIONS, 10)).isEqualTo(2);
        assertThat(admitMany(limiter, key, Route.MODELS, 20)).isEqualTo(10);
    }

    @Test
    void eachKeyHasItsOwnBucket_butTheStageBucketIsShared() {
        StackConfig config = TestConfigs.config(Map.of("a", Map.of("throttle", throttle(1, 3)),
                "b", Map.of("throttle", throttle(1, 3))), Map.of("stageRateLimit", "1", "stageBurstLimit", "4"));
        UsageLimiter limiter = new UsageLimiter(config, clock);

        int a = admitMany(limiter, key(config, "a-client"), Route.MODELS, 3);
        int b = admitMany(limiter, key(config, "b-client"), Route.MODELS, 3);

        assertThat(a).isEqualTo(3);
        assertThat(b).isEqualTo(1); // the stage's burst of 4 is spent
    }

    @Test
    void dailyQuota_acceptsExactlyN_thenRefusesUntilTheNextUtcDay() {
        StackConfig config = TestConfigs.onePlan(Map.of("throttle", throttle(1000, 1000), "quota", quota(5, "DAY", 0)));
        UsageLimiter limiter = new UsageLimiter(config, clock);
        ApiKeys.Key key = key(config, "p-client");
        clock.set(Instant.parse("2026-11-25T23:59:00Z"));

        assertThat(admitMany(limiter, key, Route.CHAT_COMPLETIONS, 5)).isEqualTo(5);
        UsageLimiter.Outcome refused = limiter.admit(key, Route.CHAT_COMPLETIONS);
        assertThat(refused).isEqualTo(new UsageLimiter.Outcome.QuotaExceeded(60));

        clock.set(Instant.parse("2026-11-25T23:59:59.500Z"));
        assertThat(limiter.admit(key, Route.MODELS)).isInstanceOf(UsageLimiter.Outcome.QuotaExceeded.class);

        clock.set(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(admitMany(limiter, key, Route.CHAT_COMPLETIONS, 7)).isEqualTo(5);
    }

    @Test
    void throttledRequests_doNotCountAgainstTheQuota() {
        StackConfig config = TestConfigs.onePlan(Map.of("throttle", throttle(1, 1), "quota", quota(3, "DAY", 0)));
        UsageLimiter limiter = new UsageLimiter(config, clock);
        ApiKeys.Key key = key(config, "p-client");

        int accepted = 0;
        for (int second = 0; second < 10; second++) {
            accepted += admitMany(limiter, key, Route.MODELS, 5); // 1 accepted, 4 throttled each second
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(accepted).isEqualTo(3);
    }

    @Test
    void aRequestTheStageRefuses_takesNoTokenFromTheKeysBucket() {
        StackConfig config = TestConfigs.config(Map.of("scarce", Map.of("throttle", throttle(0.001, 2)),
                "busy", Map.of("throttle", throttle(1000, 1000))), Map.of("stageRateLimit", "1", "stageBurstLimit", "1"));
        UsageLimiter limiter = new UsageLimiter(config, clock);
        ApiKeys.Key scarce = key(config, "scarce-client");

        assertThat(limiter.admit(key(config, "busy-client"), Route.MODELS)).isInstanceOf(UsageLimiter.Outcome.Allowed.class);
        assertThat(admitMany(limiter, scarce, Route.MODELS, 5)).isZero(); // the stage has no token

        int accepted = 0;
        for (int second = 0; second < 5; second++) {
            clock.advance(Duration.ofSeconds(1));
            accepted += admitMany(limiter, scarce, Route.MODELS, 1);
        }
        assertThat(accepted).isEqualTo(2); // the scarce key's whole burst, untouched by the refusals
    }

    @Test
    void aRequestTheQuotaRefuses_takesNoThrottleToken() {
        StackConfig config = TestConfigs.onePlan(Map.of("throttle", throttle(0.001, 3), "quota", quota(1, "DAY", 0)));
        UsageLimiter limiter = new UsageLimiter(config, clock);
        ApiKeys.Key key = key(config, "p-client");
        clock.set(Instant.parse("2026-11-25T23:59:59Z"));

        assertThat(admitMany(limiter, key, Route.MODELS, 1)).isEqualTo(1);
        assertThat(limiter.admit(key, Route.MODELS)).isEqualTo(new UsageLimiter.Outcome.QuotaExceeded(1));
        assertThat(limiter.admit(key, Route.MODELS)).isEqualTo(new UsageLimiter.Outcome.QuotaExceeded(1));

        clock.set(Instant.parse("2026-11-26T00:00:00Z"));
        // Two tokens are left of the burst of three: the quota refusals spent none.
        assertThat(limiter.admit(key, Route.MODELS)).isInstanceOf(UsageLimiter.Outcome.Allowed.class);
    }

    @Test
    void aQuotaWindowNeverReopens_whenTheWallClockStepsBack() {
        StackConfig config = TestConfigs.onePlan(Map.of("throttle", throttle(1000, 1000), "quota", quota(3, "WEEK", 1)));
        UsageLimiter limiter = new UsageLimiter(config, clock);
        ApiKeys.Key key = key(config, "p-client");
        clock.set(Instant.parse("2026-11-29T23:59:00Z")); // Sunday: the Monday week ends at midnight

        assertThat(admitMany(limiter, key, Route.MODELS, 4)).isEqualTo(3);
        clock.set(Instant.parse("2026-11-30T00:00:00Z"));
        assertThat(admitMany(limiter, key, Route.MODELS, 4)).isEqualTo(3); // a new week

        // Stepped back into the old week, whose quota this key used up too: nothing reopens.
        clock.stepWallClock(Instant.parse("2026-11-29T23:59:30Z"));
        assertThat(admitMany(limiter, key, Route.MODELS, 2)).isZero();
        clock.stepWallClock(Instant.parse("2026-11-20T12:00:00Z"));
        assertThat(limiter.admit(key, Route.MODELS)).isInstanceOf(UsageLimiter.Outcome.QuotaExceeded.class);

        clock.stepWallClock(Instant.parse("2026-12-07T00:00:00Z"));
        assertThat(admitMany(limiter, key, Route.MODELS, 4)).isEqualTo(3);
    }

    static ApiKeys.Key key(StackConfig config, String client) {
        return ApiKeys.forConfig(config, new SecureRandom()).forClient(client).orElseThrow();
    }

    private static int admitMany(UsageLimiter limiter, ApiKeys.Key key, Route route, int n) {
        int accepted = 0;
        for (int i = 0; i < n; i++) {
            if (limiter.admit(key, route) instanceof UsageLimiter.Outcome.Allowed) {
                accepted++;
            }
        }
        return accepted;
    }

    private int offer(UsageLimiter limiter, ApiKeys.Key key, Route route, int perSecond, Duration duration) {
        long steps = duration.toMillis() * perSecond / 1000;
        Duration gap = Duration.ofNanos(1_000_000_000L / perSecond);
        int accepted = 0;
        for (long i = 0; i < steps; i++) {
            if (limiter.admit(key, route) instanceof UsageLimiter.Outcome.Allowed) {
                accepted++;
            }
            clock.advance(gap);
        }
        return accepted;
    }
}
