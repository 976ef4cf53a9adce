package io.llmgateway.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.metering.CounterStore;
import io.llmgateway.backend.metering.DynamoDbCounterStore;
import io.llmgateway.backend.metering.Plans;
import io.llmgateway.backend.metering.TokenMetering;
import io.llmgateway.backend.runtime.Invocation;
import io.llmgateway.backend.runtime.ResponseSink;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.Json;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenBudget;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.TokenStoreSettings.FailureMode;
import io.llmgateway.contract.Route;
import io.llmgateway.testing.Dynalite;
import io.llmgateway.testing.JsonPath;
import io.llmgateway.testing.StreamingBedrock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The acceptance of exact budgets: through the handler, with the counters in a real dynalite, a first
 * call that alone asks for more than the whole limit, then 200 concurrent callers, for a token budget, a
 * USD budget and tokens per minute. Bedrock answers most calls, refuses some before generating (a
 * throttle), lets some run past the deadline (the SDK's ApiCallTimeoutException), has some abandoned
 * mid-call (the integration given up, as the local gateway interrupts the invocation), and keeps some
 * that never end while the test measures (a Lambda stopped mid-call). A share of the callers stream
 * ({@code stream: true} on the streaming chat route: ConverseStream through the real SDK from a loopback
 * Bedrock's event stream, written to a {@link ResponseSink} whose write fails once the client has gone, as
 * the runtime's does; BackendStreamingTest shows one such cut end to end through the Runtime API). Some
 * read to the end, the others are cut by their client at a random write (seeded by {@value #SEED_PROPERTY}),
 * before or after Bedrock's usage event came. What is charged is exactly what the clients were answered plus the
 * whole reservation of every call that may have been billed unanswered, and it never passes the limit;
 * each run's charged / limit ratio is written to {@value #RATIOS}.
 */
class TokenBudgetConcurrencyTest {

    static final String KEY = TestEvents.API_KEY_ID;
    static final int CALLERS = 200;
    /** Bedrock reports 6 input and up to 94 output tokens for an answered call. */
    static final int INPUT = 6;
    static final int OUTPUT = 94;
    /** The index of the first call, made alone before the others. */
    static final int FIRST = 999;
    /** Where each run's charged / limit ratio is written. */
    static final String RATIOS = "target/token-budget-ratios.txt";
    /** $0.80 and $4 per million tokens, in nano-dollars a token. */
    static final TokenRates PRICES = new TokenRates(800, 4000);
    /** The system property that seeds where the clients cut their streams; the seed is on each ratio line. */
    static final String SEED_PROPERTY = "tokenBudget.seed";
    static final long SEED = Long.getLong(SEED_PROPERTY, 17L);
    /** The text deltas of a streamed answer. */
    static final int DELTAS = 4;
    /** A whole streamed answer is this many writes: the role chunk, the deltas, finish, usage and [DONE]. */
    static final int STREAM_WRITES = DELTAS + 4;

    /** What becomes of a call that reaches Bedrock, by its index. */
    enum Fate {
        ANSWERED, STREAMED, CUT, THROTTLED, TIMED_OUT, ABANDONED, NEVER_ENDS;

        static Fate of(int index) {
            return switch (index % 10) {
                case 3 -> STREAMED;
                case 4, 5 -> CUT; // one small, one of max_tokens 4096
                case 6 -> THROTTLED;
                case 7 -> TIMED_OUT;
                case 8 -> ABANDONED;
                case 9 -> NEVER_ENDS;
                default -> ANSWERED;
            };
        }
    }

    /** The three limits, each small enough that a first call of max_tokens 4096 does not fit whole. */
    enum Limit {
        TOKEN_BUDGET(Plans.budget("p", 3000, BudgetPeriod.DAY)),
        USD_BUDGET(new PlanLimits("p", Optional.empty(), OptionalInt.empty(), OptionalLong.empty(), Optional.of(
                TokenBudget.usd(12_000_000, BudgetPeriod.DAY, Map.of(TestSettings.HAIKU, PRICES))))),
        TOKENS_PER_MINUTE(Plans.perMinute("p", 3000));

        final PlanLimits plan;

        Limit(PlanLimits plan) {
            this.plan = plan;
        }

        long limit() {
            return plan.budget().map(TokenBudget::limit).orElseGet(() -> plan.tokensPerMinute().getAsLong());
        }

        long cost(long input, long output) {
            return plan.budget().map(b -> b.ratesFor(TestSettings.HAIKU).cost(input, output)).orElse(input + output);
        }

        /** What the key has charged: the budget's units, or the tokens of the minute. */
        long charged(CounterStore.Counts counts, Clock clock) {
            return plan.budget().isPresent() ? counts.used() : counts.minute(clock.instant().getEpochSecond() / 60);
        }
    }

    /** The max_tokens Bedrock was sent, by call index, for the calls that reached it. */
    private final Map<Integer, Integer> sent = new ConcurrentHashMap<>();
    private final List<String> log = new CopyOnWriteArrayList<>();
    /** A permit per log line written: the handler writes its line last, after the reservation is settled. */
    private final Semaphore lines = new Semaphore(0);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch abandonedReady = new CountDownLatch(CALLERS / 10);
    private final CountDownLatch neverEndingReady = new CountDownLatch(CALLERS / 10);
    /** By index, for the cut streams that reached Bedrock: whether its usage had come when the client cut. */
    private final Map<Integer, Boolean> usageBeforeCut = new ConcurrentHashMap<>();
    /** How many streams their clients cut. */
    private final AtomicInteger cut = new AtomicInteger();

    @ParameterizedTest
    @EnumSource(Limit.class)
    void answeredPlusChargedUnsettled_isExactlyWhatIsCharged_andNeverPassesTheLimit(Limit limit) throws Exception {
        Clock clock = TestEvents.clock();
        String table = Dynalite.get().newTable();
        writeEntitlements(table, limit.plan);
        CounterStore store = new DynamoDbCounterStore(Dynalite.get().http(), table);
        TokenMetering metering = new TokenMetering(store, FailureMode.REFUSE, clock);
        BackendSettings base = TestSettings.settings();
        BackendSettings settings = new BackendSettings(base.models(), base.maxTokensDefault(), base.maxTokensCeiling(),
                base.maxRequestBytes(), base.integrationTimeoutMs(), base.planRatePerRoute(), base.corsOrigins(),
                base.maxEmbeddingInputs(), Map.of(Route.CHAT_COMPLETIONS.throttlePath(), base.integrationTimeoutMs()));
        StreamingBedrock streamingBedrock = StreamingBedrock.start().answerWith(this::streamed);
        BedrockRuntimeAsyncClient streams = BedrockClientFactory.streamingBuilder(Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "SECRET")))
                .endpointOverride(streamingBedrock.endpoint()).build();
        BackendHandler handler = new BackendHandler(new FakeBedrock(this::bedrock), streams, settings, metering,
                clock, line -> {
                    log.add(line);
                    lines.release();
                });
        CounterStore.Window window = new CounterStore.Window(KEY, "DAY#" + BudgetPeriod.DAY.start(clock.instant()), 0);

        HandlerAnswer first = call(handler, FIRST, 4096);
        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(sent.get(FIRST)).as("the first call of the day is clamped to the limit").isLessThan(4096);
        assertThat(limit.charged(store.read(window), clock)).isLessThanOrEqualTo(limit.limit());

        ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
        List<Future<HandlerAnswer>> answers = new ArrayList<>();
        try {
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < CALLERS; i++) {
                int index = i;
                answers.add(pool.submit(() -> {
                    start.await();
                    int maxTokens = index % 5 == 0 ? 4096 : 100;
                    try {
                        return Fate.of(index) == Fate.STREAMED || Fate.of(index) == Fate.CUT
                                ? stream(handler, index, maxTokens) : call(handler, index, maxTokens);
                    } finally {
                        ready(index);
                    }
                }));
            }
            start.countDown();
            for (int i = 0; i < CALLERS; i++) {
                if (Fate.of(i) != Fate.ABANDONED && Fate.of(i) != Fate.NEVER_ENDS) {
                    check(answers.get(i).get(60, TimeUnit.SECONDS), i);
                }
            }
            // The integration gives up on the abandoned calls still in Bedrock: their invocations are interrupted.
            assertThat(abandonedReady.await(60, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < CALLERS; i++) {
                if (Fate.of(i) == Fate.ABANDONED) {
                    answers.get(i).cancel(true);
                }
            }
            assertThat(neverEndingReady.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(lines.tryAcquire((int) (CALLERS + 1 - neverEnding()), 60, TimeUnit.SECONDS))
                    .as("every call but the never-ending ones has settled and logged").isTrue();

            // Measured while the never-ending calls still hold their reservations, unsettled.
            CounterStore.Counts counts = store.read(window);
            long charged = limit.charged(counts, clock);
            long expected = expectedCharge(limit);
            assertThat(expected).as("answered usage plus every reservation that may have been billed (seed %d)", SEED)
                    .isLessThanOrEqualTo(limit.limit());
            assertThat(charged).as("what the counter charged (seed %d)", SEED).isEqualTo(expected);
            if (limit.plan.budget().isPresent()) {
                assertThat(counts.inFlightAt(clock.millis())).as("the never-ending calls are still in flight")
                        .isEqualTo(reservedBy(limit, Fate.NEVER_ENDS));
            }
            record(String.format("%s charged/limit %.4f (%d of %d) seed %d, %d of %d cut streams charged unsettled",
                    limit, charged / (double) limit.limit(), charged, limit.limit(), SEED,
                    usageBeforeCut.values().stream().filter(usage -> !usage).count(), usageBeforeCut.size()));

            // Their deadline comes: the SDK abandons them, and they stay charged as they were.
            release.countDown();
            for (int i = 0; i < CALLERS; i++) {
                if (Fate.of(i) == Fate.NEVER_ENDS) {
                    check(answers.get(i).get(60, TimeUnit.SECONDS), i);
                }
            }
            CounterStore.Counts after = store.read(window);
            assertThat(limit.charged(after, clock)).isEqualTo(charged);
            assertThat(after.inFlightAt(clock.millis())).isZero();
            assertThat(metering.stats().settleFailures).hasValue(0);
            assertThat(log).anySatisfy(line -> assertThat(line).contains("\"tokenReservation\":\"charged_unsettled\""));
            // Every stream a client cut ended as one, charged whole when Bedrock's usage had not come.
            assertThat(log.stream().filter(line -> line.contains("\"streamEnd\":\"client_disconnected\"")))
                    .hasSize(cut.get())
                    .filteredOn(line -> line.contains("\"tokenReservation\":\"charged_unsettled\""))
                    .hasSize((int) usageBeforeCut.values().stream().filter(usage -> !usage).count());
        } finally {
            release.countDown();
            pool.shutdownNow();
            streams.close();
            streamingBedrock.close();
        }
    }

    private static HandlerAnswer call(BackendHandler handler, int index, int maxTokens) {
        return HandlerAnswer.invoke(handler, TestEvents.chat(body(index, maxTokens)), TestContext.fresh());
    }

    /** A streamed call, delivered to a client that cuts it at a random write when its fate is {@link Fate#CUT}. */
    private HandlerAnswer stream(BackendHandler handler, int index, int maxTokens) throws IOException {
        Map<String, Object> body = new HashMap<>(body(index, maxTokens));
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        Client client = new Client(Fate.of(index) == Fate.CUT
                ? new Random(SEED * CALLERS + index).nextInt(1, STREAM_WRITES + 1) : 0);
        handler.handle(new Invocation("invocation-" + index, TestEvents.REQUEST_TIME_EPOCH + 30_000,
                "arn:aws:lambda:eu-central-1:123456789012:function:llm-gateway-backend:live", null, null, null,
                TestEvents.chat(body)), client);
        if (client.cut) {
            cut.incrementAndGet();
        }
        if (Fate.of(index) == Fate.CUT && sent.containsKey(index)) {
            usageBeforeCut.put(index, client.usageCame);
        }
        return new HandlerAnswer(client.status, client.headers, client.body.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, Object> body(int index, int maxTokens) {
        // Fixed width, so every call's input estimate is the same.
        String text = String.format("Call %03d", index);
        return Map.of("model", TestSettings.HAIKU, "max_tokens", maxTokens,
                "messages", List.of(Map.of("role", "user", "content", text)));
    }

    private static int index(String text) {
        return Integer.parseInt(text.substring("Call ".length()));
    }

    /** ConverseStream's answer: the whole text, then Bedrock's usage, as for an answered Converse call. */
    private StreamingBedrock.Script streamed(String requestBody) {
        Map<String, Object> request = parse(requestBody);
        int index = index(JsonPath.at(request, "messages", "0", "content", "0", "text"));
        int maxTokens = JsonPath.<Number>at(request, "inferenceConfig", "maxTokens").intValue();
        sent.put(index, maxTokens);
        return StreamingBedrock.Script.text(Collections.nCopies(DELTAS, "x"), INPUT, Math.min(OUTPUT, maxTokens));
    }

    private ConverseResponse bedrock(ConverseRequest request) {
        int index = index(request.messages().get(0).content().get(0).text());
        int maxTokens = request.inferenceConfig().maxTokens();
        sent.put(index, maxTokens);
        Fate fate = index == FIRST ? Fate.ANSWERED : Fate.of(index);
        switch (fate) {
            case THROTTLED -> throw ThrottlingException.builder().message("slow down").statusCode(429).build();
            case TIMED_OUT -> throw ApiCallTimeoutException.create(28_000);
            case ABANDONED -> {
                abandonedReady.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    // What the SDK throws when the thread making the call is interrupted; it clears the flag.
                    throw AbortedException.create("Thread was interrupted", e);
                }
                throw new AssertionError("an abandoned call must be interrupted before the test releases it");
            }
            case NEVER_ENDS -> {
                neverEndingReady.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw ApiCallTimeoutException.create(28_000);
            }
            default -> {
                return FakeBedrock.response("x", StopReason.END_TURN, INPUT, Math.min(OUTPUT, maxTokens));
            }
        }
    }

    /** An abandoned or never-ending call that was refused never reaches Bedrock: it is ready when it returns. */
    private void ready(int index) {
        if (!sent.containsKey(index)) {
            if (Fate.of(index) == Fate.ABANDONED) {
                abandonedReady.countDown();
            } else if (Fate.of(index) == Fate.NEVER_ENDS) {
                neverEndingReady.countDown();
            }
        }
    }

    private long neverEnding() {
        return sent.keySet().stream().filter(i -> i != FIRST && Fate.of(i) == Fate.NEVER_ENDS).count();
    }

    /** What each call that reached Bedrock must have left charged. */
    private long expectedCharge(Limit limit) {
        long estimate = inputEstimate();
        long total = 0;
        for (Map.Entry<Integer, Integer> call : sent.entrySet()) {
            Fate fate = call.getKey() == FIRST ? Fate.ANSWERED : Fate.of(call.getKey());
            long answered = limit.cost(INPUT, Math.min(OUTPUT, call.getValue()));
            total += switch (fate) {
                case ANSWERED, STREAMED -> answered;
                // Bedrock's usage, when it came before the cut; else whatever it may have generated.
                case CUT -> usageBeforeCut.get(call.getKey()) ? answered : limit.cost(estimate, call.getValue());
                case THROTTLED -> 0;
                default -> limit.cost(estimate, call.getValue());
            };
        }
        return total;
    }

    private long reservedBy(Limit limit, Fate fate) {
        long estimate = inputEstimate();
        return sent.entrySet().stream().filter(c -> c.getKey() != FIRST && Fate.of(c.getKey()) == fate)
                .mapToLong(c -> limit.cost(estimate, c.getValue())).sum();
    }

    /** The input estimate of every call, from the first call's line: what it reserved less its max_tokens. */
    private long inputEstimate() {
        Map<String, Object> line = parse(log.get(0));
        return ((Number) line.get("tokensReserved")).longValue() - sent.get(FIRST);
    }

    /** Every 429 says what it is; every other failure is one Bedrock was made to give. */
    private static void check(HandlerAnswer answer, int index) {
        if (answer.status() == 200) {
            assertThat(Fate.of(index)).isIn(Fate.ANSWERED, Fate.STREAMED, Fate.CUT);
            if (Fate.of(index) == Fate.STREAMED) {
                assertThat(answer.body()).contains("\"completion_tokens\":").endsWith("data: [DONE]\n\n");
            }
            return;
        }
        String type = (String) answer.error().get("type");
        if (answer.status() == 429 && "insufficient_quota".equals(type)) {
            assertThat(answer.header("x-should-retry")).isEqualTo("false");
            assertThat(Long.parseLong(answer.header("Retry-After"))).isGreaterThan(3600);
        } else if (answer.status() == 429) {
            // Held by calls in flight, or Bedrock's throttle: retryable, within the calls' deadline.
            assertThat(type).isEqualTo("tokens");
            assertThat(answer.header("x-should-retry")).isNull();
            assertThat(Long.parseLong(answer.header("Retry-After"))).isBetween(1L, 60L);
        } else {
            assertThat(answer.status()).as(answer.body()).isEqualTo(504);
            assertThat(Fate.of(index)).isIn(Fate.TIMED_OUT, Fate.NEVER_ENDS);
        }
    }

    /**
     * A streaming client on the runtime's side of the response: it takes the status and the headers, and
     * the body's writes until its {@code cutAt}-th (from 1; 0 never), which fails as a write to a client
     * gone away does. It notes whether the backend had Bedrock's usage by then: the write that failed, or
     * one before, was the usage chunk.
     */
    private static final class Client implements ResponseSink {
        final Map<String, String> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final int cutAt;
        int status = 200;
        int writes;
        boolean cut;
        boolean usageCame;

        Client(int cutAt) {
            this.cutAt = cutAt;
        }

        @Override
        public ResponseSink status(int statusCode) {
            status = statusCode;
            return this;
        }

        @Override
        public ResponseSink header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        @Override
        public OutputStream body() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
                    usageCame |= text.contains("\"usage\":{");
                    if (cut || (status == 200 && ++writes == cutAt)) {
                        cut = true;
                        throw new IOException("the client closed the stream");
                    }
                    body.write(bytes, offset, length);
                }
            };
        }
    }

    /** One line per run in {@value #RATIOS}, for the figure in docs/limits-and-budgets.md (build output, never committed). */
    private static void record(String line) throws IOException {
        Files.writeString(Path.of(RATIOS), line + System.lineSeparator(), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static Map<String, Object> parse(String line) {
        try {
            return Json.readObject(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeEntitlements(String table, PlanLimits plan) {
        try (DynamoDbClient client = Dynalite.get().client()) {
            for (EntitlementItems.Item item : Plans.items(Map.of(KEY, plan.name()), plan)) {
                client.putItem(put -> put.tableName(table).item(Map.of(
                        "pk", AttributeValue.fromS(EntitlementItems.PARTITION), "sk", AttributeValue.fromS(item.sortKey()),
                        "version", AttributeValue.fromS(item.version()), "doc", AttributeValue.fromS(item.doc()))));
            }
        }
    }
}
