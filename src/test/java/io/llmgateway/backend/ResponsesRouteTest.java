package io.llmgateway.backend;

import static io.llmgateway.testing.JsonPath.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Route;
import io.llmgateway.testing.JsonPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * {@code POST /v1/responses} through the handler: what Converse is sent (the chat route's mapping), and
 * how its answer comes back as a Response object or its events. Bedrock is an in-process fake that
 * records the request.
 */
class ResponsesRouteTest {

    static final String NOVA = "nova";
    static final String SONNET = "sonnet-45";

    private final AtomicReference<ConverseRequest> sent = new AtomicReference<>();
    private final List<String> log = new ArrayList<>();
    private ConverseResponse answer = FakeBedrock.response("Fine.", StopReason.END_TURN, 10, 2);

    private static BackendSettings settings() {
        Map<String, String> models = new LinkedHashMap<>();
        models.put(NOVA, "amazon.nova-micro-v1:0");
        models.put(SONNET, "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        return new BackendSettings(models, 512, 32_000, 8 << 20, 29_000, Map.of(Route.RESPONSES.throttlePath(), 2.0));
    }

    static byte[] event(Map<String, Object> body) {
        Map<String, Object> event = TestEvents.fixtureMap("chat-completions.json");
        event.put("body", Json.write(body));
        event.put("resource", Route.RESPONSES.path());
        event.put("path", Route.RESPONSES.path());
        @SuppressWarnings("unchecked")
        Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
        context.put("resourcePath", Route.RESPONSES.path());
        context.put("path", "/prod" + Route.RESPONSES.path());
        return Json.writeBytes(event);
    }

    private HandlerAnswer post(Map<String, Object> body) {
        BackendHandler handler = new BackendHandler(new FakeBedrock(request -> {
            sent.set(request);
            return answer;
        }), settings(), TestEvents.clock(), log::add);
        return HandlerAnswer.invoke(handler, event(body), TestContext.fresh());
    }

    static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", NOVA);
        body.put("input", "What is the weather in Paris?");
        for (int i = 0; i < keyValues.length; i += 2) {
            body.put((String) keyValues[i], keyValues[i + 1]);
        }
        return body;
    }

    static final Map<String, Object> WEATHER = Map.of("type", "function", "name", "get_weather",
            "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))));

    @Test
    void aTextAnswer_isAResponseObject_withItsUsageAndTheRequestsSettingsEchoed_andALogLine() throws Exception {
        HandlerAnswer a = post(body("instructions", "Be brief.", "temperature", 0.5, "metadata", Map.of("team", "a")));

        assertThat(a.status()).isEqualTo(200);
        Map<String, Object> r = a.json();
        assertThat(r).containsEntry("object", "response").containsEntry("status", "completed")
                .containsEntry("model", NOVA).containsEntry("instructions", "Be brief.").containsEntry("store", false)
                .containsEntry("output_text", "Fine.").containsEntry("metadata", Map.of("team", "a"));
        assertThat((String) r.get("id")).isEqualTo("resp_" + TestEvents.REQUEST_ID.replace("-", ""));
        assertThat(JsonPath.<Object>at(r, "output", "0", "content", "0", "text")).isEqualTo("Fine.");
        assertThat(JsonPath.<Object>at(r, "output", "0", "type")).isEqualTo("message");
        assertThat(r.get("usage")).isEqualTo(Json.readObject("{\"input_tokens\":10,\"input_tokens_details\":"
                + "{\"cached_tokens\":0,\"cache_write_tokens\":0},\"output_tokens\":2,\"output_tokens_details\":"
                + "{\"reasoning_tokens\":0},\"total_tokens\":12}"));
        // The chat route's mapping: instructions are the system prompt, the input a user turn.
        assertThat(sent.get().system().get(0).text()).isEqualTo("Be brief.");
        assertThat(sent.get().messages().get(0).content().get(0).text()).isEqualTo("What is the weather in Paris?");
        assertThat(sent.get().inferenceConfig().temperature()).isEqualTo(0.5f);
        assertThat(log).hasSize(1);
        assertThat(Json.readObject(log.get(0))).containsEntry("route", "POST /v1/responses")
                .containsEntry("status", 200);
    }

    @Test
    void cacheReadsAndWrites_countInTheInput_andAreItsDetails() {
        answer = answer.toBuilder().usage(TokenUsage.builder().inputTokens(10).cacheReadInputTokens(100)
                .cacheWriteInputTokens(20).outputTokens(2).totalTokens(132).build()).build();

        Map<String, Object> usage = at(post(body()).json(), "usage");

        assertThat(usage).containsEntry("input_tokens", 130).containsEntry("output_tokens", 2)
                .containsEntry("total_tokens", 132)
                .containsEntry("input_tokens_details", Map.of("cached_tokens", 100, "cache_write_tokens", 20));
    }

    @Test
    void anAliasWithAutomaticPromptCaching_getsACachePointAfterLongInstructions() throws Exception {
        Map<String, String> models = new LinkedHashMap<>(settings().models());
        BackendSettings base = settings();
        BackendSettings caching = new BackendSettings(models, 512, 32_000, 8 << 20, 29_000, base.planRatePerRoute(),
                List.of(), base.maxEmbeddingInputs(), Map.of(), Map.of(SONNET, "5m"));
        String instructions = "Answer as the handbook says. ".repeat(1000); // far above Sonnet 4.5's 4,096 tokens
        BackendHandler handler = new BackendHandler(new FakeBedrock(request -> {
            sent.set(request);
            return answer;
        }), caching, TestEvents.clock(), log::add);

        HandlerAnswer a = HandlerAnswer.invoke(handler, event(body("model", SONNET, "instructions", instructions)),
                TestContext.fresh());

        assertThat(a.status()).isEqualTo(200);
        assertThat(sent.get().system()).hasSize(2);
        assertThat(sent.get().system().get(0).text()).isEqualTo(instructions);
        assertThat(sent.get().system().get(1).cachePoint()).isNotNull();
        assertThat(Json.readObject(log.get(0))).containsEntry("cachePointsAutomatic", 1);
    }

    @Test
    void maxOutputTokensReached_isIncomplete_withItsReason() {
        answer = FakeBedrock.response("Once upon", StopReason.MAX_TOKENS, 10, 16);

        Map<String, Object> r = post(body("max_output_tokens", 16)).json();

        assertThat(r).containsEntry("status", "incomplete").containsEntry("completed_at", null)
                .containsEntry("incomplete_details", Map.of("reason", "max_output_tokens"));
        assertThat(JsonPath.<Object>at(r, "output", "0", "status")).isEqualTo("incomplete");
        assertThat(sent.get().inferenceConfig().maxTokens()).isEqualTo(16);
    }

    @Test
    void aToolRoundTrip_groupsCallsIntoOneAssistantTurn_andPairsOutputsByCallId() {
        List<Object> input = List.of(
                Map.of("role", "user", "content", "Weather in Paris and Rome?"),
                Map.of("type", "function_call", "call_id", "call_a", "name", "get_weather", "arguments", "{\"city\":\"Paris\"}"),
                Map.of("type", "function_call", "call_id", "call_b", "name", "get_weather", "arguments", "{\"city\":\"Rome\"}"),
                Map.of("type", "function_call_output", "call_id", "call_b", "output", "18"),
                Map.of("type", "function_call_output", "call_id", "call_a", "output", "21"));

        assertThat(post(body("input", input, "tools", List.of(WEATHER))).status()).isEqualTo(200);

        List<Message> messages = sent.get().messages();
        assertThat(messages).extracting(Message::role).containsExactly(ConversationRole.USER,
                ConversationRole.ASSISTANT, ConversationRole.USER);
        assertThat(messages.get(1).content()).extracting(b -> b.toolUse().toolUseId()).containsExactly("call_a", "call_b");
        assertThat(messages.get(2).content()).extracting(b -> b.toolResult().toolUseId()).containsExactly("call_b", "call_a");
        assertThat(sent.get().toolConfig().tools().get(0).toolSpec().name()).isEqualTo("get_weather");
    }

    @Test
    void withoutTools_theHistoryOfCallsGoesInAsText_asCodexCompactionSendsIt() {
        List<Object> input = List.of(
                Map.of("role", "user", "content", "Run it"),
                Map.of("type", "function_call", "call_id", "call_a", "name", "exec", "arguments", "{}"),
                Map.of("type", "function_call_output", "call_id", "call_a", "output", "ok"),
                Map.of("role", "user", "content", "Summarize"));

        assertThat(post(body("input", input, "tools", List.of())).status()).isEqualTo(200);

        assertThat(sent.get().toolConfig()).isNull();
        assertThat(sent.get().messages().get(1).content().get(0).text()).startsWith("[called tool exec (call_a)");
    }

    @Test
    void aNamespacedTool_isOfferedFlattened_andItsCallGoesBackSplit_andReturnsJoined() {
        Map<String, Object> namespace = Map.of("type", "namespace", "name", "multi_agent_v1", "tools",
                List.of(Map.of("type", "function", "name", "close_agent", "parameters", Map.of("type", "object"))));
        answer = FakeBedrock.response(List.of(ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId("tu_1")
                .name("multi_agent_v1__close_agent").input(Document.fromMap(Map.of())).build())), StopReason.TOOL_USE, 10, 5);

        Map<String, Object> r = post(body("tools", List.of(WEATHER, namespace))).json();

        assertThat(sent.get().toolConfig().tools()).extracting(t -> t.toolSpec().name())
                .containsExactly("get_weather", "multi_agent_v1__close_agent");
        Map<String, Object> call = at(r, "output", "0");
        assertThat(call).containsEntry("type", "function_call").containsEntry("call_id", "tu_1")
                .containsEntry("name", "close_agent").containsEntry("namespace", "multi_agent_v1")
                .containsEntry("arguments", "{}");

        List<Object> input = List.of(Map.of("role", "user", "content", "x"),
                Map.of("type", "function_call", "call_id", "tu_1", "name", "close_agent", "namespace", "multi_agent_v1",
                        "arguments", "{}"),
                Map.of("type", "function_call_output", "call_id", "tu_1", "output", "closed"));
        post(body("input", input, "tools", List.of(namespace)));
        assertThat(sent.get().messages().get(1).content().get(0).toolUse().name()).isEqualTo("multi_agent_v1__close_agent");
    }

    @Test
    void reasoning_goesOutWithItsSignatureInEncryptedContent_andComesBackAsTheSameBlock() {
        answer = FakeBedrock.response(List.of(
                ContentBlock.fromReasoningContent(ReasoningContentBlock.fromReasoningText(ReasoningTextBlock.builder()
                        .text("Paris is in France.").signature("sig-123").build())),
                ContentBlock.fromToolUse(ToolUseBlock.builder().toolUseId("tu_9").name("get_weather")
                        .input(Document.fromMap(Map.of("city", Document.fromString("Paris")))).build())),
                StopReason.TOOL_USE, 10, 5);

        Map<String, Object> first = post(body("model", SONNET, "tools", List.of(WEATHER),
                "max_output_tokens", 4000, "reasoning", Map.of("effort", "low", "summary", "auto"))).json();

        assertThat(first).as(Json.write(first)).containsKey("output");
        Map<String, Object> reasoning = at(first, "output", "0");
        assertThat(reasoning).containsEntry("type", "reasoning")
                .containsEntry("summary", List.of(Map.of("type", "summary_text", "text", "Paris is in France.")));
        Map<String, Object> call = at(first, "output", "1");
        assertThat(call).containsEntry("call_id", "tu_9").containsEntry("arguments", "{\"city\":\"Paris\"}");

        Map<String, Object> replayed = new LinkedHashMap<>(reasoning);
        replayed.put("content", null);
        List<Object> input = List.of(Map.of("role", "user", "content", "Weather?"), replayed,
                Map.of("type", "function_call", "call_id", "tu_9", "name", "get_weather", "arguments", call.get("arguments")),
                Map.of("type", "function_call_output", "call_id", "tu_9", "output", "21"));
        answer = FakeBedrock.response("21 degrees.", StopReason.END_TURN, 10, 2);
        post(body("model", SONNET, "input", input, "tools", List.of(WEATHER), "max_output_tokens", 4000,
                "reasoning", Map.of("effort", "low")));

        List<ContentBlock> turn = sent.get().messages().get(1).content();
        assertThat(turn.get(0).reasoningContent().reasoningText().text()).isEqualTo("Paris is in France.");
        assertThat(turn.get(0).reasoningContent().reasoningText().signature()).isEqualTo("sig-123");
        assertThat(turn.get(1).toolUse().toolUseId()).isEqualTo("tu_9");
    }

    @Test
    void stream_isTheDocumentedEventSequence_withOneIdAndSequenceNumbers_endingWithTheWholeResponse()
            throws Exception {
        HandlerAnswer a = post(body("stream", true));

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).startsWith("text/event-stream");
        List<Map<String, Object>> events = new ArrayList<>();
        for (String chunk : a.body().split("\n\n")) {
            String[] lines = chunk.split("\n");
            assertThat(lines[0]).startsWith("event: ");
            Map<String, Object> event = Json.readObject(lines[1].substring("data: ".length()));
            assertThat(lines[0]).isEqualTo("event: " + event.get("type"));
            events.add(event);
        }
        assertThat(events).extracting(e -> e.get("type")).containsExactly("response.created",
                "response.in_progress", "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done", "response.completed");
        assertThat(events).extracting(e -> e.get("sequence_number")).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        Object id = at(events.get(0), "response", "id");
        assertThat(JsonPath.<Object>at(events.get(8), "response", "id")).isEqualTo(id);
        String itemId = at(events.get(2), "item", "id");
        assertThat(events.subList(3, 7)).allSatisfy(e -> assertThat(e.get("item_id")).isEqualTo(itemId));
        assertThat(JsonPath.<Object>at(events.get(8), "response", "output", "0", "content", "0", "text")).isEqualTo("Fine.");
        assertThat(JsonPath.<Object>at(events.get(0), "response", "usage")).isNull();
    }

    @Test
    void aBedrockFailure_isAnHttpErrorWithAnOpenAiBody_evenWhenStreamed() {
        BackendHandler handler = new BackendHandler(new FakeBedrock(request -> {
            throw software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException.builder()
                    .message("Too many requests").statusCode(429).build();
        }), settings(), TestEvents.clock(), log::add);

        HandlerAnswer a = HandlerAnswer.invoke(handler, event(body("stream", true)), TestContext.fresh());

        assertThat(a.status()).isEqualTo(429);
        assertThat(a.header("Retry-After")).isNotNull();
        assertThat(a.error()).containsEntry("type", "tokens");
    }

    @Test
    void badInput_getsOpenAisErrorNamingTheResponsesField() {
        assertThat(post(body("input", List.of(Map.of("type", "compaction")))).error())
                .containsEntry("param", "input[0].type").containsEntry("code", "invalid_value");
        assertThat(post(body("tools", List.of(Map.of("type", "file_search")))).error())
                .containsEntry("param", "tools[0].type").containsEntry("code", "unsupported_parameter");
        assertThat(post(body("conversation", "conv_1")).error()).containsEntry("param", "conversation");
        assertThat(post(body("text", Map.of("format", Map.of("type", "json_schema", "schema", Map.of())))).error())
                .containsEntry("param", "text.format.name").containsEntry("code", "missing_required_parameter");
        assertThat(post(body("max_output_tokens", 0)).error()).containsEntry("param", "max_output_tokens");
        assertThat(post(body("reasoning", Map.of("effort", "max"))).error()).containsEntry("param", "reasoning.effort");
        assertThat(post(body("input", List.of(Map.of("type", "function_call_output", "call_id", "call_x",
                "output", "1")))).error()).containsEntry("param", "input[0].call_id");
        assertThat(post(body("include", List.of("file_search_call.results"))).error())
                .containsEntry("param", "include[0]");
        assertThat(post(body("model", "nope")).status()).isEqualTo(404);
        assertThat(sent.get()).isNull();
    }

    @Test
    void unknownFieldsAndTheOnesThatDoNotChangeTheAnswer_areIgnored_asCodexSendsThem() {
        HandlerAnswer a = post(body("client_metadata", Map.of("x", "y"), "prompt_cache_key", "k", "store", false,
                "include", List.of("reasoning.encrypted_content"), "truncation", "auto", "parallel_tool_calls", true,
                "input", List.of(Map.of("type", "message", "id", "msg_1", "role", "developer", "content",
                        List.of(Map.of("type", "input_text", "text", "System one."))),
                        Map.of("type", "message", "id", "msg_2", "role", "user", "content",
                                List.of(Map.of("type", "input_text", "text", "Hi"))))));

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(sent.get().system().get(0).text()).isEqualTo("System one.");
    }
}
