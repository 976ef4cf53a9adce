package io.llmgateway.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.metering.CounterStore;
import io.llmgateway.backend.metering.DynamoDbCounterStore;
import io.llmgateway.backend.metering.MutableClock;
import io.llmgateway.backend.metering.Plans;
import io.llmgateway.backend.metering.TokenMetering;
import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.TokenStoreSettings.FailureMode;
import io.llmgateway.testing.Dynalite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * 200 concurrent chat requests through the handler, against a token budget that fits about 50 of
 * them, with the counters in a real dynalite: what is charged never exceeds the budget and equals
 * exactly what Bedrock reported for the answers given (so every reservation was settled or
 * released), and every refusal is a 429 whose Retry-After is the exact time to the budget's renewal.
 * The same with Bedrock failing and timing out mid-flight.
 */
class TokenBudgetConcurrencyTest {

    static final String KEY = TestEvents.API_KEY_ID;
    static final int REQUESTS = 200;
    /** Bedrock reports 6 input and up to 94 output tokens: 100 a call, so 5,000 fit 50 answers. */
    static final int INPUT = 6;
    static final int OUTPUT = 94;
    static final long BUDGET = 5_000;
    static final Instant NOW = Instant.parse("2026-11-26T10:00:30Z");
    static final long SECONDS_TO_MIDNIGHT = 14 * 3600 - 30;

    @ParameterizedTest(name = "Bedrock fails every {0}th call")
    @ValueSource(ints = {0, 3})
    void theBudgetIsNeverExceeded_andEveryReservationIsSettledOrReleased(int failEvery) throws Exception {
        Dynalite dynalite = Dynalite.get();
        String table = dynalite.newTable();
        DynamoDbClient client = dynalite.client();
        for (EntitlementItems.Item item : Plans.items(Map.of(KEY, "p"), Plans.budget("p", BUDGET, BudgetPeriod.DAY))) {
            client.putItem(put -> put.tableName(table).item(Map.of(
                    "pk", AttributeValue.fromS(EntitlementItems.PARTITION), "sk", AttributeValue.fromS(item.sortKey()),
                    "version", AttributeValue.fromS(item.version()), "doc", AttributeValue.fromS(item.doc()))));
        }
        CounterStore store = new DynamoDbCounterStore(dynalite.http(), table);
        TokenMetering metering = new TokenMetering(store, FailureMode.REFUSE, new MutableClock(NOW));
        AtomicInteger calls = new AtomicInteger();
        GatewayHandler handler = new GatewayHandler(new FakeBedrock((ConverseRequest request) -> {
            int call = calls.incrementAndGet();
            if (failEvery > 0 && call % failEvery == 0) {
                throw call % (2 * failEvery) == 0
                        ? ApiCallTimeoutException.create(100)
                        : ServiceUnavailableException.builder().message("busy").statusCode(503).build();
            }
            int output = Math.min(OUTPUT, request.inferenceConfig().maxTokens());
            return FakeBedrock.response("x", StopReason.END_TURN, INPUT, output);
        }), TestSettings.settings(), metering, TestEvents.clock(), line -> { });

        List<Answer> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Answer>> futures = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return Answer.invoke(handler, TestEvents.chat(Map.of("model", TestSettings.HAIKU, "max_tokens", 100,
                            "messages", List.of(Map.of("role", "user", "content", "Hello there")))), TestContext.fresh());
                }));
            }
            start.countDown();
            for (Future<Answer> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }

        long charged = store.read(new CounterStore.Window(KEY, "DAY#2026-11-26", 0)).used();
        long reported = 0;
        int served = 0;
        for (Answer answer : answers) {
            if (answer.status() == 200) {
                served++;
                Map<?, ?> usage = (Map<?, ?>) answer.json().get("usage");
                reported += ((Number) usage.get("total_tokens")).longValue();
            } else if (answer.status() == 429 && "insufficient_quota".equals(answer.error().get("type"))) {
                assertThat(answer.header("Retry-After")).isEqualTo(Long.toString(SECONDS_TO_MIDNIGHT));
                assertThat(answer.header("x-should-retry")).isEqualTo("false");
            } else if (answer.status() == 429 && "tokens".equals(answer.error().get("type"))) {
                // Held by calls in flight: retryable, by their deadline at the latest.
                assertThat(Long.parseLong(answer.header("Retry-After"))).isBetween(1L, 29L);
                assertThat(answer.header("x-should-retry")).isNull();
            } else {
                assertThat(failEvery).as("only injected failures fail: %s %s", answer.status(), answer.body()).isPositive();
                assertThat(answer.status()).isIn(503, 504);
            }
        }
        assertThat(charged).as("charged equals what Bedrock reported for the answers given").isEqualTo(reported);
        assertThat(charged).isLessThanOrEqualTo(BUDGET);
        assertThat(served).isGreaterThanOrEqualTo(failEvery == 0 ? 45 : 30);
        assertThat(answers).filteredOn(a -> a.status() == 429).isNotEmpty();
        assertThat(metering.stats().settleFailures).hasValue(0);
        assertThat(metering.stats().storeFailuresRefused).hasValue(0);
    }
}
