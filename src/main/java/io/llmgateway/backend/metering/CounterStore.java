package io.llmgateway.backend.metering;

import io.llmgateway.common.EntitlementItems;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where token counters and entitlements live: DynamoDB on Lambda ({@link DynamoDbCounterStore}), memory
 * in the local gateway and in tests ({@link InMemoryCounterStore}), with the same semantics. Each
 * counter item belongs to one API key and one budget window, and holds the budget units used in the
 * window and the tokens per UTC minute.
 *
 * <p>Every operation is one request to the store. A failure to reach it is a {@link StoreException}.
 */
public interface CounterStore {

    /**
     * One counter item.
     *
     * @param apiKeyId  whose counters
     * @param window    the budget window, e.g. {@code DAY#2026-11-30}
     * @param expiresAt epoch seconds after which the store may delete the item (TTL)
     */
    record Window(String apiKeyId, String window, long expiresAt) {
    }

    /**
     * A counter item's state.
     *
     * @param used    budget units used in the window
     * @param minutes tokens per minute, by epoch minute, for the minutes the item still holds
     */
    record Counts(long used, SortedMap<Long, Long> minutes) {
        public static final Counts EMPTY = new Counts(0, new TreeMap<>());

        public Counts {
            minutes = new TreeMap<>(minutes);
        }

        public long minute(long epochMinute) {
            return minutes.getOrDefault(epochMinute, 0L);
        }
    }

    /** Thrown when the store cannot be reached or fails: never for a condition that did not hold. */
    final class StoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The entitlement items ({@link EntitlementItems#PARTITION}), read consistently. */
    List<EntitlementItems.Item> entitlementItems();

    /**
     * Atomically adds {@code tokens} to the minute's counter and {@code units} to {@code used}, but only
     * when, before the addition, the minute's counter is at most {@code minuteMax} and {@code used} at
     * most {@code usedMax} (each when given; a missing counter is 0).
     *
     * @return the item after the addition, or empty when a condition did not hold (nothing changed)
     */
    Optional<Counts> addIfWithin(Window window, long minute, long tokens, long units, OptionalLong minuteMax,
                                 OptionalLong usedMax);

    /** The item as it is now (a consistent read); {@link Counts#EMPTY} when there is none. */
    Counts read(Window window);

    /**
     * Unconditionally adds {@code units} to {@code used} and {@code tokens} to the minute's counter
     * (when {@code minute} is given, which must not be among {@code staleMinutes}), and drops the
     * counters of {@code staleMinutes}.
     *
     * @return the item after the change
     */
    Counts adjust(Window window, OptionalLong minute, long tokens, long units, Collection<Long> staleMinutes);

    /** A copy for assertions: every counter item, by key and window. */
    default Map<Window, Counts> snapshot() {
        throw new UnsupportedOperationException("snapshot");
    }
}
