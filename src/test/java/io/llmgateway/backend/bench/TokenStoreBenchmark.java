package io.llmgateway.backend.bench;

import io.llmgateway.backend.DynamoDbClientFactory;
import io.llmgateway.backend.FakeBedrock;
import io.llmgateway.backend.BackendHandler;
import io.llmgateway.backend.TestEvents;
import io.llmgateway.backend.TestSettings;
import io.llmgateway.backend.metering.Caller;
import io.llmgateway.backend.metering.CounterStore;
import io.llmgateway.backend.metering.DynamoDbCounterStore;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Plans;
import io.llmgateway.backend.metering.TokenMetering;
import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.TokenStoreSettings.FailureMode;
import io.llmgateway.testing.Dynalite;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The latency a reservation plus its settlement adds (and a reservation charged unsettled, as a
 * timeout is), against dynalite on loopback, beside the handler's warm overhead without metering in the
 * same run, with their ratio; and the DynamoDB requests per chat request. Not a test: figures belong to
 * the machine.
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test -DmainClass=io.llmgateway.backend.bench.TokenStoreBenchmark -DmainArgs=5000
 * </pre>
 */
public final class TokenStoreBenchmark {

    private TokenStoreBenchmark() {
    }

    /** Counts the store requests, by operation. */
    static final class Counting implements CounterStore {
        final CounterStore delegate;
        final AtomicLong calls = new AtomicLong();
        final AtomicLong updates = new AtomicLong();
        final AtomicLong reads = new AtomicLong();

        Counting(CounterStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<EntitlementItems.Item> entitlementItems() {
            calls.incrementAndGet();
            reads.incrementAndGet();
            return delegate.entitlementItems();
        }

        @Override
        public Optional<Counts> addIfWithin(Window window, Hold hold, OptionalLong minuteMax, OptionalLong usedMax) {
            calls.incrementAndGet();
            updates.incrementAndGet();
            return delegate.addIfWithin(window, hold, minuteMax, usedMax);
        }

        @Override
        public Counts read(Window window) {
            calls.incrementAndGet();
            reads.incrementAndGet();
            return delegate.read(window);
        }

        @Override
        public Counts adjust(Window window, Adjustment adjustment) {
            calls.incrementAndGet();
            updates.incrementAndGet();
            return delegate.adjust(window, adjustment);
        }
    }

    public static void main(String[] args) throws Exception {
        int measured = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int warmup = measured;
        Dynalite dynalite = Dynalite.get();
        String table = dynalite.newTable();
        try (DynamoDbClient client = dynalite.client()) {
            for (EntitlementItems.Item item : Plans.items(Map.of(TestEvents.API_KEY_ID, "p"),
                    Plans.both("p", 1_000_000_000L, 1_000_000_000_000_000L, BudgetPeriod.MONTH))) {
                client.putItem(put -> put.tableName(table).item(Map.of(
                        "pk", AttributeValue.fromS(EntitlementItems.PARTITION), "sk", AttributeValue.fromS(item.sortKey()),
                        "version", AttributeValue.fromS(item.version()), "doc", AttributeValue.fromS(item.doc()))));
            }
        }
        // The backend's own client, with the timeouts it has on Lambda.
        Counting store = new Counting(new DynamoDbCounterStore(DynamoDbClientFactory.create(dynalite.endpoint(),
                Region.US_EAST_1, StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"))), table));
        TokenMetering metering = new TokenMetering(store, FailureMode.REFUSE, Clock.systemUTC());
        Caller caller = new Caller(TestEvents.API_KEY_ID, "bench", Map.of());

        // Each reservation is in flight until its deadline, as on Lambda: the item keeps a bucket per deadline second.
        long[] reserveSettle = WarmTimer.sortedNanos(warmup, measured, i -> {
            Metering.Reservation reservation = metering.reserve(caller, TestSettings.HAIKU, 120, 256,
                    Instant.now().plusSeconds(29));
            reservation.settle(100, 200);
        });
        System.out.printf("Reservation + settlement against dynalite on loopback (%,d after %,d warm-up): %s%n",
                measured, warmup, WarmTimer.summary(reserveSettle));
        long[] reserveCharge = WarmTimer.sortedNanos(warmup, measured, i -> metering.reserve(caller,
                TestSettings.HAIKU, 120, 256, Instant.now().plusSeconds(29)).chargeUnsettled());
        System.out.printf("Reservation + charge unsettled (a timeout):                              %s%n",
                WarmTimer.summary(reserveCharge));

        java.io.PrintStream discard = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        FakeBedrock instant = FakeBedrock.answering("Hello.", 100, 200);
        byte[] event = TestEvents.chat(Map.of("model", TestSettings.HAIKU, "max_tokens", 256,
                "messages", List.of(Map.of("role", "user", "content", "Say hello in one word."))));
        BackendHandler unmetered = new BackendHandler(instant, TestSettings.settings(), Metering.UNMETERED,
                TestEvents.clock(), discard::println);
        BackendHandler metered = new BackendHandler(instant, TestSettings.settings(), metering, TestEvents.clock(),
                discard::println);
        long[] plain = WarmTimer.sortedNanos(warmup, measured, i ->
                unmetered.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(1024), null));
        long before = store.calls.get();
        long updatesBefore = store.updates.get();
        long readsBefore = store.reads.get();
        long[] withTokens = WarmTimer.sortedNanos(warmup, measured, i ->
                metered.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(1024), null));
        int requests = warmup + measured;
        System.out.printf("Handler warm overhead, no token limits (in-process instant Bedrock): %s%n", WarmTimer.summary(plain));
        System.out.printf("Handler warm overhead, with token limits on dynalite:                %s%n",
                WarmTimer.summary(withTokens));
        System.out.printf("Reservation + settlement / handler overhead without token limits: p50 %.1fx, p99 %.1fx%n",
                WarmTimer.p50(reserveSettle) / (double) WarmTimer.p50(plain),
                WarmTimer.p99(reserveSettle) / (double) WarmTimer.p99(plain));
        System.out.printf("DynamoDB requests per chat request: %.2f (%.2f UpdateItem, %.2f reads)%n",
                (store.calls.get() - before) / (double) requests, (store.updates.get() - updatesBefore) / (double) requests,
                (store.reads.get() - readsBefore) / (double) requests);
        // On-demand prices, US East (N. Virginia): $0.625 per million write request units, $0.125 per
        // million read request units ("Amazon DynamoDB pricing for on-demand capacity"). A counter item
        // stays under 1 KB, so each UpdateItem is one write request unit, a refused one included.
        double perMillion = (store.updates.get() - updatesBefore) / (double) requests * 0.625
                + (store.reads.get() - readsBefore) / (double) requests * 0.125;
        System.out.printf("DynamoDB cost per million chat requests at on-demand prices: $%.3f%n", perMillion);
        System.exit(0);
    }
}
