package io.llmgateway.local;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * API Gateway's authorizer cache ({@code authorizerCacheTtlSeconds} &gt; 0): answers keyed by the
 * identity source, the Authorization header, each kept for the TTL on the gateway's clock. Denies
 * are cached as well as Allows, as API Gateway caches the policy whatever its effect.
 *
 * <p>Bounded, unlike a plain map: every distinct Authorization value a client invents (with or
 * without a key) is an entry, so the cache keeps at most {@code maxEntries} and {@code maxBytes} of
 * identities, and drops the least recently used first. (The HTTP server caps a request's headers at
 * 10,240 bytes, API Gateway's limit, so one identity is never larger; 3,000 distinct 300 KB headers
 * retained a gigabyte before both bounds.) An expired entry is dropped when it is next looked up, or
 * when it is the least recently used.
 */
final class AuthorizerCache {

    /** Enough for every client of the largest stack (10,000 keys) to stay cached. */
    static final int DEFAULT_MAX_ENTRIES = 10_000;
    /** 10,000 Bearer keys of 128 characters take about 3 MB: this leaves room and bounds the rest. */
    static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;
    /** What an entry costs beside its identity's characters: the entry, the policy, the map's node. */
    static final int ENTRY_OVERHEAD_BYTES = 128;

    private record Entry(AuthorizerEmulation.Policy policy, long expiresAtNanos) {
    }

    private final long ttlNanos;
    private final int maxEntries;
    private final long maxBytes;
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long bytes;

    AuthorizerCache(long ttlSeconds, int maxEntries) {
        this(ttlSeconds, maxEntries, DEFAULT_MAX_BYTES);
    }

    AuthorizerCache(long ttlSeconds, int maxEntries, long maxBytes) {
        if (ttlSeconds <= 0 || maxEntries <= 0 || maxBytes <= 0) {
            throw new IllegalArgumentException("ttlSeconds, maxEntries and maxBytes must be positive");
        }
        this.ttlNanos = ttlSeconds * 1_000_000_000L;
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    /** An identity's weight: two bytes a character at most, and the entry around it. */
    private static long weigh(String identity) {
        return 2L * identity.length() + ENTRY_OVERHEAD_BYTES;
    }

    /** The cached answer for this identity, or null when there is none or it has expired. */
    synchronized AuthorizerEmulation.Policy get(String identity, long nowNanos) {
        Entry entry = entries.get(identity);
        if (entry == null) {
            return null;
        }
        if (nowNanos - entry.expiresAtNanos() >= 0) {
            entries.remove(identity);
            bytes -= weigh(identity);
            return null;
        }
        return entry.policy();
    }

    synchronized void put(String identity, AuthorizerEmulation.Policy policy, long nowNanos) {
        long weight = weigh(identity);
        if (weight > maxBytes) {
            return; // never worth what it would push out
        }
        if (entries.put(identity, new Entry(policy, nowNanos + ttlNanos)) == null) {
            bytes += weight;
        }
        Iterator<String> eldest = entries.keySet().iterator();
        while ((entries.size() > maxEntries || bytes > maxBytes) && eldest.hasNext()) {
            bytes -= weigh(eldest.next());
            eldest.remove();
        }
    }

    synchronized int size() {
        return entries.size();
    }

    /** What the entries weigh, by {@link #weigh}. */
    synchronized long bytes() {
        return bytes;
    }
}
