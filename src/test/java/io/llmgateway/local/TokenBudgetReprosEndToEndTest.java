package io.llmgateway.local;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.llmgateway.backend.BedrockClientFactory;
import io.llmgateway.backend.metering.CounterStore;
import io.llmgateway.backend.metering.DynamoDbCounterStore;
import io.llmgateway.backend.metering.InMemoryCounterStore;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.Json;
import io.llmgateway.config.StackConfig;
import io.llmgateway.testing.Dynalite;
import io.llmgateway.testing.JsonPath;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * The four repros of "Budgets you can bet on" through the local gateway, each with the answer
 * docs/limits-and-budgets.md documents, on the production store (DynamoDB: a real dynalite) where the store matters. The gateway
 * runs on a fake clock that starts Wednesday 2026-11-25 10:00:00 UTC and does not move unless a test
 * moves it; the one real wait is the SDK's own call timeout against a stub that answers too late.
 */
class TokenBudgetReprosEndToEndTest {

    /** 115 letters and spaces: an input estimate of 43 tokens; the echo model counts 29 in and 38 out. */
    static final String PROMPT = ("a quick brown fox jumps over the lazy dog ".repeat(3)).substring(0, 115);

    TestGateway gw;
    WireMockServer slowBedrock;
    BedrockRuntimeClient sdk;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        if (sdk != null) {
            sdk.close();
        }
        if (slowBedrock != null) {
            slowBedrock.stop();
        }
    }

    static Map<String, Object> plan(Map<String, Object> tokens) {
        return Map.of("throttle", throttle(1000, 1000), "tokens", tokens);
    }

    /** The token table on dynalite, as {@code --dynamodb-endpoint} opens it. */
    static Function<List<EntitlementItems.Item>, CounterStore> dynamoDb(String table) {
        return items -> LocalTokenTable.open(Dynalite.get().http(), table, items);
    }

    HttpResponse<String> chat(String prompt, int maxTokens) throws Exception {
        return chat("echo", prompt, maxTokens);
    }

    HttpResponse<String> chat(String model, String prompt, int maxTokens) throws Exception {
        return gw.send("POST", "/test/v1/chat/completions", Json.write(Map.of("model", model, "max_tokens", maxTokens,
                "messages", List.of(Map.of("role", "user", "content", prompt)))), "Authorization",
                "Bearer " + gw.key("p-client"));
    }

    CompletableFuture<HttpResponse<String>> chatAsync(int maxTokens) {
        return TestGateway.HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port()
                                + "/test/v1/chat/completions")).timeout(TestGateway.HANG)
                        .header("Authorization", "Bearer " + gw.key("p-client"))
                        .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("model", "echo", "max_tokens", maxTokens,
                                "messages", List.of(Map.of("role", "user", "content", "Hello there")))))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The key's counter item in the token table. */
    CounterStore.Counts counts(String table, String window) {
        return new DynamoDbCounterStore(Dynalite.get().http(), table).read(
                new CounterStore.Window(gw.keyId("p-client"), window, 0));
    }

    static Map<String, Object> usage(HttpResponse<String> response) throws Exception {
        return JsonPath.at(Json.readObject(response.body()), "usage");
    }

    static long number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).longValue();
    }

    /** The function log's backend lines for chat requests, parsed. */
    List<Map<String, Object>> backendLines() throws Exception {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : new ArrayList<>(gw.functionLog)) {
            Map<String, Object> parsed = Json.readObject(line);
            if ("POST /v1/chat/completions".equals(parsed.get("route"))) {
                lines.add(parsed);
            }
        }
        return lines;
    }

    // ---- 1. The first reservation of a window is checked on DynamoDB too

    @Test
    void repro1_theFirstCallOfAMonth_onAUsdBudget_isClampedToWhatTheBudgetBuys_onDynamoDb() throws Exception {
        String table = "repro1-" + UUID.randomUUID();
        gw = TestGateway.start(TestConfigs.config(Map.of("p", plan(Map.of("budget",
                        Map.of("limit", "0.0001", "period", "MONTH", "unit", "usd")))),
                Map.of("modelPrices", Map.of("echo", Map.of("inputPerMillion", 0.8, "outputPerMillion", 4)))),
                new EchoModel(), dynamoDb(table));

        HttpResponse<String> first = chat(PROMPT, 30);

        // $0.0001 = 100,000 nano-dollars; 43 estimated input tokens at 800 leave 65,600: 16 output tokens at 4,000.
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        Map<String, Object> usage = usage(first);
        assertThat(number(usage, "completion_tokens")).isLessThanOrEqualTo(16);
        assertThat(number(usage, "prompt_tokens") * 800 + number(usage, "completion_tokens") * 4000)
                .isLessThanOrEqualTo(100_000);
        assertThat(backendLines().get(0)).containsEntry("maxTokensClamped", 16);
        assertThat(counts(table, "MONTH#2026-11-01").used()).isLessThanOrEqualTo(100_000);
    }

    @Test
    void repro1_theFirstCallOfAWeek_largerThanTheWholeBudget_isClamped_onDynamoDb() throws Exception {
        String table = "repro1w-" + UUID.randomUUID();
        gw = TestGateway.start(TestConfigs.config(Map.of("p", plan(Map.of("budget",
                Map.of("limit", 60, "period", "WEEK")))), Map.of()), new EchoModel(), dynamoDb(table));

        HttpResponse<String> first = chat(PROMPT, 100);

        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        assertThat(number(usage(first), "total_tokens")).as("not the 67 an unchecked first call gets")
                .isLessThanOrEqualTo(60);
        assertThat(backendLines().get(0)).containsEntry("maxTokensClamped", 17);
        assertThat(counts(table, "WEEK#2026-11-23").used()).isLessThanOrEqualTo(60);
    }

    // ---- 2. A timed-out call stays charged

    @Test
    void repro2_callsThatTimeOutAtTheDeadline_stayCharged_untilTheBudgetIsSpent() throws Exception {
        slowBedrock = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        slowBedrock.start();
        // A Converse answer that comes 3.5 s late: the backend's SDK call ends at its 2 s budget first.
        slowBedrock.stubFor(post(urlPathMatching("/model/.+/converse")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withFixedDelay(3500)
                .withBody("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"late\"}]}},"
                        + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":3,\"outputTokens\":1,\"totalTokens\":4}}")));
        sdk = BedrockClientFactory.builder(Region.US_EAST_1,
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCAL", "local-secret")))
                .endpointOverride(URI.create(slowBedrock.baseUrl())).build();
        String table = "repro2-" + UUID.randomUUID();
        gw = TestGateway.start(TestConfigs.config(Map.of("p", plan(Map.of("budget",
                        Map.of("limit", 1000, "period", "DAY")))),
                Map.of("integrationTimeoutMs", 3000, "lambdaTimeoutSeconds", 3)), sdk, dynamoDb(table));

        // Six at once, about 240 tokens each: four fit whole, a fifth clamped to what is left, a sixth waits.
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(chatAsync(230));
        }
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            answers.add(call.get(TestGateway.HANG.toSeconds(), TimeUnit.SECONDS));
        }

        int sent = slowBedrock.findAll(postRequestedFor(urlPathMatching("/model/.+/converse"))).size();
        assertThat(answers).filteredOn(a -> a.statusCode() == 504).hasSize(sent).hasSizeGreaterThanOrEqualTo(4);
        assertThat(answers).filteredOn(a -> a.statusCode() == 429).allSatisfy(refused -> {
            assertThat(refused.body()).contains("\"type\":\"tokens\"");
            assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3L);
        });
        List<Map<String, Object>> timedOut = backendLines().stream().filter(l -> l.get("status").equals(504)).toList();
        assertThat(timedOut).hasSize(sent)
                .allSatisfy(line -> assertThat(line).containsEntry("tokenReservation", "charged_unsettled"));
        long charged = timedOut.stream().mapToLong(l -> number(l, "tokensReserved")).sum();
        assertThat(counts(table, "DAY#2026-11-25").used()).isEqualTo(charged).isLessThanOrEqualTo(1000);

        // Spent, not in flight: the next call is refused for the rest of the day, and no SDK retries it.
        HttpResponse<String> next = chat("Hello there", 230);
        assertThat(next.statusCode()).isEqualTo(429);
        assertThat(next.body()).contains("\"code\":\"insufficient_quota\"");
        assertThat(next.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(next.headers().firstValue("Retry-After")).hasValue(Long.toString(14 * 3600));
        assertThat(slowBedrock.findAll(postRequestedFor(urlPathMatching("/model/.+/converse")))).hasSize(sent);
    }

    // ---- 3. Tokens held by calls in flight are not a spent budget

    @Test
    void repro3_aBudgetHeldByCallsInFlight_isARetryable429_andTheSameCallIsServedOnceTheySettle() throws Exception {
        GatedModel model = new GatedModel();
        String table = "repro3-" + UUID.randomUUID();
        gw = TestGateway.start(TestConfigs.config(Map.of("p", plan(Map.of("budget",
                Map.of("limit", 3000, "period", "DAY")))), Map.of()), model, dynamoDb(table));

        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(chatAsync(600));
        }
        // Five fit (the fifth clamped to what is left) and wait in the model; three are answered at once.
        model.awaitCalls(5);
        CountDownLatch threeAnswered = new CountDownLatch(3);
        calls.forEach(call -> call.whenComplete((response, error) -> threeAnswered.countDown()));
        assertThat(threeAnswered.await(TestGateway.HANG.toSeconds(), TimeUnit.SECONDS)).isTrue();
        List<HttpResponse<String>> refused = calls.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join)
                .toList();

        assertThat(refused).hasSize(3).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(429);
            assertThat(response.body()).contains("\"type\":\"tokens\"", "\"code\":\"rate_limit_exceeded\"", "in flight");
            assertThat(response.headers().firstValue("x-should-retry")).isEmpty();
            // By the calls' deadline: the integration timeout (29 s), never the end of the day.
            assertThat(Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 29L);
        });

        model.release();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            assertThat(call.get(TestGateway.HANG.toSeconds(), TimeUnit.SECONDS).statusCode()).isIn(200, 429);
        }
        HttpResponse<String> retried = chat("Hello there", 600);
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(200);
        assertThat(counts(table, "DAY#2026-11-25").inFlightAt(gw.clock.now().toEpochMilli())).isZero();
    }

    // ---- 4. Access control fails closed

    @Test
    void repro4_withoutEntitlements_noModelIsCalledOrListed_inServeMode_andOnceLoaded_thePlanStillBinds()
            throws Exception {
        InMemoryCounterStore[] store = new InMemoryCounterStore[1];
        gw = TestGateway.start(TestConfigs.config(Map.of("p", Map.of("throttle", throttle(1000, 1000),
                        "models", List.of("echo"), "maxTokens", 64,
                        "tokens", Map.of("budget", Map.of("limit", 100_000, "period", "DAY")))),
                Map.of("models", Map.of("echo", "amazon.nova-micro-v1:0", "claude", "anthropic.claude-3-haiku-20240307-v1:0"),
                        "tokenStoreFailureMode", "serve")),
                new EchoModel(), items -> {
                    store[0] = new InMemoryCounterStore(items);
                    store[0].failWith(() -> new IllegalStateException("token table unreachable"));
                    return store[0];
                });

        List<HttpResponse<String>> unknown = List.of(chat("claude", "Hello there", 600), chat("Hello there", 600),
                gw.models("p-client"));
        assertThat(unknown).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(response.body()).contains("\"code\":\"service_unavailable\"").doesNotContain("claude");
        });

        store[0].failWith(null);
        gw.clock.advance(Duration.ofSeconds(1));
        assertThat(chat("claude", "Hello there", 600).statusCode()).isEqualTo(404);
        HttpResponse<String> echo = chat(PROMPT.repeat(4), 600);
        assertThat(echo.statusCode()).isEqualTo(200);
        assertThat(number(usage(echo), "completion_tokens")).as("the plan's maxTokens").isLessThanOrEqualTo(64);
        assertThat(gw.models("p-client").body()).contains("\"echo\"").doesNotContain("claude");
    }
}
