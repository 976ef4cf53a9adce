package io.llmgateway.backend.metering;

import io.llmgateway.common.EntitlementItems;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where token counters and entitlements live: DynamoDB on Lambda ({@link DynamoDbCounterStore}), memory
 * in the local gateway and in tests ({@link InMemoryCounterStore}), with the same semantics (one contract
 * suite runs against both). Each counter item belongs to one API key and one budget window, and holds
 * the budget units charged in the window, the tokens per UTC minute, and the units of reservations still
 * in flight, by their deadline.
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
     * @param used     budget units charged in the window: settled usage plus every reservation not settled
     *                 (yet); the limit is enforced on this
     * @param minutes  tokens per minute, by epoch minute, for the minutes the item still holds
     * @param inFlight budget units of reservations not settled yet, by the epoch second of their deadline:
     *                 what may still come back. Used only to say why a call was refused and when to retry
     */
    record Counts(long used, SortedMap<Long, Long> minutes, SortedMap<Long, Long> inFlight) {
        public static final Counts EMPTY = new Counts(0, new TreeMap<>(), new TreeMap<>());

        public Counts {
            minutes = new TreeMap<>(minutes);
            inFlight = new TreeMap<>(inFlight);
        }

        public long minute(long epochMinute) {
            return minutes.getOrDefault(epochMinute, 0L);
        }

        /**
         * The units of calls still in flight at {@code nowMs}: reservations whose deadline has not passed.
         * One past its deadline without a settlement belongs to an invocation that ended without one (its
         * Lambda was stopped, or it was abandoned): it stays charged, as settled usage.
         */
        public long inFlightAt(long nowMs) {
            return inFlight.tailMap(pastDeadlines(nowMs)).values().stream().mapToLong(Long::longValue).sum();
        }

        /** The deadlines (epoch seconds) that have passed at {@code nowMs}: their buckets no longer say anything. */
        public Set<Long> passedDeadlines(long nowMs) {
            return inFlight.headMap(pastDeadlines(nowMs)).keySet();
        }

        /** The smallest deadline second still in the future at {@code nowMs}. */
        private static long pastDeadlines(long nowMs) {
            return Math.floorDiv(nowMs, 1000L) + 1;
        }
    }

    /**
     * What one reservation adds to its item.
     *
     * @param minute   the epoch minute its tokens count in
     * @param tokens   input estimate plus max_tokens
     * @param units    their cost in the budget's unit (0 without a budget)
     * @param deadline the epoch second by which its call has ended, answered or not: until then its units
     *                 are in flight; empty when it holds no budget units
     */
    record Hold(long minute, long tokens, long units, OptionalLong deadline) {
    }

    /**
     * What one settlement changes.
     *
     * @param minute         the minute whose counter takes {@code tokens}; empty to leave the minutes alone
     * @param tokens         added to that minute (negative when less was used than reserved)
     * @param units          added to {@code used}
     * @param deadline       the in-flight bucket the reservation leaves; empty when it holds none, or
     *                       when its deadline has passed (the bucket is then among the stale ones)
     * @param inFlightUnits  what the reservation takes off that bucket
     * @param staleMinutes   minute counters to drop: minutes that are over
     * @param staleDeadlines in-flight buckets to drop: deadlines that have passed
     */
    record Adjustment(OptionalLong minute, long tokens, long units, OptionalLong deadline, long inFlightUnits,
                      Collection<Long> staleMinutes, Collection<Long> staleDeadlines) {
        public Adjustment {
            staleMinutes = List.copyOf(staleMinutes);
            staleDeadlines = List.copyOf(staleDeadlines);
        }

        /** True when it changes nothing, so no request needs to be made. */
        public boolean isEmpty() {
            return (minute.isEmpty() || tokens == 0) && units == 0 && (deadline.isEmpty() || inFlightUnits == 0)
                    && staleMinutes.isEmpty() && staleDeadlines.isEmpty();
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
     * Atomically adds a reservation: {@code hold.tokens} to the minute's counter, {@code hold.units} to
     * {@code used} and to the in-flight bucket of its deadline, but only when, before the addition, the
     * minute's counter is at most {@code minuteMax} and {@code used} at most {@code usedMax} (each when
     * given). A missing counter is 0: so on a new item, as on an existing one, a negative max never holds.
     *
     * @return the item after the addition, or empty when a condition did not hold (nothing changed)
     */
    Optional<Counts> addIfWithin(Window window, Hold hold, OptionalLong minuteMax, OptionalLong usedMax);

    /** The item as it is now (a consistent read); {@link Counts#EMPTY} when there is none. */
    Counts read(Window window);

    /**
     * Unconditionally applies a settlement: adds {@code units} to {@code used}, {@code tokens} to the
     * minute's counter (when given, which must not be among the stale minutes), takes
     * {@code inFlightUnits} off the deadline's bucket (when given, which must not be among the stale
     * deadlines), and drops the stale counters and buckets.
     *
     * @return the item after the change
     */
    Counts adjust(Window window, Adjustment adjustment);

    /** A copy for assertions: every counter item, by key and window. */
    default Map<Window, Counts> snapshot() {
        throw new UnsupportedOperationException("snapshot");
    }
}
