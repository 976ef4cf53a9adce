package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthorizerCacheTest {

    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-25T10:00:00Z"));
    private static final AuthorizerEmulation.Policy ALLOW = new AuthorizerEmulation.Policy("k");

    @Test
    void anEntryLastsItsTtlOnTheClock() {
        AuthorizerCache cache = new AuthorizerCache(300, 10);
        cache.put("Bearer k", ALLOW, clock.nanoTime());

        clock.advance(Duration.ofSeconds(299));
        assertThat(cache.get("Bearer k", clock.nanoTime())).isEqualTo(ALLOW);
        clock.advance(Duration.ofSeconds(1));
        assertThat(cache.get("Bearer k", clock.nanoTime())).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void distinctHeaders_neverGrowItPastItsBound() {
        AuthorizerCache cache = new AuthorizerCache(300, 100);
        for (int i = 0; i < 10_000; i++) {
            cache.put("Basic invented-" + i, AuthorizerEmulation.Policy.DENY, clock.nanoTime());
        }
        assertThat(cache.size()).isEqualTo(100);
        assertThat(cache.get("Basic invented-9999", clock.nanoTime())).isEqualTo(AuthorizerEmulation.Policy.DENY);
        assertThat(cache.get("Basic invented-0", clock.nanoTime())).isNull();
    }

    @Test
    void theLeastRecentlyUsedEntryGoesFirst() {
        AuthorizerCache cache = new AuthorizerCache(300, 2);
        cache.put("Bearer a", ALLOW, clock.nanoTime());
        cache.put("Bearer b", ALLOW, clock.nanoTime());
        cache.get("Bearer a", clock.nanoTime()); // a is now the more recently used

        cache.put("Bearer c", ALLOW, clock.nanoTime());

        assertThat(cache.get("Bearer a", clock.nanoTime())).isEqualTo(ALLOW);
        assertThat(cache.get("Bearer b", clock.nanoTime())).isNull();
        assertThat(cache.get("Bearer c", clock.nanoTime())).isEqualTo(ALLOW);
    }

    /** Each distinct Authorization value is an entry: their bytes, not only their number, are bounded. */
    @Test
    void largeDistinctHeaders_neverHoldMoreThanTheByteBound() {
        AuthorizerCache cache = new AuthorizerCache(300, AuthorizerCache.DEFAULT_MAX_ENTRIES);
        String padding = "x".repeat(100 * 1024);
        for (int i = 0; i < 1_000; i++) {
            cache.put("Bearer " + i + padding, AuthorizerEmulation.Policy.DENY, clock.nanoTime());
        }
        assertThat(cache.bytes()).isLessThanOrEqualTo(AuthorizerCache.DEFAULT_MAX_BYTES);
        assertThat((long) cache.size() * padding.length()).isLessThanOrEqualTo(AuthorizerCache.DEFAULT_MAX_BYTES);
        assertThat(cache.get("Bearer 999" + padding, clock.nanoTime())).isEqualTo(AuthorizerEmulation.Policy.DENY);
        assertThat(cache.get("Bearer 0" + padding, clock.nanoTime())).isNull();
    }
}
