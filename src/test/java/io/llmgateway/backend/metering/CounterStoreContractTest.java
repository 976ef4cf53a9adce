package io.llmgateway.backend.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.Entitlements;
import io.llmgateway.common.Json;
import io.llmgateway.testing.Dynalite;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One contract, two stores: the DynamoDB store against a real dynalite on loopback, and the in-memory
 * store the local gateway uses, must agree on every operation.
 */
class CounterStoreContractTest {

    static final CounterStore.Window WINDOW = new CounterStore.Window("key1", "DAY#2026-11-26", 1_800_000_000L);

    /** The entitlement items, written into the table the way the stack's TableItems write them. */
    static List<EntitlementItems.Item> items() {
        return Plans.items(Map.of("key1", "p", "key2", "q"), Plans.budget("p", 1000, BudgetPeriod.DAY),
                Plans.perMinute("q", 500));
    }

    /** A reservation without a budget deadline. */
    static CounterStore.Hold hold(long minute, long tokens, long units) {
        return new CounterStore.Hold(minute, tokens, units, OptionalLong.empty());
    }

    static Stream<Arguments> stores() {
        return Stream.of(
                Arguments.of("dynamodb (dynalite)", (Function<List<EntitlementItems.Item>, CounterStore>) CounterStoreContractTest::dynamo),
                Arguments.of("in memory", (Function<List<EntitlementItems.Item>, CounterStore>) InMemoryCounterStore::new));
    }

    static CounterStore dynamo(List<EntitlementItems.Item> items) {
        Dynalite dynalite = Dynalite.get();
        String table = dynalite.newTable();
        DynamoDbClient client = dynalite.client();
        for (EntitlementItems.Item item : items) {
            client.putItem(p -> p.tableName(table).item(fromDynamoJson(item.toDynamoJson())));
        }
        return new DynamoDbCounterStore(dynalite.http(), table);
    }

    /** DynamoDB JSON as {@code aws.dynamodb.TableItem} takes it (string attributes only, as ours are). */
    static Map<String, AttributeValue> fromDynamoJson(String json) {
        try {
            Map<String, AttributeValue> item = new HashMap<>();
            Json.readObject(json).forEach((name, value) -> item.put(name, AttributeValue.fromS(
                    (String) ((Map<?, ?>) value).get("S"))));
            return item;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void theEntitlementItems_readBackAsOneSnapshot(String name, Function<List<EntitlementItems.Item>, CounterStore> make) {
        CounterStore store = make.apply(items());

        Entitlements entitlements = EntitlementItems.read(store.entitlementItems());

        assertThat(entitlements.version()).isEqualTo(items().get(0).version());
        assertThat(entitlements.planOfKey("key1").orElseThrow().budget()).isPresent();
        assertThat(entitlements.planOfKey("key2").orElseThrow().tokensPerMinute()).hasValue(500);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void addIfWithin_addsWhileBothConditionsHold_andChangesNothingWhenOneFails(String name,
            Function<List<EntitlementItems.Item>, CounterStore> make) {
        CounterStore store = make.apply(items());

        Optional<CounterStore.Counts> first = store.addIfWithin(WINDOW, hold(100, 300, 30), OptionalLong.of(700), OptionalLong.of(970));
        assertThat(first).hasValueSatisfying(c -> {
            assertThat(c.used()).isEqualTo(30);
            assertThat(c.minute(100)).isEqualTo(300);
        });
        assertThat(store.addIfWithin(WINDOW, hold(100, 300, 30), OptionalLong.of(299), OptionalLong.of(970))).isEmpty();
        assertThat(store.addIfWithin(WINDOW, hold(100, 300, 30), OptionalLong.of(700), OptionalLong.of(29))).isEmpty();
        assertThat(store.read(WINDOW).used()).isEqualTo(30);
        assertThat(store.addIfWithin(WINDOW, hold(100, 300, 30), OptionalLong.of(300), OptionalLong.of(30))).isPresent();
        assertThat(store.addIfWithin(WINDOW, hold(101, 5, 0), OptionalLong.empty(), OptionalLong.empty()))
                .hasValueSatisfying(c -> assertThat(c.minutes()).containsEntry(100L, 600L).containsEntry(101L, 5L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void aReservationLargerThanTheWholeLimit_failsOnANewItem_andOnANewMinute_asOnAnExistingOne(String name,
            Function<List<EntitlementItems.Item>, CounterStore> make) {
        CounterStore store = make.apply(items());

        // A missing counter is 0, and 0 <= -1 does not hold: the first reservation of a window is checked too.
        assertThat(store.addIfWithin(WINDOW, hold(100, 10, 10), OptionalLong.empty(), OptionalLong.of(-1))).isEmpty();
        assertThat(store.addIfWithin(WINDOW, hold(100, 10, 10), OptionalLong.of(-1), OptionalLong.empty())).isEmpty();
        assertThat(store.read(WINDOW)).isEqualTo(CounterStore.Counts.EMPTY);

        assertThat(store.addIfWithin(WINDOW, hold(100, 10, 10), OptionalLong.of(0), OptionalLong.of(0))).isPresent();
        assertThat(store.addIfWithin(WINDOW, hold(101, 10, 0), OptionalLong.of(-5), OptionalLong.empty()))
                .as("an existing item, a new minute").isEmpty();
        assertThat(store.read(WINDOW).minutes()).containsOnlyKeys(100L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void adjust_addsNegativeDifferences_andDropsStaleMinutes(String name,
            Function<List<EntitlementItems.Item>, CounterStore> make) {
        CounterStore store = make.apply(items());
        store.addIfWithin(WINDOW, hold(100, 300, 300), OptionalLong.empty(), OptionalLong.empty());
        store.addIfWithin(WINDOW, hold(101, 200, 200), OptionalLong.empty(), OptionalLong.empty());

        CounterStore.Counts counts = store.adjust(WINDOW, new CounterStore.Adjustment(OptionalLong.of(101), -150, -150,
                OptionalLong.empty(), 0, List.of(100L, 99L), List.of()));

        assertThat(counts.used()).isEqualTo(350);
        assertThat(counts.minutes()).containsOnlyKeys(101L).containsEntry(101L, 50L);
        assertThat(store.read(WINDOW)).isEqualTo(counts);
        assertThat(store.read(new CounterStore.Window("other", "DAY#2026-11-26", 1))).isEqualTo(CounterStore.Counts.EMPTY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void reservationsInFlight_areKeptByDeadline_leaveTheirBucketWhenSettled_andPassedBucketsAreDropped(String name,
            Function<List<EntitlementItems.Item>, CounterStore> make) {
        CounterStore store = make.apply(items());
        long second = 1_764_151_230L; // 2025-11-26T10:00:30Z
        store.addIfWithin(WINDOW, new CounterStore.Hold(100, 300, 300, OptionalLong.of(second + 29)),
                OptionalLong.empty(), OptionalLong.of(700));
        store.addIfWithin(WINDOW, new CounterStore.Hold(100, 200, 200, OptionalLong.of(second + 29)),
                OptionalLong.empty(), OptionalLong.of(800));
        CounterStore.Counts both = store.addIfWithin(WINDOW, new CounterStore.Hold(100, 100, 100,
                OptionalLong.of(second + 5)), OptionalLong.empty(), OptionalLong.of(900)).orElseThrow();

        assertThat(both.used()).isEqualTo(600);
        assertThat(both.inFlight()).containsEntry(second + 29, 500L).containsEntry(second + 5, 100L);
        assertThat(both.inFlightAt(second * 1000)).isEqualTo(600);
        assertThat(both.inFlightAt((second + 5) * 1000)).as("a deadline that has come is charged, not in flight")
                .isEqualTo(500);
        assertThat(both.passedDeadlines((second + 5) * 1000)).containsExactly(second + 5);

        // The 300-unit call answers with 120 used; the one of deadline +5 never settles.
        CounterStore.Counts settled = store.adjust(WINDOW, new CounterStore.Adjustment(OptionalLong.empty(), 0, -180,
                OptionalLong.of(second + 29), 300, List.of(), List.of(second + 5)));

        assertThat(settled.used()).isEqualTo(420);
        assertThat(settled.inFlight()).containsOnlyKeys(second + 29).containsEntry(second + 29, 200L);
        assertThat(store.read(WINDOW)).isEqualTo(settled);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stores")
    void concurrentConditionalAdds_neverPassTheLimit(String name, Function<List<EntitlementItems.Item>, CounterStore> make)
            throws Exception {
        CounterStore store = make.apply(items());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit(() -> store.addIfWithin(WINDOW, hold(100, 10, 10), OptionalLong.empty(),
                        OptionalLong.of(1000 - 10)).isPresent()));
            }
            long granted = 0;
            for (Future<Boolean> result : results) {
                granted += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(store.read(WINDOW).used()).isEqualTo(granted * 10).isLessThanOrEqualTo(1000);
        } finally {
            pool.shutdownNow();
        }
    }
}
