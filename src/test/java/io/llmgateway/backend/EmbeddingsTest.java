package io.llmgateway.backend;

import static io.llmgateway.backend.TestSettings.COHERE;
import static io.llmgateway.backend.TestSettings.COHERE_ID;
import static io.llmgateway.backend.TestSettings.HAIKU;
import static io.llmgateway.backend.TestSettings.TITAN;
import static io.llmgateway.backend.TestSettings.TITAN_ID;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.internal.TokenEstimate;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.OpenAiError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/** {@code POST /v1/embeddings} through the handler, with an in-process Bedrock that records each InvokeModel call. */
class EmbeddingsTest {

    private final List<InvokeModelRequest> calls = new ArrayList<>();
    private final RecordingMetering recording = new RecordingMetering();
    private final List<String> log = new ArrayList<>();
    private RuntimeException failOnCall;
    private int failAt = -1;

    /** What the route asked of metering about the model call (the entitlement asked first left out). */
    private List<String> events() {
        return recording.events.stream().filter(e -> !e.startsWith("entitlement")).toList();
    }

    private HandlerAnswer embed(Map<String, Object> body) {
        return embed(TestSettings.settings(), body);
    }

    private HandlerAnswer embed(BackendSettings settings, Map<String, Object> body) {
        BackendHandler handler = new BackendHandler(new FakeBedrock(request -> {
            throw new AssertionError("no Converse call on this route");
        }, request -> {
            calls.add(request);
            if (failOnCall != null && calls.size() - 1 == failAt) {
                throw failOnCall;
            }
            return FakeBedrock.embeddings(request);
        }), settings, recording, TestEvents.clock(), log::add);
        byte[] event = ProxyEvent.forRequest("POST", "/v1/embeddings").apiKey("key-id", null)
                .requestId("req-1").requestTimeEpoch(TestEvents.REQUEST_TIME_EPOCH).body(Json.write(body)).toJson();
        return HandlerAnswer.invoke(handler, event, TestContext.fresh());
    }

    private static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            body.put((String) keyValues[i], keyValues[i + 1]);
        }
        return body;
    }

    private Map<String, Object> sent(int call) throws Exception {
        return Json.readObject(calls.get(call).body().asUtf8String());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> data(HandlerAnswer answer) {
        return (List<Map<String, Object>>) answer.json().get("data");
    }

    @Test
    void titanV2_oneCallPerInput_withTheDimensionsAndNormalized_usageFromTheModelsCount() throws Exception {
        HandlerAnswer answer = embed(body("model", TITAN, "input", List.of("first", "second"), "dimensions", 256));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(calls).hasSize(2).allSatisfy(call -> {
            assertThat(call.modelId()).isEqualTo(TITAN_ID);
            assertThat(call.contentType()).isEqualTo("application/json");
        });
        assertThat(sent(0)).isEqualTo(Map.of("inputText", "first", "dimensions", 256, "normalize", true));
        assertThat(sent(1)).containsEntry("inputText", "second");
        Map<String, Object> json = answer.json();
        assertThat(json).containsEntry("object", "list").containsEntry("model", TITAN)
                .containsEntry("usage", Map.of("prompt_tokens", 2 * FakeBedrock.TOKENS_PER_TEXT,
                        "total_tokens", 2 * FakeBedrock.TOKENS_PER_TEXT));
        assertThat(data(answer)).hasSize(2);
        assertThat(data(answer).get(1)).containsEntry("object", "embedding").containsEntry("index", 1);
        assertThat((List<?>) data(answer).get(0).get("embedding")).hasSize(256).first().isEqualTo(1.0);
        assertThat(events()).containsExactly("reserve key-id " + TITAN + " in>0=true out=0", "settle 6 0");
        assertThat(Json.readObject(log.get(0))).containsEntry("route", "POST /v1/embeddings")
                .containsEntry("model", TITAN).containsEntry("inputTokens", 6).containsEntry("inputs", 2);
    }

    @Test
    void titanV2_withoutDimensions_asksForItsDefault() throws Exception {
        embed(body("model", TITAN, "input", "one text"));

        assertThat(sent(0)).isEqualTo(Map.of("inputText", "one text", "dimensions", 1024, "normalize", true));
    }

    @Test
    void cohere_batchesUpTo96TextsPerCall_withItsInputType_andTakesTheTokenCountFromBedrocksHeader() throws Exception {
        List<String> texts = IntStream.range(0, 100).mapToObj(i -> "text " + i).toList();

        HandlerAnswer answer = embed(body("model", COHERE, "input", texts, "input_type", "search_query"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).modelId()).isEqualTo(COHERE_ID);
        assertThat(sent(0)).isEqualTo(Map.of("texts", texts.subList(0, 96), "input_type", "search_query"));
        assertThat(sent(1)).isEqualTo(Map.of("texts", texts.subList(96, 100), "input_type", "search_query"));
        assertThat(data(answer)).hasSize(100);
        // The fake's vectors start with i + 1 for the i-th text of each call: order is kept across calls.
        assertThat(((List<?>) data(answer).get(95).get("embedding")).get(0)).isEqualTo(96.0);
        assertThat(((List<?>) data(answer).get(96).get("embedding")).get(0)).isEqualTo(1.0);
        assertThat(data(answer).get(99)).containsEntry("index", 99);
        assertThat(answer.json()).containsEntry("usage", Map.of("prompt_tokens", 300, "total_tokens", 300));
    }

    @Test
    void cohere_withoutInputType_embedsForSearchDocuments() throws Exception {
        embed(body("model", COHERE, "input", "a document"));

        assertThat(sent(0)).containsEntry("input_type", "search_document");
    }

    @Test
    void base64Encoding_isLittleEndianFloat32_asOpenAiSendsIt() {
        HandlerAnswer answer = embed(body("model", TITAN, "input", "x", "dimensions", 256, "encoding_format", "base64"));

        byte[] bytes = Base64.getDecoder().decode((String) data(answer).get(0).get("embedding"));
        ByteBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes).hasSize(256 * 4);
        assertThat(floats.getFloat(0)).isEqualTo(1.0f);
        assertThat(floats.getFloat(4)).isEqualTo(0.5f);
    }

    @Test
    void aRefusal_isTheAnswer_andTheLogLineSaysWhy_asOnTheChatRoute() throws Exception {
        recording.refusal = new Refusal(new OpenAiError(429, OpenAiError.INSUFFICIENT_QUOTA, "insufficient_quota", null,
                "Budget spent."), Map.of("Retry-After", "60", "x-should-retry", "false"), Map.of("tokenLimit", "budget"));

        HandlerAnswer answer = embed(body("model", TITAN, "input", "hello"));

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.header("x-should-retry")).isEqualTo("false");
        assertThat(answer.header("Retry-After")).isEqualTo("60");
        assertThat(calls).isEmpty();
        assertThat(Json.readObject(log.get(log.size() - 1))).containsEntry("refusedBy", "tokens")
                .containsEntry("tokenLimit", "budget");
    }

    @Test
    void aSettledReservation_putsItsFieldsOnTheLogLine() throws Exception {
        embed(body("model", TITAN, "input", "hello"));

        assertThat(Json.readObject(log.get(log.size() - 1))).containsEntry("tokenReservation", "recorded");
    }

    @Test
    void aChatModel_isA400NamingIt_andNoModelIsCalled() {
        HandlerAnswer answer = embed(body("model", HAIKU, "input", "x"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).containsEntry("code", "invalid_value").containsEntry("param", "model");
        assertThat((String) answer.error().get("message")).contains("'" + HAIKU + "'", "chat model");
        assertThat(calls).isEmpty();
        assertThat(events()).isEmpty();
    }

    @Test
    void anEmbeddingModelOnTheChatRoute_isA400NamingIt() {
        BackendHandler handler = new BackendHandler(FakeBedrock.answering("x", 1, 1), TestSettings.settings(),
                TestEvents.clock(), line -> { });
        HandlerAnswer answer = HandlerAnswer.invoke(handler, TestEvents.chat(Map.of("model", TITAN,
                "messages", List.of(Map.of("role", "user", "content", "Hi")))), TestContext.fresh());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).containsEntry("param", "model");
        assertThat((String) answer.error().get("message")).contains("'" + TITAN + "'", "embedding model",
                "POST /v1/embeddings");
    }

    @Test
    void aModelOutsideTheEntitlement_doesNotExist() {
        recording.entitlement = new Metering.Entitlement(Optional.of(Set.of(COHERE)), OptionalInt.empty());

        HandlerAnswer answer = embed(body("model", TITAN, "input", "x"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.error()).containsEntry("code", "model_not_found");
        assertThat(calls).isEmpty();
    }

    @Test
    void badInputs_are400sNamingTheField() {
        assertThat(embed(body("model", TITAN)).error()).containsEntry("param", "input")
                .containsEntry("code", "missing_required_parameter");
        assertThat(embed(body("model", TITAN, "input", List.of())).error()).containsEntry("param", "input")
                .containsEntry("code", "invalid_value");
        assertThat(embed(body("model", TITAN, "input", List.of("a", ""))).error()).containsEntry("param", "input[1]");
        assertThat(embed(body("model", TITAN, "input", List.of(List.of(1, 2)))).error())
                .containsEntry("param", "input[0]").containsEntry("code", "unsupported_parameter");
        assertThat(embed(body("model", TITAN, "input", "x", "dimensions", 300)).error())
                .containsEntry("param", "dimensions").containsEntry("code", "invalid_value");
        assertThat((String) embed(body("model", TITAN, "input", "x", "dimensions", 300)).error().get("message"))
                .contains("1024, 512, 256");
        assertThat(embed(body("model", TITAN, "input", "x", "encoding_format", "int8")).error())
                .containsEntry("param", "encoding_format");
        assertThat(embed(body("model", TITAN, "input", "x", "input_type", "search_query")).error())
                .containsEntry("param", "input_type").containsEntry("code", "unsupported_parameter");
        assertThat(embed(body("model", COHERE, "input", "x", "input_type", "poetry")).error())
                .containsEntry("param", "input_type").containsEntry("code", "invalid_value");
        assertThat(embed(body("model", COHERE, "input", "x", "dimensions", 512)).error())
                .containsEntry("param", "dimensions");
        assertThat(calls).isEmpty();
    }

    @Test
    void theInputsOfOneRequest_areBoundedByTheDeploymentsSetting_soAreItsBedrockCalls() throws Exception {
        BackendSettings base = TestSettings.settings();
        BackendSettings three = new BackendSettings(base.models(), base.maxTokensDefault(), base.maxTokensCeiling(),
                base.maxRequestBytes(), base.integrationTimeoutMs(), base.planRatePerRoute(), base.corsOrigins(), 3);

        HandlerAnswer tooMany = embed(three, body("model", TITAN, "input", List.of("a", "b", "c", "d")));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.error()).containsEntry("param", "input").containsEntry("code", "invalid_value");
        assertThat((String) tooMany.error().get("message")).contains("maximum length 3", "length 4",
                "maxEmbeddingInputs");
        assertThat(calls).isEmpty();

        assertThat(embed(three, body("model", TITAN, "input", List.of("a", "b", "c"))).status()).isEqualTo(200);
        assertThat(calls).hasSize(3);
        assertThat(Json.readObject(log.get(log.size() - 1))).containsEntry("bedrockCalls", 3);
        assertThat(TestSettings.settings().maxEmbeddingInputs()).isEqualTo(BackendSettings.DEFAULT_MAX_EMBEDDING_INPUTS);
    }

    @Test
    void aFailureAfterSomeCalls_settlesWhatBedrockCounted_andAFirstFailureReleases() {
        failOnCall = ThrottlingException.builder().message("slow down").statusCode(429).build();
        failAt = 1;

        HandlerAnswer answer = embed(body("model", TITAN, "input", List.of("a", "b", "c")));

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.header("Retry-After")).isEqualTo("5");
        assertThat(events()).containsExactly("reserve key-id " + TITAN + " in>0=true out=0", "settle 3 0");

        calls.clear();
        recording.events.clear();
        failAt = 0;
        assertThat(embed(body("model", TITAN, "input", List.of("a", "b"))).status()).isEqualTo(429);
        assertThat(events()).containsExactly("reserve key-id " + TITAN + " in>0=true out=0", "release");
    }

    @Test
    void aBatchThatTimesOut_staysChargedAtItsEstimate_besideWhatTheAnsweredBatchesCost_andTheLineCountsTheCalls()
            throws Exception {
        failOnCall = ApiCallTimeoutException.create(28_000);
        failAt = 2;

        HandlerAnswer answer = embed(body("model", TITAN, "input", List.of("a", "b", "hello world", "never sent")));

        assertThat(answer.status()).isEqualTo(504);
        // Bedrock counted "a" and "b" (FakeBedrock's count each); "hello world" counts at its estimate; the
        // fourth text never left.
        assertThat(events()).containsExactly("reserve key-id " + TITAN + " in>0=true out=0", "charge unsettled "
                + (2 * FakeBedrock.TOKENS_PER_TEXT + TokenEstimate.ofTexts(List.of("hello world"))) + " 0");
        assertThat(Json.readObject(log.get(log.size() - 1))).containsEntry("bedrockCalls", 3);
    }
}
