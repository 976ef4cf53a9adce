package io.llmgateway.backend;

import static io.llmgateway.backend.TestSettings.HAIKU;
import static io.llmgateway.backend.TestSettings.HAIKU_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.llmgateway.common.Json;
import io.llmgateway.testing.JsonPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/** The request and response mapping, through the handler, with Mockito in place of Bedrock. */
class BackendHandlerTest {

    private BedrockRuntimeClient bedrock;
    private final List<String> logLines = new ArrayList<>();
    private BackendHandler handler;

    @BeforeEach
    void setUp() {
        bedrock = mock(BedrockRuntimeClient.class);
        when(bedrock.converse(any(ConverseRequest.class)))
                .thenReturn(FakeBedrock.response("Hello there.", StopReason.END_TURN, 21, 4));
        handler = new BackendHandler(bedrock, TestSettings.settings(), TestEvents.clock(), logLines::add);
    }

    private HandlerAnswer send(byte[] event) {
        return HandlerAnswer.invoke(handler, event, TestContext.fresh());
    }

    private HandlerAnswer chat(Map<String, ?> body) {
        return send(TestEvents.chat(body));
    }

    private ConverseRequest sentToBedrock() {
        ArgumentCaptor<ConverseRequest> captor = ArgumentCaptor.forClass(ConverseRequest.class);
        verify(bedrock).converse(captor.capture());
        return captor.getValue();
    }

    private static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", HAIKU);
        body.put("messages", List.of(Map.of("role", "user", "content", "Hi")));
        for (int i = 0; i < keyValues.length; i += 2) {
            body.put((String) keyValues[i], keyValues[i + 1]);
        }
        return body;
    }

    // ---- success

    @Test
    void chat_fixtureRequest_returnsChatCompletionWithUsageAndHeaders() {
        HandlerAnswer answer = send(TestEvents.fixture("chat-completions.json"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("x-request-id")).isEqualTo(TestEvents.REQUEST_ID);
        assertThat(answer.header("x-ratelimit-limit-requests")).isEqualTo("120");
        Map<String, Object> json = answer.json();
        assertThat(json.get("id")).isEqualTo("chatcmpl-" + TestEvents.REQUEST_ID);
        assertThat(json.get("object")).isEqualTo("chat.completion");
        assertThat(((Number) json.get("created")).longValue()).isEqualTo(TestEvents.REQUEST_TIME_EPOCH / 1000);
        assertThat(json.get("model")).isEqualTo(HAIKU);
        assertThat(json).containsEntry("system_fingerprint", null);
        assertThat(JsonPath.<Object>at(json, "choices", "0", "message")).isEqualTo(
                mapOf("role", "assistant", "content", "Hello there.", "refusal", null));
        assertThat(JsonPath.<Object>at(json, "choices", "0", "finish_reason")).isEqualTo("stop");
        assertThat(JsonPath.<Object>at(json, "choices", "0", "index")).isEqualTo(0);
        assertThat(JsonPath.<Object>at(json, "usage")).isEqualTo(
                Map.of("prompt_tokens", 21, "completion_tokens", 4, "total_tokens", 25,
                "prompt_tokens_details", Map.of("cached_tokens", 0, "cache_write_tokens", 0)));

        ConverseRequest sent = sentToBedrock();
        assertThat(sent.modelId()).isEqualTo(HAIKU_ID);
        assertThat(sent.system()).containsExactly(SystemContentBlock.fromText("You are terse."));
        assertThat(sent.messages()).hasSize(1);
        assertThat(sent.messages().get(0).role()).isEqualTo(ConversationRole.USER);
        assertThat(sent.messages().get(0).content()).containsExactly(ContentBlock.fromText("Say hello."));
        assertThat(sent.inferenceConfig().maxTokens()).isEqualTo(64);
        assertThat(sent.inferenceConfig().temperature()).isEqualTo(0.2f);
        assertThat(sent.inferenceConfig().topP()).isNull();
        assertThat(sent.inferenceConfig().stopSequences()).isEmpty();
    }

    @Test
    void chat_base64EncodedBody_isDecoded() {
        HandlerAnswer answer = send(TestEvents.fixture("chat-completions-base64.json"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("x-request-id")).isEqualTo("0b9a8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d");
        assertThat(sentToBedrock().messages().get(0).content()).containsExactly(ContentBlock.fromText("Say hello."));
    }

    @Test
    void chat_messagesOfEveryRole_becomeSystemBlocksAndAlternatingMergedTurns() {
        HandlerAnswer answer = chat(body("messages", List.of(
                Map.of("role", "system", "content", "Rule one."),
                Map.of("role", "developer", "content", List.of(Map.of("type", "text", "text", "Rule two."))),
                Map.of("role", "user", "content", "First.", "name", "alice"),
                Map.of("role", "user", "content", List.of(
                        Map.of("type", "text", "text", "Second."), Map.of("type", "text", "text", "Third."))),
                Map.of("role", "assistant", "content", "HandlerAnswer.", "refusal", "ignored"),
                Map.of("role", "user", "content", "Again."))));

        assertThat(answer.status()).isEqualTo(200);
        ConverseRequest sent = sentToBedrock();
        assertThat(sent.system()).containsExactly(
                SystemContentBlock.fromText("Rule one."), SystemContentBlock.fromText("Rule two."));
        assertThat(sent.messages()).extracting(m -> m.role()).containsExactly(
                ConversationRole.USER, ConversationRole.ASSISTANT, ConversationRole.USER);
        assertThat(sent.messages().get(0).content()).containsExactly(ContentBlock.fromText("First."),
                ContentBlock.fromText("Second."), ContentBlock.fromText("Third."));
        assertThat(sent.messages().get(1).content()).containsExactly(ContentBlock.fromText("HandlerAnswer."));
        assertThat(sent.system()).hasSize(2);
    }

    @Test
    void chat_topPAndStop_areSentAsInferenceConfig() {
        assertThat(chat(body("top_p", 0.9, "stop", List.of("END", "STOP"))).status()).isEqualTo(200);
        ConverseRequest sent = sentToBedrock();
        assertThat(sent.inferenceConfig().topP()).isEqualTo(0.9f);
        assertThat(sent.inferenceConfig().stopSequences()).containsExactly("END", "STOP");
    }

    @Test
    void chat_stopAsString_isOneStopSequence() {
        assertThat(chat(body("stop", "END")).status()).isEqualTo(200);
        assertThat(sentToBedrock().inferenceConfig().stopSequences()).containsExactly("END");
    }

    @Test
    void chat_maxTokensUnset_sendsConfiguredDefault() {
        assertThat(chat(body()).status()).isEqualTo(200);
        assertThat(sentToBedrock().inferenceConfig().maxTokens()).isEqualTo(TestSettings.MAX_TOKENS_DEFAULT);
    }

    @Test
    void chat_maxTokensAboveCeiling_isCappedToCeiling() {
        assertThat(chat(body("max_tokens", 1_000_000)).status()).isEqualTo(200);
        assertThat(sentToBedrock().inferenceConfig().maxTokens()).isEqualTo(TestSettings.MAX_TOKENS_CEILING);
    }

    @Test
    void chat_maxCompletionTokens_isSentAsMaxTokens() {
        assertThat(chat(body("max_completion_tokens", 100, "max_tokens", 100)).status()).isEqualTo(200);
        assertThat(sentToBedrock().inferenceConfig().maxTokens()).isEqualTo(100);
    }

    @Test
    void chat_deadline_isSentAsApiCallTimeoutBelowTheIntegrationTimeout() {
        // 20 ms after API Gateway received it, with 30 s of Lambda time left: the integration timeout
        // (29 s) minus 20 ms minus the 1 s margin.
        assertThat(chat(body()).status()).isEqualTo(200);
        assertThat(sentToBedrock().overrideConfiguration().orElseThrow().apiCallTimeout())
                .contains(Duration.ofMillis(29_000 - 20 - 1_000));
    }

    @Test
    void chat_lambdaTimeLeftShorterThanGatewayDeadline_boundsTheCall() {
        HandlerAnswer answer = HandlerAnswer.invoke(handler, TestEvents.chat(Json.write(body())), TestContext.remaining(5_000));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(sentToBedrock().overrideConfiguration().orElseThrow().apiCallTimeout())
                .contains(Duration.ofMillis(4_000));
    }

    @Test
    void chat_finishReasonLength_whenBedrockStopsAtMaxTokens() {
        when(bedrock.converse(any(ConverseRequest.class)))
                .thenReturn(FakeBedrock.response("Cut", StopReason.MAX_TOKENS, 5, 16));
        HandlerAnswer answer = chat(body());
        assertThat(JsonPath.<Object>at(answer.json(), "choices", "0", "finish_reason")).isEqualTo("length");
    }

    @Test
    void chat_stream_returnsBufferedEventStreamEndingInDone() {
        HandlerAnswer answer = chat(body("stream", true));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("text/event-stream; charset=utf-8");
        assertThat(answer.header("x-request-id")).isEqualTo(TestEvents.REQUEST_ID);
        List<Map<String, Object>> chunks = events(answer.body());
        assertThat(chunks).hasSize(3);
        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.get("object")).isEqualTo("chat.completion.chunk");
            assertThat(chunk.get("id")).isEqualTo("chatcmpl-" + TestEvents.REQUEST_ID);
            assertThat(chunk.get("model")).isEqualTo(HAIKU);
            assertThat(chunk).doesNotContainKey("usage");
        });
        assertThat(JsonPath.<Object>at(chunks.get(0), "choices", "0", "delta", "role")).isEqualTo("assistant");
        assertThat(JsonPath.<Object>at(chunks.get(1), "choices", "0", "delta", "content")).isEqualTo("Hello there.");
        assertThat(JsonPath.<Object>at(chunks.get(1), "choices", "0", "finish_reason")).isNull();
        assertThat(JsonPath.<Object>at(chunks.get(2), "choices", "0", "delta")).isEqualTo(Map.of());
        assertThat(JsonPath.<Object>at(chunks.get(2), "choices", "0", "finish_reason")).isEqualTo("stop");
    }

    @Test
    void chat_streamWithIncludeUsage_endsWithAUsageChunkWithoutChoices() {
        HandlerAnswer answer = chat(body("stream", true, "stream_options", Map.of("include_usage", true)));

        List<Map<String, Object>> chunks = events(answer.body());
        assertThat(chunks).hasSize(4);
        assertThat(chunks.subList(0, 3)).allSatisfy(chunk -> assertThat(chunk).containsEntry("usage", null));
        Map<String, Object> last = chunks.get(3);
        assertThat(last.get("choices")).isEqualTo(List.of());
        assertThat(last.get("usage")).isEqualTo(Map.of("prompt_tokens", 21, "completion_tokens", 4, "total_tokens", 25,
                "prompt_tokens_details", Map.of("cached_tokens", 0, "cache_write_tokens", 0)));
    }

    /** The data lines of an event stream, which must end with [DONE]. */
    static List<Map<String, Object>> events(String body) {
        assertThat(body).endsWith("data: [DONE]\n\n");
        List<Map<String, Object>> chunks = new ArrayList<>();
        for (String event : body.split("\n\n")) {
            assertThat(event).startsWith("data: ");
            String data = event.substring("data: ".length());
            if (!data.equals("[DONE]")) {
                try {
                    chunks.add(Json.readObject(data));
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return chunks;
    }

    @Test
    void chat_harmlessFields_areAcceptedAndIgnored() {
        HandlerAnswer answer = chat(body("seed", 7, "store", false, "metadata", Map.of("team", "a"), "service_tier", "auto",
                "parallel_tool_calls", true, "user", "user-42", "n", 1, "logprobs", false, "top_logprobs", 0,
                "tools", List.of(), "tool_choice", "none", "response_format", Map.of("type", "text"),
                "presence_penalty", 0, "frequency_penalty", 0.0, "logit_bias", Map.of(),
                "modalities", List.of("text"), "some_future_field", Map.of("x", 1)));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("object")).isEqualTo("chat.completion");
    }

    // ---- models and routing

    @Test
    void models_listsAliasesInOpenAiListShape() {
        HandlerAnswer answer = send(TestEvents.fixture("models.json"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("x-request-id")).isEqualTo("3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b");
        // No plan rate is configured for this route, so the header would not be true for every caller.
        assertThat(answer.headers()).doesNotContainKey("x-ratelimit-limit-requests");
        assertThat(answer.json()).isEqualTo(Map.of("object", "list", "data", List.of(
                Map.of("id", "claude-haiku", "object", "model", "created", 0, "owned_by", "anthropic"),
                Map.of("id", "nova-pro", "object", "model", "created", 0, "owned_by", "amazon"),
                Map.of("id", "titan-embed", "object", "model", "created", 0, "owned_by", "amazon"),
                Map.of("id", "cohere-embed", "object", "model", "created", 0, "owned_by", "cohere"))));
        verifyNoInteractions(bedrock);
    }

    /** A {@code GET /v1/models/{model}} event as API Gateway sends it: the template as resource, the value as parameter. */
    @SuppressWarnings("unchecked")
    private static byte[] retrieve(String pathValue, String parameter) {
        Map<String, Object> event = TestEvents.fixtureMap("models.json");
        event.put("resource", "/v1/models/{model}");
        event.put("path", "/v1/models/" + pathValue);
        event.put("pathParameters", parameter == null ? null : Map.of("model", parameter));
        ((Map<String, Object>) event.get("requestContext")).put("resourcePath", "/v1/models/{model}");
        return Json.writeBytes(event);
    }

    @Test
    void retrieveModel_returnsTheOneModelObject() throws Exception {
        HandlerAnswer answer = send(retrieve("nova-pro", "nova-pro"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.json()).isEqualTo(Map.of("id", "nova-pro", "object", "model", "created", 0, "owned_by", "amazon"));
        assertThat(Json.readObject(logLines.get(0))).containsEntry("route", "GET /v1/models/{model}")
                .containsEntry("model", "nova-pro").containsEntry("status", 200);
        verifyNoInteractions(bedrock);
    }

    @Test
    void retrieveModel_takesTheParameterFromThePathWhenTheEventHasNone_andDecodesPercentEscapes() {
        assertThat(send(retrieve("claude-haiku", null)).json()).containsEntry("id", "claude-haiku");
        assertThat(send(retrieve("claude%2Dhaiku", "claude%2Dhaiku")).json()).containsEntry("id", "claude-haiku");
    }

    @Test
    void retrieveModel_unknownAlias_is404ModelNotFound() {
        HandlerAnswer answer = send(retrieve("gpt-4o", "gpt-4o"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.error()).containsEntry("code", "model_not_found").containsEntry("param", "model")
                .containsEntry("type", "invalid_request_error");
        assertThat((String) answer.error().get("message")).contains("'gpt-4o'");
    }

    @Test
    void retrieveModel_withPost_is405AllowingGet() {
        Map<String, Object> event = TestEvents.fixtureMap("models.json");
        event.put("resource", "/v1/models/{model}");
        event.put("path", "/v1/models/nova-pro");
        event.put("httpMethod", "POST");

        HandlerAnswer answer = send(Json.writeBytes(event));

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.header("Allow")).isEqualTo("GET");
    }

    @Test
    void chatPath_withWrongMethod_returns405WithAllowHeader() {
        HandlerAnswer answer = send(TestEvents.fixture("chat-completions-wrong-method.json"));

        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.header("Allow")).isEqualTo("POST");
        assertThat(answer.header("x-request-id")).isEqualTo("5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d");
        assertThat(answer.error()).containsEntry("type", "invalid_request_error")
                .containsEntry("code", "method_not_allowed");
        verifyNoInteractions(bedrock);
    }

    @Test
    void unknownPath_returns404UnknownUrl() {
        HandlerAnswer answer = send(TestEvents.fixture("unknown-path.json"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.error()).containsEntry("code", "unknown_url").containsEntry("param", null);
        assertThat((String) answer.error().get("message")).contains("POST /v1/completions", "POST /v1/embeddings");
        verifyNoInteractions(bedrock);
    }

    @Test
    void unreadableEvent_returns400InOpenAiShape() {
        HandlerAnswer answer = send("[1,2".getBytes(StandardCharsets.UTF_8));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("x-request-id")).isEqualTo("lambda-request-id");
        assertThat(answer.error()).containsEntry("type", "invalid_request_error");
    }

    // ---- client errors

    @Test
    void chat_unknownModel_returns404ModelNotFound() {
        HandlerAnswer answer = chat(body("model", "gpt-4o"));

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("x-request-id")).isEqualTo(TestEvents.REQUEST_ID);
        assertThat(answer.header("x-ratelimit-limit-requests")).isEqualTo("120");
        assertThat(answer.error()).containsEntry("type", "invalid_request_error")
                .containsEntry("code", "model_not_found").containsEntry("param", "model");
        assertThat((String) answer.error().get("message")).contains("'gpt-4o'");
        verifyNoInteractions(bedrock);
    }

    @Test
    void chat_bodyNotJson_returns400() {
        HandlerAnswer answer = send(TestEvents.chat("{\"model\": \"claude-haiku\", "));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).containsEntry("type", "invalid_request_error").containsEntry("code", "invalid_json");
        verifyNoInteractions(bedrock);
    }

    @Test
    void chat_emptyBody_returns400() {
        HandlerAnswer answer = send(TestEvents.chat((String) null));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).containsEntry("code", "invalid_json");
    }

    @Test
    void chat_bodyOverSizeLimit_returns413() {
        String big = "x".repeat(TestSettings.MAX_REQUEST_BYTES);
        HandlerAnswer answer = chat(body("messages", List.of(Map.of("role", "user", "content", big))));

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.error()).containsEntry("code", "request_too_large");
        verifyNoInteractions(bedrock);
    }

    @Test
    void chat_base64BodyNotBase64_returns400() {
        Map<String, Object> event = TestEvents.fixtureMap("chat-completions.json");
        event.put("body", "{not base64}");
        event.put("isBase64Encoded", true);

        HandlerAnswer answer = send(Json.writeBytes(event));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).containsEntry("code", "invalid_json");
        verifyNoInteractions(bedrock);
    }

    @Test
    void chat_base64BodyOverSizeLimit_returns413() {
        Map<String, Object> event = TestEvents.fixtureMap("chat-completions.json");
        byte[] big = Json.writeBytes(body("messages", List.of(Map.of("role", "user",
                "content", "é".repeat(TestSettings.MAX_REQUEST_BYTES / 2)))));
        event.put("body", Base64.getEncoder().encodeToString(big));
        event.put("isBase64Encoded", true);

        HandlerAnswer answer = send(Json.writeBytes(event));
        assertThat(answer.status()).isEqualTo(413);
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("missing model", body("model", null), "model", "missing_required_parameter"),
                Arguments.of("model not a string", body("model", 4), "model", "invalid_type"),
                Arguments.of("body an array", null, null, "invalid_type"),
                Arguments.of("missing messages", body("messages", null), "messages", "missing_required_parameter"),
                Arguments.of("messages not an array", body("messages", "Hi"), "messages", "invalid_type"),
                Arguments.of("empty messages", body("messages", List.of()), "messages", "invalid_value"),
                Arguments.of("only a system message",
                        body("messages", List.of(Map.of("role", "system", "content", "Be terse."))),
                        "messages", "invalid_value"),
                Arguments.of("message not an object", body("messages", List.of("Hi")), "messages[0]", "invalid_type"),
                Arguments.of("bad role", body("messages", List.of(Map.of("role", "robot", "content", "Hi"))),
                        "messages[0].role", "invalid_value"),
                Arguments.of("missing role", body("messages", List.of(Map.of("content", "Hi"))),
                        "messages[0].role", "missing_required_parameter"),
                Arguments.of("user content null", body("messages", List.of(mapOf("role", "user", "content", null))),
                        "messages[0].content", "missing_required_parameter"),
                Arguments.of("user content empty", body("messages", List.of(Map.of("role", "user", "content", ""))),
                        "messages[0].content", "invalid_value"),
                Arguments.of("user content empty array",
                        body("messages", List.of(Map.of("role", "user", "content", List.of()))),
                        "messages[0].content", "invalid_value"),
                Arguments.of("content a number", body("messages", List.of(Map.of("role", "user", "content", 5))),
                        "messages[0].content", "invalid_type"),
                Arguments.of("part without text", body("messages", List.of(Map.of("role", "user",
                        "content", List.of(Map.of("type", "text"))))), "messages[0].content[0].text",
                        "missing_required_parameter"),
                Arguments.of("unknown part type", body("messages", List.of(Map.of("role", "user",
                        "content", List.of(Map.of("type", "hologram"))))), "messages[0].content[0].type",
                        "invalid_value"),
                Arguments.of("temperature above 2", body("temperature", 2.5), "temperature", "invalid_value"),
                Arguments.of("temperature below 0", body("temperature", -0.1), "temperature", "invalid_value"),
                Arguments.of("temperature a string", body("temperature", "0.5"), "temperature", "invalid_type"),
                Arguments.of("top_p above 1", body("top_p", 1.5), "top_p", "invalid_value"),
                Arguments.of("max_tokens zero", body("max_tokens", 0), "max_tokens", "invalid_value"),
                Arguments.of("max_tokens fractional", body("max_tokens", 10.5), "max_tokens", "invalid_type"),
                Arguments.of("max_completion_tokens negative", body("max_completion_tokens", -3),
                        "max_completion_tokens", "invalid_value"),
                Arguments.of("max_tokens and max_completion_tokens differ",
                        body("max_tokens", 10, "max_completion_tokens", 20), "max_tokens", "invalid_value"),
                Arguments.of("five stop sequences", body("stop", List.of("a", "b", "c", "d", "e")), "stop",
                        "invalid_value"),
                Arguments.of("stop a number", body("stop", 3), "stop", "invalid_type"),
                Arguments.of("stop element a number", body("stop", List.of("a", 3)), "stop[1]", "invalid_type"),
                Arguments.of("stream a string", body("stream", "yes"), "stream", "invalid_type"),
                Arguments.of("stream_options without stream", body("stream_options", Map.of("include_usage", true)),
                        "stream_options", "invalid_request"),
                Arguments.of("user a number", body("user", 42), "user", "invalid_type"),
                Arguments.of("n zero", body("n", 0), "n", "invalid_value"),
                Arguments.of("top_logprobs negative", body("top_logprobs", -1), "top_logprobs", "invalid_value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void chat_invalidRequest_returns400NamingTheField(String name, Map<String, Object> body, String param,
                                                       String code) {
        HandlerAnswer answer = body == null ? send(TestEvents.chat("[]")) : chat(body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("x-request-id")).isEqualTo(TestEvents.REQUEST_ID);
        assertThat(answer.error()).containsEntry("type", "invalid_request_error")
                .containsEntry("param", param).containsEntry("code", code);
        assertThat((String) answer.error().get("message")).isNotBlank();
        verifyNoInteractions(bedrock);
    }

    static Stream<Arguments> unsupportedFields() {
        return Stream.of(
                Arguments.of(body("functions", List.of(Map.of("name", "f"))), "functions"),
                Arguments.of(body("function_call", Map.of("name", "f")), "function_call"),
                Arguments.of(body("n", 2), "n"),
                Arguments.of(body("logprobs", true), "logprobs"),
                Arguments.of(body("top_logprobs", 3), "top_logprobs"),
                Arguments.of(body("presence_penalty", 0.5), "presence_penalty"),
                Arguments.of(body("frequency_penalty", -1), "frequency_penalty"),
                Arguments.of(body("logit_bias", Map.of("50256", -100)), "logit_bias"),
                Arguments.of(body("audio", Map.of("voice", "alloy", "format", "wav")), "audio"),
                Arguments.of(body("modalities", List.of("text", "audio")), "modalities"),
                Arguments.of(body("prediction", Map.of("type", "content", "content", "x")), "prediction"),
                // Claude 3 Haiku has no extended thinking.
                Arguments.of(body("reasoning_effort", "high"), "reasoning_effort"),
                Arguments.of(body("web_search_options", Map.of()), "web_search_options"),
                Arguments.of(body("tools", List.of(Map.of("type", "web_search"))), "tools[0].type"),
                Arguments.of(body("messages", List.of(Map.of("role", "function", "content", "42",
                        "name", "f"))), "messages[0].role"),
                Arguments.of(body("messages", List.of(Map.of("role", "user", "content", "Hi"),
                        Map.of("role", "assistant", "content", "x", "function_call", Map.of("name", "f")))),
                        "messages[1].function_call"),
                Arguments.of(body("messages", List.of(Map.of("role", "user", "content", List.of(
                        Map.of("type", "text", "text", "What is this?"),
                        Map.of("type", "image_url", "image_url", Map.of("url", "https://example.com/a.png")))))),
                        "messages[0].content[1].image_url.url"),
                Arguments.of(body("messages", List.of(Map.of("role", "user", "content", List.of(
                        Map.of("type", "input_audio", "input_audio", Map.of("data", "", "format", "wav")))))),
                        "messages[0].content[0].type"),
                Arguments.of(body("messages", List.of(Map.of("role", "user", "content", List.of(
                        Map.of("type", "file", "file", Map.of("file_id", "f-1")))))),
                        "messages[0].content[0].type"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unsupportedFields")
    void chat_unsupportedField_returns400UnsupportedParameterNamingIt(Map<String, Object> body, String param) {
        HandlerAnswer answer = chat(body);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error()).containsEntry("type", "invalid_request_error")
                .containsEntry("code", "unsupported_parameter").containsEntry("param", param);
        verifyNoInteractions(bedrock);
    }

    // ---- deadline and logging

    @Test
    void chat_deadlineAlreadyPassed_returns504WithoutCallingBedrock() {
        long longAgo = TestEvents.REQUEST_TIME_EPOCH - 28_500;
        HandlerAnswer answer = send(TestEvents.chat(Json.write(body()), longAgo));

        assertThat(answer.status()).isEqualTo(504);
        assertThat(answer.error()).containsEntry("type", "server_error").containsEntry("code", "timeout");
        verifyNoInteractions(bedrock);
    }

    @Test
    void everyRequest_writesOneLogLineWithIdsOutcomeAndTokens_butNoKeyPromptOrCompletion() throws Exception {
        send(TestEvents.fixture("chat-completions.json"));

        assertThat(logLines).hasSize(1);
        String line = logLines.get(0);
        Map<String, Object> log = Json.readObject(line);
        assertThat(log).containsEntry("requestId", TestEvents.REQUEST_ID)
                .containsEntry("apiKeyId", TestEvents.API_KEY_ID)
                .containsEntry("route", "POST /v1/chat/completions")
                .containsEntry("model", HAIKU)
                .containsEntry("status", 200)
                .containsEntry("inputTokens", 21)
                .containsEntry("outputTokens", 4)
                .containsEntry("stream", false)
                .containsEntry("errorCode", null)
                .containsKey("latencyMs");
        assertThat(line).doesNotContain(TestEvents.API_KEY_VALUE, "Say hello", "You are terse", "Hello there");
    }

    @Test
    void clientError_isLoggedWithItsCode() throws Exception {
        chat(body("model", "gpt-4o"));

        Map<String, Object> log = Json.readObject(logLines.get(0));
        assertThat(log).containsEntry("status", 404).containsEntry("errorCode", "model_not_found")
                .containsEntry("model", "gpt-4o").containsEntry("apiKeyId", TestEvents.API_KEY_ID);
    }

    private static Map<String, Object> mapOf(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }
}
