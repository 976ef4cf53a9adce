package io.llmgateway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.verify.CheckResult.Status;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every check against a conformant stub, and each against a stub broken in the way the check catches. */
class ConformanceTest {

    private StubGateway stub;
    private final FakeTime time = new FakeTime();

    @BeforeEach
    void start() throws IOException {
        stub = StubGateway.start();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    record Run(Map<Check, CheckResult> results, long tokens, int retried) {
        CheckResult get(Check check) {
            return results.get(check);
        }
    }

    private Run run(String baseUrl, Map<String, Long> plan) {
        try (Session session = new Session(baseUrl, Duration.ofSeconds(10), 3, time)) {
            Conformance conformance = new Conformance(session,
                    new Conformance.Settings(StubGateway.KEY, null, null, 16, 64));
            List<CheckResult> results = new ArrayList<>(conformance.run());
            results.addAll(HeaderChecks.all(session.seen(), plan));
            Map<Check, CheckResult> byCheck = new EnumMap<>(Check.class);
            results.forEach(r -> assertThat(byCheck.put(r.check(), r)).as("one result per check").isNull());
            return new Run(byCheck, session.tokens(), session.retried());
        }
    }

    private Run run() {
        return run(stub.baseUrl(), Map.of());
    }

    @Test
    void conformantGateway_passesEveryCheck_andTheRequestsAreOpenAisWireFormat() {
        Run run = run(stub.baseUrl(), Map.of("GET /v1/models", 600L, "POST /v1/chat/completions", 600L));

        assertThat(run.results().keySet()).containsExactly(Check.MODELS_LIST, Check.MODELS_RETRIEVE, Check.CHAT,
                Check.CHAT_STREAM, Check.TOOLS_ROUND_TRIP, Check.TOOLS_STREAM, Check.RESPONSES, Check.RESPONSES_STREAM, Check.EMBEDDINGS, Check.ERROR_API_KEY,
                Check.ERROR_MODEL, Check.ERROR_BODY, Check.ERROR_URL, Check.HEADER_REQUEST_ID,
                Check.HEADER_RETRY_AFTER, Check.HEADER_RATE_LIMIT);
        run.results().values().stream().filter(r -> r.check() != Check.HEADER_RETRY_AFTER)
                .forEach(r -> assertThat(r.status()).as(r.check() + ": " + r.detail() + " / " + r.actual())
                        .isEqualTo(Status.PASS));
        assertThat(run.get(Check.HEADER_RETRY_AFTER).status()).isEqualTo(Status.SKIP);
        assertThat(run.get(Check.MODELS_LIST).detail()).isEqualTo("2 models: stub-chat, stub-embed-v1");
        assertThat(run.get(Check.EMBEDDINGS).detail()).isEqualTo("stub-embed-v1: 4 dimensions (base64), 4 tokens");
        assertThat(run.get(Check.TOOLS_STREAM).detail()).contains("index 0 get_weather{\"city\":\"Paris\"} as call_stub_1");
        // The fake clock stands still: the stream's timing is reported, here as nothing elapsed.
        assertThat(run.get(Check.CHAT_STREAM).detail()).endsWith(", first content 0 ms of 0 ms total");
        assertThat(run.get(Check.ERROR_BODY).detail()).isEqualTo("400 invalid_value (param temperature)");
        assertThat(run.get(Check.HEADER_REQUEST_ID).detail())
                .isEqualTo("14 answers: 12 with x-request-id, 2 with x-amzn-RequestId only (API Gateway's own)");
        assertThat(run.get(Check.CHAT).requestId()).startsWith("x-request-id req-");
        // chat 10 + stream 10 + two tool calls 20 + tool stream 10 + responses 11 + responses stream 11 + embeddings 4
        assertThat(run.tokens()).isEqualTo(76);
        assertThat(run.retried()).isZero();
        assertThat(time.sleeps).isEmpty();

        Map<String, Object> forced = stub.chatBodies.stream().filter(b -> b.get("tool_choice") instanceof Map<?, ?>)
                .findFirst().orElseThrow();
        assertThat(forced.get("tool_choice")).isEqualTo(Map.of("type", "function", "function", Map.of("name", "get_weather")));
        assertThat(forced.get("max_completion_tokens")).isEqualTo(64);
        assertThat(forced.get("tools")).asInstanceOf(InstanceOfAssertFactories.LIST).singleElement().satisfies(tool -> assertThat(tool).isEqualTo(Map.of(
                "type", "function", "function", Map.of("name", "get_weather", "description", "The current weather in a city",
                        "parameters", Map.of("type", "object", "required", List.of("city"),
                                "properties", Map.of("city", Map.of("type", "string", "description", "The city's name")))))));
        Map<String, Object> roundTrip = stub.chatBodies.stream().filter(b -> "none".equals(b.get("tool_choice")))
                .findFirst().orElseThrow();
        assertThat(roundTrip.get("messages")).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(3).satisfies(messages -> {
            assertThat(messages.get(1)).isEqualTo(Map.of("role", "assistant", "tool_calls", List.of(Map.of(
                    "id", "call_stub_1", "type", "function",
                    "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Paris\"}")))));
            assertThat(messages.get(2)).isEqualTo(Map.of("role", "tool", "tool_call_id", "call_stub_1",
                    "content", ToolChecks.TOOL_RESULT));
        });
        assertThat(stub.chatBodies).filteredOn(b -> Boolean.TRUE.equals(b.get("stream")))
                .allSatisfy(b -> assertThat(b.get("stream_options")).isEqualTo(Map.of("include_usage", true)));
    }

    @Test
    void negativeStreamedToolCallIndex_failsToolsStream() {
        stub.streamedToolIndex = -1;

        Run run = run();

        CheckResult r = run.get(Check.TOOLS_STREAM);
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.detail()).isEqualTo("delta.tool_calls[].index is -1, a negative index");
        assertThat(r.expected()).contains("indices from 0");
        assertThat(r.requestId()).startsWith("x-request-id req-");
        assertThat(run.get(Check.TOOLS_ROUND_TRIP).status()).isEqualTo(Status.PASS);
    }

    @Test
    void gatewayAnswering429WithoutRetryAfter_failsTheHeaderCheck_afterBackingOffAsAnSdkWould() {
        stub.throttleWithoutRetryAfter = true;

        Run run = run();

        CheckResult header = run.get(Check.HEADER_RETRY_AFTER);
        assertThat(header.status()).isEqualTo(Status.FAIL);
        assertThat(header.detail()).isEqualTo("chat.completion 429 (POST /v1/chat/completions) has no Retry-After");
        assertThat(header.expected()).isEqualTo("Retry-After (seconds or an HTTP date) on every 429 and 503");
        CheckResult chat = run.get(Check.CHAT);
        assertThat(chat.status()).isEqualTo(Status.FAIL);
        assertThat(chat.detail()).isEqualTo("429 rate_limit_exceeded");
        assertThat(chat.actual()).isEqualTo("429 rate_limit_exceeded: 'Rate limit reached for requests'");
        // Without Retry-After, OpenAI's SDKs back off 1, 2, 4... seconds; three retries per call.
        assertThat(time.sleeps.subList(0, 3)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2),
                Duration.ofSeconds(4));
    }

    @Test
    void backendThatAlwaysFails_failsTheModelChecks_andWaitsItsRetryAfter() {
        stub.chatStatus = 503;

        Run run = run();

        for (Check c : List.of(Check.CHAT, Check.CHAT_STREAM, Check.TOOLS_ROUND_TRIP, Check.TOOLS_STREAM)) {
            assertThat(run.get(c).status()).as(c.label()).isEqualTo(Status.FAIL);
            assertThat(run.get(c).actual()).as(c.label())
                    .isEqualTo("503 service_unavailable: 'The model is temporarily unavailable.'");
        }
        assertThat(run.get(Check.MODELS_LIST).status()).isEqualTo(Status.PASS);
        assertThat(run.get(Check.HEADER_RETRY_AFTER).status()).isEqualTo(Status.PASS);
        assertThat(run.get(Check.HEADER_RETRY_AFTER).detail()).isEqualTo("16 seen: 503 Retry-After 5");
        assertThat(time.sleeps).hasSize(12).containsOnly(Duration.ofSeconds(5));
        assertThat(run.retried()).isEqualTo(12);
    }

    @Test
    void featuresTheGatewayDoesNotServe_failClearly() {
        stub.servesRetrieve = false;
        stub.servesTools = false;
        stub.servesEmbeddings = false;

        Run run = run();

        assertThat(run.get(Check.MODELS_RETRIEVE).detail()).isEqualTo("not served: 404 unknown_url");
        assertThat(run.get(Check.MODELS_RETRIEVE).actual())
                .isEqualTo("not served: 404 unknown_url: 'Invalid URL (GET /stage/v1/models/stub-chat)'");
        assertThat(run.get(Check.MODELS_RETRIEVE).requestId()).startsWith("x-amzn-RequestId req-");
        assertThat(run.get(Check.EMBEDDINGS).detail()).isEqualTo("not served: 404 unknown_url");
        assertThat(run.get(Check.TOOLS_ROUND_TRIP).actual())
                .isEqualTo("400 unsupported_parameter (param tools): 'Tool calling is not supported.'");
        assertThat(run.get(Check.TOOLS_STREAM).status()).isEqualTo(Status.FAIL);
        assertThat(run.get(Check.CHAT).status()).isEqualTo(Status.PASS);
    }

    @Test
    void withoutAnEmbeddingModel_embeddingsAreSkippedWithTheReason() {
        stub.models = List.of(StubGateway.CHAT_MODEL);

        CheckResult r = run().get(Check.EMBEDDINGS);

        assertThat(r.status()).isEqualTo(Status.SKIP);
        assertThat(r.detail()).isEqualTo("no embedding model listed by models.list (pass --embedding-model NAME to check one)");
        assertThat(stub.requests).noneMatch(req -> req.contains("/embeddings"));
    }

    @Test
    void unknownModelAnswered500_failsModelNotFound() {
        stub.unknownModelStatus = 500;

        CheckResult r = run().get(Check.ERROR_MODEL);

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.expected()).isEqualTo("404 model_not_found for model 'verify-no-such-model'");
        assertThat(r.actual()).isEqualTo("500 internal_error: 'The model 'verify-no-such-model' does not exist'");
    }

    @Test
    void gatewayAcceptingAnyKey_failsInvalidApiKey() {
        stub.acceptsAnyKey = true;

        CheckResult r = run().get(Check.ERROR_API_KEY);

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.detail()).isEqualTo("accepted: 200");
        assertThat(r.expected()).isEqualTo("401 invalid_api_key");
    }

    @Test
    void answersWithoutRequestId_failTheRequestIdCheck() {
        stub.noRequestId = true;

        CheckResult r = run().get(Check.HEADER_REQUEST_ID);

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.detail()).isEqualTo("14 of 14 answers without a request id");
        assertThat(r.actual()).startsWith("none on models.list 200 (GET /v1/models), models.retrieve 200");
    }

    @Test
    void rateLimitHeaders_remainingAboveLimit_orAgainstThePlan_fail() {
        stub.successHeaders = Map.of("x-ratelimit-limit-requests", "600", "x-ratelimit-remaining-requests", "601",
                "x-ratelimit-reset-requests", "soon");

        CheckResult r = run(stub.baseUrl(), Map.of("GET /v1/models", 120L)).get(Check.HEADER_RATE_LIMIT);

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.actual()).contains(
                "x-ratelimit-limit-requests: 600 on models.list 200 (GET /v1/models) does not match the plan: 120 requests per minute",
                "x-ratelimit-remaining-requests: 601 on models.list 200 (GET /v1/models) is above x-ratelimit-limit-requests 600",
                "x-ratelimit-reset-requests: soon on models.list 200 (GET /v1/models) is not a duration like 1s, 6m0s or 20ms");
    }

    @Test
    void withoutRateLimitHeaders_theCheckIsSkipped() {
        stub.successHeaders = Map.of();

        CheckResult r = run().get(Check.HEADER_RATE_LIMIT);

        assertThat(r.status()).isEqualTo(Status.SKIP);
        assertThat(r.detail()).startsWith("no x-ratelimit-* header sent");
    }

    @Test
    void completionLongerThanMaxTokens_failsChat() {
        stub.ignoresMaxTokens = true;

        CheckResult r = run().get(Check.CHAT);

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.detail()).isEqualTo("usage.completion_tokens 26 is above max_completion_tokens 16");
    }

    @Test
    void aStreamsTiming_isTimeToFirstContentAgainstTheTotal() {
        assertThat(ChatChecks.timing(new Replies.Streamed(List.of(), 412_500_000L, 2_300_000_000L)))
                .isEqualTo("first content 412 ms of 2300 ms total");
        assertThat(ChatChecks.timing(new Replies.Streamed(List.of(), -1, 900_000_000L)))
                .isEqualTo("first content -1 ms of 900 ms total");
    }

    @Test
    void streamWithoutTheUsageChunk_failsBothStreams() {
        stub.streamWithoutUsage = true;

        Run run = run();

        assertThat(run.get(Check.CHAT_STREAM).detail())
                .isEqualTo("the last chunk has no usage (stream_options.include_usage was true)");
        assertThat(run.get(Check.TOOLS_STREAM).actual()).contains("the last chunk has no usage");
        assertThat(run.get(Check.CHAT).status()).isEqualTo(Status.PASS);
    }

    @Test
    void toolArgumentsThatAreNotJson_failBothToolChecks() {
        stub.toolArguments = "city=Paris";

        Run run = run();

        assertThat(run.get(Check.TOOLS_ROUND_TRIP).detail())
                .startsWith("tool_calls[0].function.arguments 'city=Paris' is not a JSON object");
        assertThat(run.get(Check.TOOLS_STREAM).detail()).startsWith("tool call 0 arguments 'city=Paris' is not a JSON object");
    }

    @Test
    void noGatewayAtAll_failsEveryRequestWithTheCause() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://127.0.0.1:" + port + "/stage/v1";

        Run run = run(base, Map.of());

        assertThat(run.get(Check.MODELS_LIST).status()).isEqualTo(Status.FAIL);
        assertThat(run.get(Check.MODELS_LIST).detail()).startsWith("no answer from " + base + ": ");
        assertThat(run.get(Check.CHAT).status()).isEqualTo(Status.SKIP);
        assertThat(run.get(Check.CHAT).detail()).isEqualTo("no model to use: models.list gave none; pass --model NAME");
        assertThat(run.get(Check.ERROR_API_KEY).status()).isEqualTo(Status.FAIL);
        assertThat(run.get(Check.HEADER_REQUEST_ID).status()).isEqualTo(Status.SKIP);
    }
}
