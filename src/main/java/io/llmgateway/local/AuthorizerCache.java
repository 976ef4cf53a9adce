package io.llmgateway.local;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API Gateway's authorizer cache ({@code authorizerCacheTtlSeconds} &gt; 0): answers keyed by the
 * identity source, the Authorization header, each kept for the TTL on the gateway's clock. Denies
 * are cached as well as Allows, as API Gateway caches the policy whatever its effect.
 *
 * <p>Bounded, unlike a plain map: every distinct Authorization value a client invents (with or
 * without a key) is an entry, so the cache keeps at most {@code maxEntries} and drops the least
 * recently used first. An expired entry is dropped when it is next looked up, or when it is the
 * least recently used.
 */
final class AuthorizerCache {

    /** Enough for every client of the largest stack (10,000 keys) to stay cached. */
    static final int DEFAULT_MAX_ENTRIES = 10_000;

    private record Entry(AuthorizerEmulation.Policy policy, long expiresAtNanos) {
    }

    private final long ttlNanos;
    private final LinkedHashMap<String, Entry> entries;

    AuthorizerCache(long ttlSeconds, int maxEntries) {
        if (ttlSeconds <= 0 || maxEntries <= 0) {
            throw new IllegalArgumentException("ttlSeconds and maxEntries must be positive");
        }
        this.ttlNanos = ttlSeconds * 1_000_000_000L;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The cached answer for this identity, or null when there is none or it has expired. */
    synchronized AuthorizerEmulation.Policy get(String identity, long nowNanos) {
        Entry entry = entries.get(identity);
        if (entry == null) {
            return null;
        }
        if (nowNanos - entry.expiresAtNanos() >= 0) {
            entries.remove(identity);
            return null;
        }
        return entry.policy();
    }

    synchronized void put(String identity, AuthorizerEmulation.Policy policy, long nowNanos) {
        entries.put(identity, new Entry(policy, nowNanos + ttlNanos));
    }

    synchronized int size() {
        return entries.size();
    }
}
