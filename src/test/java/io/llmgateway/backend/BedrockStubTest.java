package io.llmgateway.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.llmgateway.backend.BedrockStub.CONVERSE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The handler through the real AWS SDK client (URL-connection HTTP client, SigV4, retries, JSON
 * protocol) against a Bedrock stub on loopback that answers with Bedrock's real response and error shapes.
 */
class BedrockStubTest {

    private static final String CONVERSE_ANSWER = """
            {"metrics":{"latencyMs":412},
             "output":{"message":{"content":[{"text":"Hello! "},{"text":"How can I help?"}],"role":"assistant"}},
             "stopReason":"end_turn",
             "usage":{"inputTokens":18,"outputTokens":9,"totalTokens":27}}""";

    @RegisterExtension
    static final BedrockStub STUB = new BedrockStub();

    private final List<String> log = new ArrayList<>();
    private final RecordingMetering metering = new RecordingMetering();

    private HandlerAnswer send(BackendSettings settings, byte[] event) {
        BackendHandler handler = new BackendHandler(STUB.client(), settings, metering, TestEvents.clock(), log::add);
        return HandlerAnswer.invoke(handler, event, TestContext.fresh());
    }

    private HandlerAnswer sendFixture() {
        return send(TestSettings.settings(), TestEvents.fixture("chat-completions.json"));
    }

    private static ResponseDefinitionBuilder bedrockError(int status, String errorType, String message) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "5d4b8e1c-0f1e-4a57-9c4e-2b1f3a9d7e60")
                .withHeader("x-amzn-ErrorType", errorType + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                .withBody("{\"message\":" + Json.write(message) + "}");
    }

    private static void answerWith(String body) {
        STUB.server().stubFor(post(urlPathMatching(CONVERSE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "8f0e3c1a-2b4d-4e6f-8a9b-0c1d2e3f4a5b")
                .withBody(body)));
    }

    @Test
    void chat_bedrockAnswers_returnsCompletionMappedFromConverse() throws IOException {
        answerWith(CONVERSE_ANSWER);

        HandlerAnswer answer = sendFixture();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("x-request-id")).isEqualTo(TestEvents.REQUEST_ID);
        Map<String, Object> json = answer.json();
        assertThat(json.get("object")).isEqualTo("chat.completion");
        assertThat(json.get("model")).isEqualTo("claude-haiku");
        @SuppressWarnings("unchecked")
        Map<String, Object> choice = ((List<Map<String, Object>>) json.get("choices")).get(0);
        assertThat(choice.get("message")).isEqualTo(Json.readObject(
                "{\"role\":\"assistant\",\"content\":\"Hello! How can I help?\",\"refusal\":null}"));
        assertThat(choice.get("finish_reason")).isEqualTo("stop");
        assertThat(json.get("usage")).isEqualTo(Map.of("prompt_tokens", 18, "completion_tokens", 9, "total_tokens", 27,
                "prompt_tokens_details", Map.of("cached_tokens", 0, "cache_write_tokens", 0)));

        List<LoggedRequest> calls = STUB.converseCalls();
        assertThat(calls).hasSize(1);
        LoggedRequest call = calls.get(0);
        assertThat(call.getUrl()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
        assertThat(call.getHeader("Authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDSTUBTEST/")
                .contains("/eu-central-1/bedrock/aws4_request");
        assertThat(Json.readObject(call.getBodyAsString())).isEqualTo(Json.readObject("""
                {"inferenceConfig":{"maxTokens":64,"temperature":0.2},
                 "messages":[{"content":[{"text":"Say hello."}],"role":"user"}],
                 "system":[{"text":"You are terse."}]}"""));
    }

    @Test
    void chat_streamRequested_returnsBufferedChunksFromOneConverseCall() {
        answerWith(CONVERSE_ANSWER.replace("end_turn", "max_tokens"));

        HandlerAnswer answer = send(TestSettings.settings(), TestEvents.chat("""
                {"model":"nova-pro","stream":true,"stream_options":{"include_usage":true},
                 "messages":[{"role":"user","content":"Hi"}]}"""));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
        List<Map<String, Object>> chunks = BackendHandlerTest.events(answer.body());
        assertThat(chunks).hasSize(4);
        assertThat(chunks.get(1).toString()).contains("content=Hello! How can I help?");
        assertThat(chunks.get(2).toString()).contains("finish_reason=length");
        assertThat(chunks.get(3).get("usage"))
                .isEqualTo(Map.of("prompt_tokens", 18, "completion_tokens", 9, "total_tokens", 27,
                "prompt_tokens_details", Map.of("cached_tokens", 0, "cache_write_tokens", 0)));
        assertThat(STUB.converseCalls()).singleElement()
                .satisfies(call -> assertThat(call.getUrl()).isEqualTo("/model/us.amazon.nova-pro-v1%3A0/converse"));
    }

    static Stream<Arguments> bedrockErrors() {
        return Stream.of(
                Arguments.of(429, "ThrottlingException", "Too many requests, please wait before trying again.",
                        429, "rate_limit_exceeded", true, 2, "release"),
                Arguments.of(400, "ServiceQuotaExceededException",
                        "Your request exceeds the service quota for your account.", 429, "rate_limit_exceeded", true, 1,
                        "release"),
                Arguments.of(400, "ValidationException", "Input is too long for requested model.",
                        400, "invalid_request", false, 1, "release"),
                Arguments.of(408, "ModelTimeoutException",
                        "Model has timed out in processing the request. Try your request again.", 504, "timeout", false, 1,
                        "charge unsettled"),
                Arguments.of(503, "ServiceUnavailableException", "Bedrock is unable to process your request.",
                        503, "service_unavailable", true, 2, "release"),
                Arguments.of(429, "ModelNotReadyException",
                        "Model is not ready to serve inference requests.", 503, "service_unavailable", true, 2, "release"),
                Arguments.of(403, "AccessDeniedException",
                        "You don't have access to the model with the specified model ID.", 500, "internal_error", false, 1,
                        "release"),
                Arguments.of(404, "ResourceNotFoundException", "Model not found.", 500, "internal_error", false, 1, "release"),
                Arguments.of(500, "InternalServerException",
                        "The server encountered an internal error while processing the request.",
                        503, "service_unavailable", true, 2, "charge unsettled"));
    }

    /**
     * Each error as the real SDK reports it after its retries, and what becomes of the reservation: it
     * goes back when Bedrock answered before a model ran, and stays charged when the call may have been
     * billed (a model timeout, an internal error after the request was accepted).
     */
    @ParameterizedTest(name = "{1} {0} -> {3} after {6} attempt(s), {7}")
    @MethodSource("bedrockErrors")
    void chat_bedrockError_isMappedAndRetriedOnlyWhenRetryable(int bedrockStatus, String errorType, String message,
                                                               int status, String code, boolean retryAfter,
                                                               int attempts, String reservation) throws IOException {
        STUB.server().stubFor(post(urlPathMatching(CONVERSE_PATH))
                .willReturn(bedrockError(bedrockStatus, errorType, message)));

        HandlerAnswer answer = sendFixture();

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("x-request-id")).isEqualTo(TestEvents.REQUEST_ID);
        assertThat(answer.header("Retry-After")).isEqualTo(retryAfter ? "5" : null);
        assertThat(answer.error()).containsEntry("code", code);
        if (status == 400) {
            assertThat(answer.error()).containsEntry("message", message);
        } else {
            assertThat(answer.body()).doesNotContain(message, errorType);
        }
        // The SDK's standard strategy retries throttling and 5xx once (MAX_ATTEMPTS = 2), nothing else.
        assertThat(STUB.converseCalls()).hasSize(attempts);
        assertThat(metering.outcome()).isEqualTo(reservation);

        Map<String, Object> line = Json.readObject(log.get(0));
        assertThat(line).containsEntry("status", status).containsEntry("upstreamError", errorType);
        if (status >= 500) {
            assertThat((String) line.get("cause")).contains(errorType, message);
        }
    }

    @Test
    void chat_anInternalErrorThenAThrottle_staysCharged_forTheFirstAttemptMayHaveBeenBilled() {
        STUB.server().stubFor(post(urlPathMatching(CONVERSE_PATH)).inScenario("retry").whenScenarioStateIs(STARTED)
                .willReturn(bedrockError(500, "InternalServerException", "internal error"))
                .willSetStateTo("throttled"));
        STUB.server().stubFor(post(urlPathMatching(CONVERSE_PATH)).inScenario("retry").whenScenarioStateIs("throttled")
                .willReturn(bedrockError(429, "ThrottlingException", "Too many requests")));

        assertThat(sendFixture().status()).isEqualTo(429);
        assertThat(STUB.converseCalls()).hasSize(2);
        assertThat(metering.outcome()).isEqualTo("charge unsettled");
    }

    @Test
    void chat_bedrockThrottles_isReportedAfterTwoAttemptsInTotal() {
        STUB.server().stubFor(post(urlPathMatching(CONVERSE_PATH))
                .willReturn(bedrockError(429, "ThrottlingException", "Too many requests")));

        assertThat(sendFixture().status()).isEqualTo(429);
        assertThat(STUB.converseCalls()).hasSize(BedrockClientFactory.MAX_ATTEMPTS);
    }

    /**
     * The SDK ends the call at the budget the handler computed (a 1.8 s integration timeout, 20 ms
     * already spent on the fixed clock, 1 s margin: 780 ms; DeadlineTest covers the arithmetic). The
     * stub would answer 200 after 20 s, so a 504 can only come from that budget, whatever the machine's
     * speed. The SDK interrupts the calling thread to end the call; the handler must clear that flag.
     */
    @Test
    void chat_slowUpstream_returnsJson504FromTheCallBudget() throws IOException {
        STUB.server().stubFor(post(urlPathMatching(CONVERSE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(CONVERSE_ANSWER).withFixedDelay(20_000)));
        BackendSettings settings = TestSettings.settings(1_800);

        HandlerAnswer answer = send(settings, TestEvents.fixture("chat-completions.json"));

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.error()).containsEntry("type", "server_error").containsEntry("code", "timeout");
        assertThat(STUB.converseCalls()).hasSize(1);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(metering.outcome()).as("Bedrock has no cancel: the abandoned call may be billed")
                .isEqualTo("charge unsettled");
        assertThat(Json.readObject(log.get(0))).containsEntry("tokenReservation", "recorded");
    }

    @Test
    void chat_bedrockUnreachable_returns503WithRetryAfter() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        STUB.pointClientAt(URI.create("http://127.0.0.1:" + closedPort));

        HandlerAnswer answer = sendFixture();

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).isEqualTo("5");
        assertThat(answer.error()).containsEntry("code", "service_unavailable");
        assertThat((String) Json.readObject(log.get(0)).get("cause")).contains("SdkClientException");
        assertThat(metering.outcome()).as("the request never left").isEqualTo("release");
    }

    // ---- tools and images in Converse's own JSON

    @Test
    @SuppressWarnings("unchecked")
    void chat_toolsAndAnImage_areSentAsToolConfigAndAnImageBlock_andAToolUseAnswerIsToolCalls() throws IOException {
        // Converse's answer when the model calls a tool (Bedrock user guide, "Call a tool with the Converse API").
        answerWith("""
                {"metrics":{"latencyMs":1280},
                 "output":{"message":{"content":[{"text":"I'll check the weather."},
                   {"toolUse":{"input":{"city":"Paris"},"name":"get_weather","toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q"}}],
                   "role":"assistant"}},
                 "stopReason":"tool_use",
                 "usage":{"inputTokens":412,"outputTokens":58,"totalTokens":470}}""");
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("model", "claude-haiku");
        body.put("max_tokens", 100);
        body.put("messages", List.of(Map.of("role", "user", "content", List.of(
                Map.of("type", "text", "text", "Where is this? What is the weather there?"),
                Map.of("type", "image_url", "image_url", Map.of("url", Images.dataUrl("image/png", Images.PNG)))))));
        body.put("tools", List.of(Map.of("type", "function", "function", Map.of("name", "get_weather",
                "description", "The weather in a city", "parameters", Map.of("type", "object",
                        "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"))))));

        HandlerAnswer answer = send(TestSettings.settings(), TestEvents.chat(body));

        assertThat(answer.status()).isEqualTo(200);
        Map<String, Object> choice = ((List<Map<String, Object>>) answer.json().get("choices")).get(0);
        assertThat(choice.get("finish_reason")).isEqualTo("tool_calls");
        assertThat(choice.get("message")).isEqualTo(Json.readObject("""
                {"role":"assistant","content":"I'll check the weather.","refusal":null,
                 "tool_calls":[{"id":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]}"""));
        Map<String, Object> sentBody = Json.readObject(STUB.converseCalls().get(0).getBodyAsString());
        assertThat(sentBody.get("toolConfig")).isEqualTo(Json.readObject("""
                {"tools":[{"toolSpec":{"name":"get_weather","description":"The weather in a city",
                   "inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}}],
                 "toolChoice":{"auto":{}}}"""));
        assertThat(sentBody.get("messages")).isEqualTo(List.of(Map.of("role", "user", "content", List.of(
                Map.of("text", "Where is this? What is the weather there?"),
                Map.of("image", Map.of("format", "png", "source", Map.of("bytes",
                        java.util.Base64.getEncoder().encodeToString(Images.PNG))))))));
    }

    @Test
    void chat_toolResultsGoBackAsOneUserTurnOfToolResultBlocks() throws IOException {
        answerWith(CONVERSE_ANSWER);

        send(TestSettings.settings(), TestEvents.chat("""
                {"model":"claude-haiku","tools":[{"type":"function","function":{"name":"get_weather"}}],
                 "messages":[{"role":"user","content":"Weather in Paris and Rome?"},
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"tooluse_a","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}},
                    {"id":"tooluse_b","type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Rome\\"}"}}]},
                  {"role":"tool","tool_call_id":"tooluse_a","content":"18C"},
                  {"role":"tool","tool_call_id":"tooluse_b","content":"24C"}]}"""));

        Map<String, Object> sentBody = Json.readObject(STUB.converseCalls().get(0).getBodyAsString());
        assertThat(sentBody.get("messages")).isEqualTo(Json.read("""
                [{"role":"user","content":[{"text":"Weather in Paris and Rome?"}]},
                 {"role":"assistant","content":[
                   {"toolUse":{"toolUseId":"tooluse_a","name":"get_weather","input":{"city":"Paris"}}},
                   {"toolUse":{"toolUseId":"tooluse_b","name":"get_weather","input":{"city":"Rome"}}}]},
                 {"role":"user","content":[
                   {"toolResult":{"toolUseId":"tooluse_a","content":[{"text":"18C"}]}},
                   {"toolResult":{"toolUseId":"tooluse_b","content":[{"text":"24C"}]}}]}]"""));
    }

    // ---- embeddings through InvokeModel, in Bedrock's own shapes

    private static final String INVOKE_PATH = "/model/.+/invoke";

    private HandlerAnswer embed(String body) {
        return send(TestSettings.settings(), ProxyEvent.forRequest("POST", "/v1/embeddings")
                .requestId(TestEvents.REQUEST_ID).requestTimeEpoch(TestEvents.REQUEST_TIME_EPOCH)
                .apiKey(TestEvents.API_KEY_ID, null).body(body).toJson());
    }

    @Test
    void embeddings_titanV2_sendsItsBodyAndReadsItsAnswer() throws IOException {
        // Titan Text Embeddings V2's answer (Bedrock user guide, "Amazon Titan Embeddings Text"), 256 dimensions cut to 4 here.
        STUB.server().stubFor(post(urlPathMatching(INVOKE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Amzn-Bedrock-Input-Token-Count", "4")
                .withBody("{\"embedding\":[0.0125,-0.034,0.091,0.0021],\"embeddingsByType\":{\"float\":"
                        + "[0.0125,-0.034,0.091,0.0021]},\"inputTextTokenCount\":4}")));

        HandlerAnswer answer = embed("{\"model\":\"titan-embed\",\"input\":\"Hello, world\",\"dimensions\":256}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(Json.readObject("""
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0125,-0.034,0.091,0.0021]}],
                 "model":"titan-embed","usage":{"prompt_tokens":4,"total_tokens":4}}"""));
        LoggedRequest call = STUB.server().findAll(postRequestedFor(urlPathMatching(INVOKE_PATH))).get(0);
        assertThat(call.getUrl()).isEqualTo("/model/amazon.titan-embed-text-v2%3A0/invoke");
        assertThat(call.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(call.getHeader("Accept")).isEqualTo("application/json");
        assertThat(Json.readObject(call.getBodyAsString()))
                .isEqualTo(Map.of("inputText", "Hello, world", "dimensions", 256, "normalize", true));
    }

    @Test
    void embeddings_cohereV3_sendsTheBatch_andCountsTokensFromBedrocksHeader() throws IOException {
        // Cohere Embed v3's answer (Bedrock user guide, "Cohere Embed and Cohere Embed v4 models"): no count in the body.
        STUB.server().stubFor(post(urlPathMatching(INVOKE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("X-Amzn-Bedrock-Input-Token-Count", "7")
                .withBody("{\"embeddings\":[[0.1,0.2],[0.3,0.4]],\"id\":\"7c1d5f52-0b5e-4c43-8c2c-5b1d1a4e2f10\","
                        + "\"response_type\":\"embeddings_floats\",\"texts\":[\"alpha\",\"beta gamma\"]}")));

        HandlerAnswer answer = embed("{\"model\":\"cohere-embed\",\"input\":[\"alpha\",\"beta gamma\"]}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("usage")).isEqualTo(Map.of("prompt_tokens", 7, "total_tokens", 7));
        assertThat(answer.body()).contains("\"embedding\":[0.1,0.2]", "\"embedding\":[0.3,0.4]");
        LoggedRequest call = STUB.server().findAll(postRequestedFor(urlPathMatching(INVOKE_PATH))).get(0);
        assertThat(call.getUrl()).isEqualTo("/model/cohere.embed-english-v3/invoke");
        assertThat(Json.readObject(call.getBodyAsString()))
                .isEqualTo(Map.of("texts", List.of("alpha", "beta gamma"), "input_type", "search_document"));
    }

    @Test
    void embeddings_bedrockRejectsTheInput_isA400WithBedrocksMessage() {
        STUB.server().stubFor(post(urlPathMatching(INVOKE_PATH)).willReturn(bedrockError(400, "ValidationException",
                "400 Bad Request: Too many input tokens. Max input tokens: 8192, request input token count: 9001")));

        HandlerAnswer answer = embed("{\"model\":\"titan-embed\",\"input\":\"long\"}");

        assertThat(answer.status()).isEqualTo(400);
        assertThat((String) answer.error().get("message")).contains("Too many input tokens");
    }
}
