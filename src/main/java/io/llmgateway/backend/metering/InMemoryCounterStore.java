package io.llmgateway.backend.metering;

import io.llmgateway.common.EntitlementItems;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The counters in memory, with DynamoDB's semantics: each operation is atomic on its item. The local
 * gateway uses it by default; tests use it to compare with {@link DynamoDbCounterStore}.
 */
public final class InMemoryCounterStore implements CounterStore {

    private final Map<String, Item> items = new LinkedHashMap<>();
    private volatile List<EntitlementItems.Item> entitlements;
    private volatile Supplier<RuntimeException> failure;

    private static final class Item {
        final Window window;
        long used;
        final TreeMap<Long, Long> minutes = new TreeMap<>();
        final TreeMap<Long, Long> inFlight = new TreeMap<>();

        Item(Window window) {
            this.window = window;
        }

        Counts counts() {
            return new Counts(used, minutes, inFlight);
        }
    }

    /** @param entitlements the entitlement items, as the stack would write them */
    public InMemoryCounterStore(List<EntitlementItems.Item> entitlements) {
        this.entitlements = List.copyOf(entitlements);
    }

    /** Replaces the entitlement items, as a {@code pulumi up} would. */
    public void setEntitlements(List<EntitlementItems.Item> entitlements) {
        this.entitlements = List.copyOf(entitlements);
    }

    /** From now on every call fails like an unreachable store (null to heal it). */
    public void failWith(Supplier<RuntimeException> failure) {
        this.failure = failure;
    }

    private void maybeFail() {
        Supplier<RuntimeException> f = failure;
        if (f != null) {
            throw new StoreException("the store is unavailable", f.get());
        }
    }

    @Override
    public List<EntitlementItems.Item> entitlementItems() {
        maybeFail();
        return entitlements;
    }

    @Override
    public synchronized Optional<Counts> addIfWithin(Window window, Hold hold, OptionalLong minuteMax,
                                                     OptionalLong usedMax) {
        maybeFail();
        Item item = items.get(key(window));
        long minuteNow = item == null ? 0 : item.minutes.getOrDefault(hold.minute(), 0L);
        long usedNow = item == null ? 0 : item.used;
        if ((minuteMax.isPresent() && minuteNow > minuteMax.getAsLong())
                || (usedMax.isPresent() && usedNow > usedMax.getAsLong())) {
            return Optional.empty();
        }
        Item updated = items.computeIfAbsent(key(window), k -> new Item(window));
        updated.minutes.merge(hold.minute(), hold.tokens(), Long::sum);
        updated.used += hold.units();
        hold.deadline().ifPresent(deadline -> updated.inFlight.merge(deadline, hold.units(), Long::sum));
        return Optional.of(updated.counts());
    }

    @Override
    public synchronized Counts read(Window window) {
        maybeFail();
        Item item = items.get(key(window));
        return item == null ? Counts.EMPTY : item.counts();
    }

    @Override
    public synchronized Counts adjust(Window window, Adjustment change) {
        maybeFail();
        Item item = items.computeIfAbsent(key(window), k -> new Item(window));
        change.minute().ifPresent(minute -> item.minutes.merge(minute, change.tokens(), Long::sum));
        item.used += change.units();
        change.deadline().ifPresent(deadline -> item.inFlight.merge(deadline, -change.inFlightUnits(), Long::sum));
        change.staleMinutes().forEach(item.minutes::remove);
        change.staleDeadlines().forEach(item.inFlight::remove);
        return item.counts();
    }

    @Override
    public synchronized Map<Window, Counts> snapshot() {
        Map<Window, Counts> copy = new LinkedHashMap<>();
        for (Item item : new ArrayList<>(items.values())) {
            copy.put(item.window, item.counts());
        }
        return copy;
    }

    private static String key(Window window) {
        return window.apiKeyId() + "\n" + window.window();
    }
}
