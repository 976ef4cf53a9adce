package io.llmgateway.backend;

import static io.llmgateway.backend.TestSettings.HAIKU;
import static io.llmgateway.backend.TestSettings.HAIKU_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.runtime.CheckpointHooks;
import io.llmgateway.backend.runtime.IntegrationPrelude;
import io.llmgateway.backend.runtime.RuntimeApi;
import io.llmgateway.backend.runtime.RuntimeLoop;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Route;
import io.llmgateway.local.RuntimeApiEmulator;
import io.llmgateway.testing.JsonPath;
import io.llmgateway.testing.StreamingBedrock;
import io.llmgateway.testing.StreamingBedrock.Script;
import java.util.OptionalInt;
import java.util.Optional;
import io.llmgateway.common.PlanGuardrail;
import io.llmgateway.backend.metering.Metering;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * Chat completions with {@code stream: true} on a streaming route, end to end as on Lambda: the real
 * runtime client ({@link RuntimeLoop}) against the Runtime API emulator, the backend handler, and the
 * real AWS SDK (on the JDK HTTP client the Lambda uses) parsing a real event stream from a loopback
 * Bedrock. Ordering, not timing: the stub holds the model's last events behind a gate, and the test
 * sees content arrive at the Runtime API before it opens the gate.
 */
class BackendStreamingTest {

    private static final int STREAM_TIMEOUT_MS = 120_000;

    private StreamingBedrock bedrock;
    private RuntimeApiEmulator emulator;
    private BedrockRuntimeAsyncClient streams;
    private BedrockRuntimeClient converse;
    private final RecordingMetering metering = new RecordingMetering();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private Thread loop;

    @BeforeEach
    void start() throws IOException {
        bedrock = StreamingBedrock.start();
        emulator = RuntimeApiEmulator.start();
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "SECRET"));
        streams = BedrockClientFactory.streamingBuilder(Region.US_EAST_1, credentials)
                .endpointOverride(bedrock.endpoint()).build();
        converse = BedrockClientFactory.builder(Region.US_EAST_1, credentials).endpointOverride(bedrock.endpoint()).build();
        BackendSettings base = TestSettings.settings();
        BackendSettings settings = new BackendSettings(base.models(), base.maxTokensDefault(), base.maxTokensCeiling(),
                base.maxRequestBytes(), base.integrationTimeoutMs(), base.planRatePerRoute(), base.corsOrigins(),
                base.maxEmbeddingInputs(), Map.of(Route.CHAT_COMPLETIONS.throttlePath(), STREAM_TIMEOUT_MS,
                Route.RESPONSES.throttlePath(), STREAM_TIMEOUT_MS));
        BackendHandler handler = new BackendHandler(converse, streams, settings, metering, TestEvents.clock(), log::add);
        RuntimeLoop runtime = new RuntimeLoop(new RuntimeApi(emulator.address()), line -> { });
        loop = new Thread(() -> runtime.run(() -> new RuntimeLoop.Function(handler, handler), false,
                CheckpointHooks.NONE), "runtime-loop");
        loop.setDaemon(true);
        loop.start();
    }

    @AfterEach
    void stop() throws Exception {
        emulator.close();
        loop.join(RuntimeApiEmulator.PATIENCE.toMillis());
        bedrock.close();
        streams.close();
        converse.close();
    }

    private static byte[] streamRequest(boolean includeUsage) {
        return TestEvents.chat(Map.of("model", HAIKU, "stream", true, "stream_options", Map.of("include_usage", includeUsage),
                "messages", List.of(Map.of("role", "user", "content", "Say hello"))));
    }

    @Test
    void textDeltas_reachTheRuntimeApi_beforeTheModelHasFinished_thenUsageAndDone() throws Exception {
        CountDownLatch modelFinishes = new CountDownLatch(1);
        bedrock.enqueue(new Script().event("messageStart", Map.of("role", "assistant"))
                .delta(0, "Hel").delta(0, "lo")
                .gate(modelFinishes)
                .delta(0, "!").event("contentBlockStop", Map.of("contentBlockIndex", 0)).stop("end_turn").usage(11, 3));
        RuntimeApiEmulator.Call call = emulator.enqueue(streamRequest(true));

        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("\"content\":\"lo\"")) {
            seen.append(new String(call.awaitChunk(), StandardCharsets.UTF_8));
        }
        // The prelude and the first deltas are out while the model is still generating.
        assertThat(seen.toString()).startsWith("{\"statusCode\":200").contains("\"content\":\"Hel\"");
        assertThat(call.isAnswered()).isFalse();
        assertThat(metering.outcome()).as("not settled while streaming").isNull();

        modelFinishes.countDown();
        RuntimeApiEmulator.Outcome outcome = call.awaitOutcome();
        assertThat(outcome.mode()).isEqualTo(RuntimeApiEmulator.Mode.STREAMED);
        Map<String, Object> prelude = prelude(outcome.body());
        assertThat(prelude).containsEntry("statusCode", 200);
        assertThat(JsonPath.<Map<String, Object>>at(prelude, "headers"))
                .containsEntry("Content-Type", "text/event-stream; charset=utf-8")
                .containsEntry("x-ratelimit-remaining-tokens", "1234");
        List<Map<String, Object>> chunks = BackendHandlerTest.events(body(outcome.body()));
        assertThat(chunks).hasSize(6);
        assertThat(delta(chunks.get(0))).containsEntry("role", "assistant").containsEntry("content", "");
        assertThat(delta(chunks.get(1))).isEqualTo(Map.of("content", "Hel"));
        assertThat(delta(chunks.get(2))).isEqualTo(Map.of("content", "lo"));
        assertThat(delta(chunks.get(3))).isEqualTo(Map.of("content", "!"));
        assertThat(choice(chunks.get(4))).containsEntry("finish_reason", "stop");
        assertThat(chunks.get(5)).containsEntry("choices", List.of())
                .containsEntry("usage", Map.of("prompt_tokens", 11, "completion_tokens", 3, "total_tokens", 14,
                        "prompt_tokens_details", Map.of("cached_tokens", 0, "cache_write_tokens", 0)));
        assertThat(chunks).allSatisfy(c -> assertThat(c).containsEntry("object", "chat.completion.chunk")
                .containsEntry("model", HAIKU));
        // Reserved before the first byte, settled to Bedrock's usage after the last.
        assertThat(metering.events).anySatisfy(e -> assertThat(e).startsWith("reserve"));
        assertThat(metering.outcome()).isEqualTo("settle 11 3");
        assertThat(bedrock.paths()).containsExactly("/model/" + HAIKU_ID + "/converse-stream");
        Map<String, Object> line = lastLine();
        assertThat(line).containsEntry("streamEnd", "complete").containsEntry("status", 200)
                .containsEntry("outputTokens", 3);
    }

    @Test
    void aMarkedPrompt_streams_withItsCachePointInConverseStream_andCacheUsageInTheUsageChunkAndTheSettlement()
            throws Exception {
        bedrock.enqueue(new Script().event("messageStart", Map.of("role", "assistant")).delta(0, "Hi")
                .event("contentBlockStop", Map.of("contentBlockIndex", 0)).stop("end_turn")
                .event("metadata", Map.of("usage", Map.of("inputTokens", 5, "outputTokens", 1, "totalTokens", 3006,
                        "cacheReadInputTokens", 3000, "cacheWriteInputTokens", 0), "metrics", Map.of("latencyMs", 1))));
        RuntimeApiEmulator.Call call = emulator.enqueue(TestEvents.chat(Map.of("model", TestSettings.NOVA,
                "stream", true, "stream_options", Map.of("include_usage", true), "messages", List.of(
                        Map.of("role", "system", "content", List.of(Map.of("type", "text", "text", "Be brief.",
                                "cache_control", Map.of("type", "ephemeral")))),
                        Map.of("role", "user", "content", "Say hello")))));

        RuntimeApiEmulator.Outcome outcome = call.awaitOutcome();

        assertThat(Json.readObject(bedrock.bodies().get(0)).get("system"))
                .isEqualTo(List.of(Map.of("text", "Be brief."), Map.of("cachePoint", Map.of("type", "default"))));
        List<Map<String, Object>> chunks = BackendHandlerTest.events(body(outcome.body()));
        assertThat(chunks.get(chunks.size() - 1).get("usage")).isEqualTo(Map.of("prompt_tokens", 3005,
                "completion_tokens", 1, "total_tokens", 3006,
                "prompt_tokens_details", Map.of("cached_tokens", 3000, "cache_write_tokens", 0)));
        assertThat(metering.outcome()).isEqualTo("settle 3005 1 cache 3000 0");
        assertThat(lastLine()).containsEntry("cacheReadTokens", 3000).containsEntry("cachePoints", 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGuardedPlansStream_goesToItsProfileWithItsGuardrailSynchronous_andAnInterventionIsContentFilter()
            throws Exception {
        String profile = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6";
        metering.entitlement = new Metering.Entitlement(Optional.empty(), OptionalInt.empty(), Optional.of("premium"),
                Map.of(HAIKU, profile), Optional.of(new PlanGuardrail("abcd1234efgh", "2", Map.of())));
        bedrock.enqueue(new Script().event("messageStart", Map.of("role", "assistant"))
                .delta(0, "Sorry, not on this plan.").event("contentBlockStop", Map.of("contentBlockIndex", 0))
                .stop("guardrail_intervened")
                .event("metadata", Map.of("usage", Map.of("inputTokens", 0, "outputTokens", 0, "totalTokens", 0),
                        "metrics", Map.of("latencyMs", 1),
                        "trace", Map.of("guardrail", Map.of("inputAssessment", Map.of("abcd1234efgh", Map.of(
                                "wordPolicy", Map.of("customWords", List.of(Map.of("match", "SECRET-WORD", "action", "BLOCKED"))),
                                "invocationMetrics", Map.of("usage", Map.of("wordPolicyUnits", 1, "contentPolicyUnits", 1)))))))));
        RuntimeApiEmulator.Outcome outcome = emulator.enqueue(streamRequest(false)).awaitOutcome();

        List<Map<String, Object>> chunks = BackendHandlerTest.events(body(outcome.body()));
        assertThat(delta(chunks.get(1))).isEqualTo(Map.of("content", "Sorry, not on this plan."));
        assertThat(choice(chunks.get(chunks.size() - 1))).containsEntry("finish_reason", "content_filter");
        assertThat(java.net.URLDecoder.decode(bedrock.paths().get(0), StandardCharsets.UTF_8))
                .isEqualTo("/model/" + profile + "/converse-stream");
        assertThat(Json.readObject(bedrock.bodies().get(0)).get("guardrailConfig")).isEqualTo(Map.of(
                "guardrailIdentifier", "abcd1234efgh", "guardrailVersion", "2", "trace", "enabled",
                "streamProcessingMode", "sync"));
        // The units reach the reservation before it settles; the line names the policy, never the match.
        assertThat(metering.events).containsSubsequence("guardrail units {CONTENT=1, WORD=1}", "settle 0 0");
        assertThat(lastLine()).containsEntry("guardrail", "intervened").containsEntry("guardrailPolicy", "wordPolicy")
                .containsEntry("GuardrailInterventions", 1);
        assertThat(String.join("\n", log)).doesNotContain("SECRET-WORD");
    }

    @Test
    void toolCalls_streamWithAStableIndexFromZero_idAndNameFirst_thenArgumentPieces() throws Exception {
        bedrock.enqueue(new Script().event("messageStart", Map.of("role", "assistant"))
                .delta(0, "Checking.")
                .event("contentBlockStart", Map.of("contentBlockIndex", 1,
                        "start", Map.of("toolUse", Map.of("toolUseId", "tooluse_1", "name", "get_weather"))))
                .event("contentBlockDelta", Map.of("contentBlockIndex", 1, "delta", Map.of("toolUse", Map.of("input", "{\"city\":"))))
                .event("contentBlockDelta", Map.of("contentBlockIndex", 1, "delta", Map.of("toolUse", Map.of("input", "\"Paris\"}"))))
                .event("contentBlockStart", Map.of("contentBlockIndex", 2,
                        "start", Map.of("toolUse", Map.of("toolUseId", "tooluse_2", "name", "get_time"))))
                .event("contentBlockDelta", Map.of("contentBlockIndex", 2, "delta", Map.of("toolUse", Map.of("input", "{}"))))
                .stop("tool_use").usage(20, 9));
        RuntimeApiEmulator.Call call = emulator.enqueue(TestEvents.chat(Map.of("model", HAIKU, "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "weather?")),
                "tools", List.of(tool("get_weather"), tool("get_time")))));

        List<Map<String, Object>> chunks = BackendHandlerTest.events(body(call.awaitOutcome().body()));
        List<Object> calls = new ArrayList<>();
        chunks.stream().map(BackendStreamingTest::delta).filter(d -> d != null && d.containsKey("tool_calls"))
                .forEach(d -> calls.addAll((List<?>) d.get("tool_calls")));
        assertThat(calls).containsExactly(
                Map.of("index", 0, "id", "tooluse_1", "type", "function", "function", Map.of("name", "get_weather", "arguments", "")),
                Map.of("index", 0, "function", Map.of("arguments", "{\"city\":")),
                Map.of("index", 0, "function", Map.of("arguments", "\"Paris\"}")),
                Map.of("index", 1, "id", "tooluse_2", "type", "function", "function", Map.of("name", "get_time", "arguments", "")),
                Map.of("index", 1, "function", Map.of("arguments", "{}")));
        assertThat(choice(chunks.get(chunks.size() - 1))).containsEntry("finish_reason", "tool_calls");
        assertThat(metering.outcome()).isEqualTo("settle 20 9");
        assertThat(bedrock.bodies().get(0)).contains("\"toolConfig\"").contains("get_weather");
    }

    @Test
    void anErrorAfterTheFirstByte_endsTheStreamWithAnOpenAiErrorEvent_andTheCallIsCharged() throws Exception {
        bedrock.enqueue(new Script().event("messageStart", Map.of("role", "assistant")).delta(0, "Part")
                .exception("modelStreamErrorException", "The model stopped."));
        RuntimeApiEmulator.Call call = emulator.enqueue(streamRequest(false));

        RuntimeApiEmulator.Outcome outcome = call.awaitOutcome();
        String body = body(outcome.body());
        assertThat(prelude(outcome.body())).containsEntry("statusCode", 200);
        String[] events = body.split("\n\n");
        assertThat(events[events.length - 1]).startsWith("data: {\"error\":{");
        Map<String, Object> error = Json.readObject(events[events.length - 1].substring("data: ".length()));
        assertThat(JsonPath.<Map<String, Object>>at(error, "error")).containsKeys("message", "type", "code");
        assertThat(body).contains("\"content\":\"Part\"").doesNotContain("[DONE]");
        assertThat(metering.outcome()).isEqualTo("charge unsettled");
        assertThat(lastLine()).containsEntry("streamEnd", "upstream_error");
    }

    @Test
    void anErrorBeforeTheFirstEvent_isTheUsualHttpError_behindThePrelude() throws Exception {
        bedrock.enqueue(Script.refused(429, "ThrottlingException", "Too many tokens, please wait."));
        RuntimeApiEmulator.Call call = emulator.enqueue(streamRequest(false));

        RuntimeApiEmulator.Outcome outcome = call.awaitOutcome();
        assertThat(outcome.mode()).isEqualTo(RuntimeApiEmulator.Mode.STREAMED);
        Map<String, Object> prelude = prelude(outcome.body());
        assertThat(prelude).containsEntry("statusCode", 429);
        assertThat(JsonPath.<Map<String, Object>>at(prelude, "headers")).containsKey("Retry-After");
        assertThat(Json.readObject(body(outcome.body()))).containsKey("error");
        assertThat(metering.outcome()).isEqualTo("release");
    }

    @Test
    void aClientThatGoesAwayMidStream_cancelsBedrocksCall_andIsChargedTheReservation() throws Exception {
        bedrock.enqueue(new Script().event("messageStart", Map.of("role", "assistant")).deltasUntilClosed(0, " more")
                .stop("end_turn").usage(5, 51));
        RuntimeApiEmulator.Call call = emulator.enqueue(streamRequest(false)).dropAfterFirstChunk();

        assertThat(call.awaitDropped()).isTrue();
        // The model would go on for the stub's whole patience: the gateway closes Bedrock's connection.
        assertThat(bedrock.awaitClientClosed()).as("Bedrock's connection closed by the gateway").isTrue();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (metering.outcome() == null && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        // No usage event came: what Bedrock generated is unknown, so the whole reservation is charged.
        assertThat(metering.outcome()).isEqualTo("charge unsettled");
        assertThat(lastLine()).containsEntry("streamEnd", "client_disconnected");
    }

    /**
     * The stream's deadline is the chat route's own integration timeout (here 120 s), not the buffered
     * routes' 29 s: a request API Gateway received 40 s ago still streams.
     */
    @Test
    void theDeadlineIsTheStreamingRoutesOwnTimeout() throws Exception {
        bedrock.enqueue(Script.text(List.of("Late", " but fine"), 4, 2));
        RuntimeApiEmulator.Call call = emulator.enqueue(TestEvents.chat(Json.write(Map.of("model", HAIKU, "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "hi")))), TestEvents.REQUEST_TIME_EPOCH - 40_000));
        RuntimeApiEmulator.Outcome outcome = call.awaitOutcome();
        assertThat(prelude(outcome.body())).containsEntry("statusCode", 200);
        assertThat(body(outcome.body())).contains("\"content\":\" but fine\"").endsWith("data: [DONE]\n\n");
    }

    @Test
    void streamFalse_onAStreamingRoute_isOneConverseCall_behindThePrelude() throws Exception {
        RuntimeApiEmulator.Call call = emulator.enqueue(TestEvents.chat(Map.of("model", HAIKU,
                "messages", List.of(Map.of("role", "user", "content", "hi")))));
        RuntimeApiEmulator.Outcome outcome = call.awaitOutcome();
        // No Converse script: the stub answers 500, which the backend maps to its own error.
        assertThat(outcome.mode()).isEqualTo(RuntimeApiEmulator.Mode.STREAMED);
        assertThat(bedrock.paths()).isNotEmpty().allMatch(p -> p.equals("/model/" + HAIKU_ID + "/converse"));
        assertThat(prelude(outcome.body())).containsKey("statusCode");
    }

    @Test
    void theOtherRoutes_stayBuffered() throws Exception {
        RuntimeApiEmulator.Call call = emulator.enqueue(TestEvents.fixture("models.json"));
        RuntimeApiEmulator.Outcome outcome = call.awaitOutcome();
        assertThat(outcome.mode()).isEqualTo(RuntimeApiEmulator.Mode.BUFFERED);
        assertThat(Json.readObject(outcome.text())).containsEntry("statusCode", 200);
    }

    private static Map<String, Object> tool(String name) {
        return Map.of("type", "function", "function", Map.of("name", name, "parameters", Map.of("type", "object")));
    }

    private static List<Map<String, Object>> responseEvents(String body) throws IOException {
        List<Map<String, Object>> events = new ArrayList<>();
        for (String chunk : body.split("\n\n")) {
            events.add(Json.readObject(chunk.substring(chunk.indexOf("data: ") + "data: ".length())));
        }
        return events;
    }

    @Test
    void aResponsesStream_isWrittenFromConverseStreamsEvents_inTheDocumentedOrder_andSettles() throws Exception {
        bedrock.enqueue(new Script().event("messageStart", Map.of("role", "assistant"))
                .delta(0, "Hel").delta(0, "lo").event("contentBlockStop", Map.of("contentBlockIndex", 0))
                .stop("end_turn").usage(11, 3));
        RuntimeApiEmulator.Call call = emulator.enqueue(ResponsesRouteTest.event(Map.of("model", HAIKU, "stream", true,
                "input", "Say hello")));

        RuntimeApiEmulator.Outcome outcome = call.awaitOutcome();
        assertThat(outcome.mode()).isEqualTo(RuntimeApiEmulator.Mode.STREAMED);
        List<Map<String, Object>> events = responseEvents(body(outcome.body()));
        assertThat(events).extracting(e -> e.get("type")).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed");
        Map<String, Object> completed = JsonPath.at(events.get(events.size() - 1), "response");
        assertThat(completed).containsEntry("status", "completed");
        assertThat(JsonPath.<Object>at(completed, "output", "0", "content", "0", "text"))
                .isEqualTo("Hello");
        assertThat(JsonPath.<Map<String, Object>>at(completed, "usage")).containsEntry("input_tokens", 11)
                .containsEntry("output_tokens", 3);
        assertThat(metering.outcome()).isEqualTo("settle 11 3");
        assertThat(bedrock.paths()).containsExactly("/model/" + HAIKU_ID + "/converse-stream");
        assertThat(lastLine()).containsEntry("streamEnd", "complete").containsEntry("route", "POST /v1/responses");
    }

    @Test
    void aResponsesStreamThatFailsAfterItsFirstByte_endsWithResponseFailed_andTheCallIsCharged() throws Exception {
        bedrock.enqueue(new Script().event("messageStart", Map.of("role", "assistant")).delta(0, "Part")
                .exception("modelStreamErrorException", "The model stopped."));
        RuntimeApiEmulator.Call call = emulator.enqueue(ResponsesRouteTest.event(Map.of("model", HAIKU, "stream", true,
                "input", "Say hello")));

        RuntimeApiEmulator.Outcome outcome = call.awaitOutcome();
        assertThat(prelude(outcome.body())).containsEntry("statusCode", 200);
        List<Map<String, Object>> events = responseEvents(body(outcome.body()));
        Map<String, Object> last = events.get(events.size() - 1);
        assertThat(last).containsEntry("type", "response.failed");
        Map<String, Object> response = JsonPath.at(last, "response");
        assertThat(response).containsEntry("status", "failed").containsEntry("id", events.get(0).get("response") instanceof
                Map<?, ?> first ? first.get("id") : null);
        assertThat(JsonPath.<Map<String, Object>>at(response, "error")).containsKeys("code", "message");
        assertThat(events).extracting(e -> e.get("type")).contains("response.output_text.delta")
                .doesNotContain("response.completed");
        assertThat(metering.outcome()).isEqualTo("charge unsettled");
        assertThat(lastLine()).containsEntry("streamEnd", "upstream_error");
    }

    private Map<String, Object> lastLine() throws IOException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.isEmpty() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        return Json.readObject(log.get(log.size() - 1));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> choice(Map<String, Object> chunk) {
        return ((List<Map<String, Object>>) chunk.get("choices")).get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> delta(Map<String, Object> chunk) {
        List<Map<String, Object>> choices = (List<Map<String, Object>>) chunk.get("choices");
        return choices.isEmpty() ? null : (Map<String, Object>) choices.get(0).get("delta");
    }

    static int preludeEnd(byte[] stream) {
        for (int i = 0; i + IntegrationPrelude.DELIMITER_LENGTH <= stream.length; i++) {
            boolean zeros = true;
            for (int j = 0; j < IntegrationPrelude.DELIMITER_LENGTH && zeros; j++) {
                zeros = stream[i + j] == 0;
            }
            if (zeros) {
                return i;
            }
        }
        throw new AssertionError("no prelude delimiter");
    }

    static Map<String, Object> prelude(byte[] stream) throws IOException {
        return Json.readObject(new String(stream, 0, preludeEnd(stream), StandardCharsets.UTF_8));
    }

    static String body(byte[] stream) {
        int start = preludeEnd(stream) + IntegrationPrelude.DELIMITER_LENGTH;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(stream, start, stream.length - start);
        return body.toString(StandardCharsets.UTF_8);
    }
}
