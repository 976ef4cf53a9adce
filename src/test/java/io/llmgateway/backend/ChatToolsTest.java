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
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ToolChoice;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Tools, images, JSON output and reasoning through the handler: what Converse is sent, and how its
 * answer comes back in OpenAI's shapes. Bedrock is an in-process fake that records the request.
 */
class ChatToolsTest {

    static final String NOVA = "nova";
    static final String SONNET45 = "sonnet-45";
    static final String SONNET4 = "sonnet-4";
    static final String NOVA2 = "nova-2";
    static final String GPT_OSS = "gpt-oss";

    private final AtomicReference<ConverseRequest> sent = new AtomicReference<>();
    private ConverseResponse answer = FakeBedrock.response("Fine.", StopReason.END_TURN, 10, 2);

    private static BackendSettings settings() {
        Map<String, String> models = new LinkedHashMap<>();
        models.put(NOVA, "amazon.nova-micro-v1:0");
        models.put(SONNET45, "us.anthropic.claude-sonnet-4-5-20250929-v1:0");
        models.put(SONNET4, "anthropic.claude-sonnet-4-20250514-v1:0");
        models.put(NOVA2, "us.amazon.nova-2-lite-v1:0");
        models.put(GPT_OSS, "openai.gpt-oss-120b-1:0");
        return new BackendSettings(models, 512, 32_000, 8 << 20, 29_000, Map.of(Route.CHAT_COMPLETIONS.throttlePath(), 2.0));
    }

    private HandlerAnswer chat(Map<String, Object> body) {
        BackendHandler handler = new BackendHandler(new FakeBedrock(request -> {
            sent.set(request);
            return answer;
        }), settings(), TestEvents.clock(), line -> { });
        return HandlerAnswer.invoke(handler, TestEvents.chat(body), TestContext.fresh());
    }

    static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", NOVA);
        body.put("messages", List.of(Map.of("role", "user", "content", "What is the weather in Paris?")));
        for (int i = 0; i < keyValues.length; i += 2) {
            body.put((String) keyValues[i], keyValues[i + 1]);
        }
        return body;
    }

    static final Map<String, Object> WEATHER_SCHEMA = Map.of("type", "object",
            "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"));
    static final Map<String, Object> WEATHER = Map.of("type", "function", "function", Map.of(
            "name", "get_weather", "description", "The weather in a city", "parameters", WEATHER_SCHEMA));
    static final Map<String, Object> TIME = Map.of("type", "function", "function", Map.of("name", "get_time"));

    private static ConverseResponse toolUse(String text, ToolUseBlock... uses) {
        List<ContentBlock> content = new ArrayList<>();
        if (text != null) {
            content.add(ContentBlock.fromText(text));
        }
        for (ToolUseBlock use : uses) {
            content.add(ContentBlock.fromToolUse(use));
        }
        return FakeBedrock.response(content, StopReason.TOOL_USE, 40, 12);
    }

    private static ToolUseBlock use(String id, String name, Map<String, Document> input) {
        return ToolUseBlock.builder().toolUseId(id).name(name).input(Document.fromMap(input)).build();
    }

    // ---- tools

    @Test
    void tools_becomeToolSpecsWithTheirJsonSchema_andAutoChoice() {
        chat(body("tools", List.of(WEATHER, TIME)));

        var config = sent.get().toolConfig();
        assertThat(config.tools()).hasSize(2);
        assertThat(config.tools().get(0).toolSpec().name()).isEqualTo("get_weather");
        assertThat(config.tools().get(0).toolSpec().description()).isEqualTo("The weather in a city");
        assertThat(config.tools().get(0).toolSpec().inputSchema().json()).isEqualTo(Document.fromMap(Map.of(
                "type", Document.fromString("object"),
                "properties", Document.fromMap(Map.of("city", Document.fromMap(Map.of("type", Document.fromString("string"))))),
                "required", Document.fromList(List.of(Document.fromString("city"))))));
        // No parameters: an object without properties, which every model takes.
        assertThat(config.tools().get(1).toolSpec().description()).isNull();
        assertThat(config.tools().get(1).toolSpec().inputSchema().json().asMap()).containsKey("type");
        assertThat(config.toolChoice().type()).isEqualTo(ToolChoice.Type.AUTO);
    }

    @Test
    void toolChoice_requiredIsAny_andANamedFunctionIsTool() {
        chat(body("tools", List.of(WEATHER, TIME), "tool_choice", "required"));
        assertThat(sent.get().toolConfig().toolChoice().type()).isEqualTo(ToolChoice.Type.ANY);

        chat(body("tools", List.of(WEATHER, TIME), "tool_choice",
                Map.of("type", "function", "function", Map.of("name", "get_time"))));
        assertThat(sent.get().toolConfig().toolChoice().tool().name()).isEqualTo("get_time");
    }

    @Test
    void toolChoice_thatNamesNoOfferedTool_orRequiredWithoutTools_isA400() {
        assertThat(chat(body("tools", List.of(WEATHER), "tool_choice",
                Map.of("type", "function", "function", Map.of("name", "nope")))).error())
                .containsEntry("param", "tool_choice").containsEntry("code", "invalid_value");
        assertThat(chat(body("tool_choice", "required")).error()).containsEntry("param", "tool_choice");
        assertThat(chat(body("tools", List.of(Map.of("type", "function", "function", Map.of("name", "has space"))))).error())
                .containsEntry("param", "tools[0].function.name");
        assertThat(chat(body("tools", List.of(WEATHER, WEATHER))).error()).containsEntry("param", "tools[1].function.name");
    }

    @Test
    void aToolUseAnswer_isToolCallsWithJsonStringArguments_andTheTextIsKept() {
        answer = toolUse("Let me look that up.", use("tooluse_1", "get_weather", Map.of("city", Document.fromString("Paris"))));

        HandlerAnswer answer = chat(body("tools", List.of(WEATHER)));

        assertThat(answer.status()).isEqualTo(200);
        Map<String, Object> json = answer.json();
        assertThat(JsonPath.<Object>at(json, "choices", "0", "finish_reason")).isEqualTo("tool_calls");
        assertThat(JsonPath.<Object>at(json, "choices", "0", "message", "content")).isEqualTo("Let me look that up.");
        assertThat(JsonPath.<Object>at(json, "choices", "0", "message", "tool_calls")).isEqualTo(List.of(Map.of(
                "id", "tooluse_1", "type", "function",
                "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Paris\"}"))));
    }

    @Test
    void parallelToolCalls_areAllReturned_unlessTheClientAsksForOne() {
        answer = toolUse(null, use("t1", "get_weather", Map.of("city", Document.fromString("Paris"))),
                use("t2", "get_time", Map.of()));

        List<Map<String, Object>> all = at(chat(body("tools", List.of(WEATHER, TIME))).json(),
                "choices", "0", "message", "tool_calls");
        List<Map<String, Object>> one = at(chat(body("tools", List.of(WEATHER, TIME), "parallel_tool_calls", false)).json(),
                "choices", "0", "message", "tool_calls");
        Map<String, Object> onlyCalls = chat(body("tools", List.of(WEATHER, TIME))).json();

        assertThat(all).extracting(c -> c.get("id")).containsExactly("t1", "t2");
        assertThat(one).extracting(c -> c.get("id")).containsExactly("t1");
        // OpenAI's content is null when the model only called tools.
        assertThat(JsonPath.<Object>at(onlyCalls, "choices", "0", "message", "content")).isNull();
    }

    @Test
    void aToolRoundTrip_becomesToolUseAndToolResultBlocks_withConsecutiveResultsInOneUserTurn() {
        chat(body("tools", List.of(WEATHER, TIME), "messages", List.of(
                Map.of("role", "user", "content", "Weather and time in Paris?"),
                Map.of("role", "assistant", "content", "", "tool_calls", List.of(
                        Map.of("id", "call_1", "type", "function",
                                "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Paris\"}")),
                        Map.of("id", "call_2", "type", "function",
                                "function", Map.of("name", "get_time", "arguments", "")))),
                Map.of("role", "tool", "tool_call_id", "call_1", "content", "18°C, sunny"),
                Map.of("role", "tool", "tool_call_id", "call_2", "content", List.of(Map.of("type", "text", "text", "14:05"))),
                Map.of("role", "user", "content", "Thanks!"))));

        List<Message> messages = sent.get().messages();
        assertThat(messages).extracting(Message::role).containsExactly(ConversationRole.USER, ConversationRole.ASSISTANT,
                ConversationRole.USER);
        assertThat(messages.get(1).content()).containsExactly(
                ContentBlock.fromToolUse(use("call_1", "get_weather", Map.of("city", Document.fromString("Paris")))),
                ContentBlock.fromToolUse(use("call_2", "get_time", Map.of())));
        assertThat(messages.get(2).content()).containsExactly(
                ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId("call_1")
                        .content(ToolResultContentBlock.fromText("18°C, sunny")).build()),
                ContentBlock.fromToolResult(ToolResultBlock.builder().toolUseId("call_2")
                        .content(ToolResultContentBlock.fromText("14:05")).build()),
                ContentBlock.fromText("Thanks!"));
    }

    @Test
    void toolChoiceNone_offersNoTools_andTheHistorysToolBlocksGoInAsText() {
        chat(body("tools", List.of(WEATHER), "tool_choice", "none", "messages", List.of(
                Map.of("role", "user", "content", "Weather?"),
                Map.of("role", "assistant", "tool_calls", List.of(Map.of("id", "call_1", "type", "function",
                        "function", Map.of("name", "get_weather", "arguments", "{\"city\":\"Paris\"}")))),
                Map.of("role", "tool", "tool_call_id", "call_1", "content", "sunny"))));

        assertThat(sent.get().toolConfig()).isNull();
        assertThat(sent.get().messages().get(1).content()).containsExactly(
                ContentBlock.fromText("[called tool get_weather (call_1) with {\"city\":\"Paris\"}]"));
        assertThat(sent.get().messages().get(2).content()).containsExactly(
                ContentBlock.fromText("[tool result for call_1] sunny"));
    }

    @Test
    void badToolMessages_are400sNamingTheField() {
        assertThat(chat(body("messages", List.of(Map.of("role", "user", "content", "x"),
                Map.of("role", "assistant", "tool_calls", List.of(Map.of("id", "c1", "type", "function",
                        "function", Map.of("name", "f", "arguments", "{not json"))))))).error())
                .containsEntry("param", "messages[1].tool_calls[0].function.arguments").containsEntry("code", "invalid_value");
        assertThat(chat(body("messages", List.of(Map.of("role", "tool", "content", "x")))).error())
                .containsEntry("param", "messages[0].tool_call_id").containsEntry("code", "missing_required_parameter");
        assertThat(chat(body("messages", List.of(Map.of("role", "tool", "tool_call_id", "bad id!", "content", "x")))).error())
                .containsEntry("param", "messages[0].tool_call_id");
        assertThat(chat(body("messages", List.of(Map.of("role", "user", "content", "x"),
                Map.of("role", "assistant", "tool_calls", List.of(Map.of("id", "c1")))))).error())
                .containsEntry("param", "messages[1].tool_calls[0].function");
    }

    // ---- streaming

    @Test
    void aStreamedToolCall_hasIndexIdAndName_thenArgumentFragmentsThatJoinToTheArguments() throws Exception {
        answer = toolUse("Checking.", use("t1", "get_weather", Map.of("city", Document.fromString("Paris"),
                        "unit", Document.fromString("celsius"), "days", Document.fromNumber(3))),
                use("t2", "get_time", Map.of()));

        HandlerAnswer answer = chat(body("tools", List.of(WEATHER, TIME), "stream", true));

        List<Map<String, Object>> chunks = BackendHandlerTest.events(answer.body());
        Map<Integer, StringBuilder> arguments = new LinkedHashMap<>();
        Map<Integer, String> ids = new LinkedHashMap<>();
        Map<Integer, String> names = new LinkedHashMap<>();
        int fragments = 0;
        for (Map<String, Object> chunk : chunks) {
            List<Map<String, Object>> calls = at(chunk, "choices", "0", "delta", "tool_calls");
            if (calls == null) {
                continue;
            }
            for (Map<String, Object> call : calls) {
                int index = (Integer) call.get("index");
                if (call.get("id") != null) {
                    ids.put(index, (String) call.get("id"));
                    names.put(index, at(call, "function", "name"));
                }
                String piece = at(call, "function", "arguments");
                if (!piece.isEmpty()) {
                    fragments++;
                }
                arguments.computeIfAbsent(index, i -> new StringBuilder()).append(piece);
            }
        }
        assertThat(ids).containsExactly(Map.entry(0, "t1"), Map.entry(1, "t2"));
        assertThat(names).containsExactly(Map.entry(0, "get_weather"), Map.entry(1, "get_time"));
        assertThat(Json.readObject(arguments.get(0).toString())).isEqualTo(Map.of("city", "Paris", "unit", "celsius", "days", 3));
        assertThat(arguments.get(1).toString()).isEqualTo("{}");
        assertThat(fragments).isGreaterThan(2);
        assertThat(chunks.toString()).contains("content=Checking.");
        assertThat(JsonPath.<Object>at(chunks.get(chunks.size() - 1), "choices", "0", "finish_reason"))
                .isEqualTo("tool_calls");
    }

    // ---- images

    private static Map<String, Object> imageMessage(String url) {
        return Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "What is this?"),
                Map.of("type", "image_url", "image_url", Map.of("url", url, "detail", "low"))));
    }

    @Test
    void aDataUrlImage_isAnImageBlockOfItsBytes_inTheFormatTheBytesHave() {
        // Declared jpeg, but the bytes are a png: Bedrock checks, so the bytes decide.
        chat(body("messages", List.of(imageMessage(Images.dataUrl("image/jpeg", Images.PNG)))));

        assertThat(sent.get().messages().get(0).content()).containsExactly(ContentBlock.fromText("What is this?"),
                ContentBlock.fromImage(ImageBlock.builder().format(ImageFormat.PNG)
                        .source(ImageSource.fromBytes(SdkBytes.fromByteArray(Images.PNG))).build()));
    }

    @Test
    void everyFormatConverseTakes_isAccepted() {
        for (var image : Map.of("image/gif", Images.GIF, "image/jpeg", Images.JPEG, "image/webp", Images.WEBP).entrySet()) {
            assertThat(chat(body("messages", List.of(imageMessage(Images.dataUrl(image.getKey(), image.getValue())))))
                    .status()).as(image.getKey()).isEqualTo(200);
        }
    }

    @Test
    void images_outsideBedrocksLimits_orNotInline_are400s() {
        assertThat(chat(body("messages", List.of(imageMessage("https://169.254.169.254/latest/meta-data")))).error())
                .containsEntry("code", "unsupported_parameter")
                .containsEntry("param", "messages[0].content[1].image_url.url")
                .hasEntrySatisfying("message", m -> assertThat((String) m).contains("does not fetch", "data:image/png;base64"));
        assertThat(sent.get()).isNull();
        assertThat(chat(body("messages", List.of(imageMessage("data:image/bmp;base64,Qk0=")))).error())
                .hasEntrySatisfying("message", m -> assertThat((String) m).contains("image/png, image/jpeg"));
        assertThat(chat(body("messages", List.of(imageMessage("data:image/png;base64,%%%")))).error())
                .hasEntrySatisfying("message", m -> assertThat((String) m).contains("not valid base64"));
        assertThat(chat(body("messages", List.of(imageMessage(Images.dataUrl("image/png", "plain text".getBytes()))))).error())
                .hasEntrySatisfying("message", m -> assertThat((String) m).contains("not a png, jpeg, gif or webp"));
        assertThat(chat(body("messages", List.of(imageMessage(Images.dataUrl("image/png", Images.pngOfSize(8001, 10)))))).error())
                .hasEntrySatisfying("message", m -> assertThat((String) m).contains("8001x10", "8000"));
        byte[] large = java.util.Arrays.copyOf(Images.PNG, 3_932_161);
        assertThat(chat(body("messages", List.of(imageMessage(Images.dataUrl("image/png", large))))).error())
                .hasEntrySatisfying("message", m -> assertThat((String) m).contains("3.75 MB"));
        List<Object> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add(Map.of("type", "image_url", "image_url", Map.of("url", Images.dataUrl("image/png", Images.PNG))));
        }
        assertThat(chat(body("messages", List.of(Map.of("role", "user", "content", many)))).error())
                .containsEntry("param", "messages[0].content[20].image_url.url")
                .hasEntrySatisfying("message", m -> assertThat((String) m).contains("at most 20"));
        assertThat(chat(body("messages", List.of(Map.of("role", "user", "content", "x"), Map.of("role", "assistant",
                "content", List.of(Map.of("type", "image_url", "image_url", Map.of("url",
                        Images.dataUrl("image/png", Images.PNG)))))))).error())
                .containsEntry("param", "messages[1].content[0].type");
    }

    // ---- structured output

    static final Map<String, Object> PERSON = Map.of("type", "object", "properties",
            Map.of("name", Map.of("type", "string"), "age", Map.of("type", "integer")), "required", List.of("name", "age"),
            "additionalProperties", false);

    private static Map<String, Object> jsonSchema(String name) {
        return Map.of("type", "json_schema", "json_schema", Map.of("name", name, "schema", PERSON, "strict", true));
    }

    @Test
    void jsonSchema_onAModelWithoutStructuredOutputs_isAForcedTool_whoseInputIsTheContent() throws Exception {
        answer = toolUse(null, use("t1", "person", Map.of("name", Document.fromString("Ada"), "age", Document.fromNumber(36))));

        HandlerAnswer answer = chat(body("response_format", jsonSchema("person")));

        var config = sent.get().toolConfig();
        assertThat(config.tools()).singleElement().satisfies(t -> assertThat(t.toolSpec().name()).isEqualTo("person"));
        assertThat(config.toolChoice().tool().name()).isEqualTo("person");
        assertThat(sent.get().outputConfig()).isNull();
        Map<String, Object> json = answer.json();
        assertThat(Json.readObject(JsonPath.<String>at(json, "choices", "0", "message", "content")))
                .isEqualTo(Map.of("name", "Ada", "age", 36));
        assertThat(JsonPath.<Map<String, Object>>at(json, "choices", "0", "message")).doesNotContainKey("tool_calls");
        assertThat(JsonPath.<Object>at(json, "choices", "0", "finish_reason")).isEqualTo("stop");
    }

    @Test
    void jsonSchema_onAModelWithStructuredOutputs_isTheOutputConfigsJsonSchema() throws Exception {
        answer = FakeBedrock.response("{\"name\":\"Ada\",\"age\":36}", StopReason.END_TURN, 30, 9);

        HandlerAnswer answer = chat(body("model", SONNET45, "response_format", jsonSchema("person")));

        var format = sent.get().outputConfig().textFormat();
        assertThat(format.typeAsString()).isEqualTo("json_schema");
        assertThat(format.structure().jsonSchema().name()).isEqualTo("person");
        assertThat(Json.readObject(format.structure().jsonSchema().schema())).isEqualTo(PERSON);
        assertThat(sent.get().toolConfig()).isNull();
        assertThat(JsonPath.<Object>at(answer.json(), "choices", "0", "message", "content"))
                .isEqualTo("{\"name\":\"Ada\",\"age\":36}");
    }

    @Test
    void jsonObject_isAForcedToolOfAnyObject() {
        answer = toolUse(null, use("t1", "json_object", Map.of("ok", Document.fromBoolean(true))));

        HandlerAnswer answer = chat(body("response_format", Map.of("type", "json_object")));

        assertThat(sent.get().toolConfig().toolChoice().tool().name()).isEqualTo("json_object");
        assertThat(JsonPath.<Object>at(answer.json(), "choices", "0", "message", "content")).isEqualTo("{\"ok\":true}");
    }

    @Test
    void jsonSchema_withTools_letsTheModelCallATool_orAnswerThroughTheSchema() {
        answer = toolUse(null, use("t1", "get_weather", Map.of("city", Document.fromString("Paris"))));

        HandlerAnswer answer = chat(body("tools", List.of(WEATHER), "response_format", jsonSchema("person")));

        assertThat(sent.get().toolConfig().tools()).extracting(t -> t.toolSpec().name()).containsExactly("get_weather", "person");
        assertThat(sent.get().toolConfig().toolChoice().type()).isEqualTo(ToolChoice.Type.ANY);
        assertThat(JsonPath.<Object>at(answer.json(), "choices", "0", "finish_reason")).isEqualTo("tool_calls");
        assertThat(chat(body("tools", List.of(WEATHER), "response_format", jsonSchema("get_weather"))).error())
                .containsEntry("param", "response_format.json_schema.name");
    }

    // ---- reasoning

    @Test
    void reasoningEffort_mapsToEachFamilysReasoningConfiguration() {
        chat(body("model", SONNET4, "reasoning_effort", "medium", "max_completion_tokens", 8000));
        assertThat(sent.get().additionalModelRequestFields()).isEqualTo(Document.fromMap(Map.of("thinking",
                Document.fromMap(Map.of("type", Document.fromString("enabled"), "budget_tokens", Document.fromNumber(4096))))));

        chat(body("model", SONNET4, "reasoning_effort", "high", "max_completion_tokens", 8000));
        assertThat(sent.get().additionalModelRequestFields().asMap().get("thinking").asMap().get("budget_tokens"))
                .isEqualTo(Document.fromNumber(7999));

        chat(body("model", NOVA2, "reasoning_effort", "minimal"));
        assertThat(sent.get().additionalModelRequestFields()).isEqualTo(Document.fromMap(Map.of("reasoningConfig",
                Document.fromMap(Map.of("type", Document.fromString("enabled"), "maxReasoningEffort", Document.fromString("low"))))));

        chat(body("model", GPT_OSS, "reasoning_effort", "high"));
        assertThat(sent.get().additionalModelRequestFields()).isEqualTo(Document.fromMap(Map.of("reasoning_effort",
                Document.fromString("high"))));

        chat(body("model", GPT_OSS, "reasoning_effort", "none"));
        assertThat(sent.get().additionalModelRequestFields()).isNull();
    }

    /**
     * Token metering may grant less than the max_tokens asked: a thinking budget is lowered below what is
     * granted, or dropped when Anthropic's minimum of 1,024 no longer fits, so the call never becomes
     * Bedrock's 400; the log line says which.
     */
    @Test
    void aMaxTokensLoweredByMetering_lowersTheThinkingBudgetWithIt_orDropsReasoningWhenItNoLongerFits()
            throws Exception {
        RecordingMetering metering = new RecordingMetering();
        List<String> log = new ArrayList<>();
        BackendHandler handler = new BackendHandler(new FakeBedrock(request -> {
            sent.set(request);
            return answer;
        }), settings(), metering, TestEvents.clock(), log::add);
        Map<String, Object> high = body("model", SONNET4, "reasoning_effort", "high", "max_completion_tokens", 20_000);

        metering.grantedOutput = 9994;
        assertThat(HandlerAnswer.invoke(handler, TestEvents.chat(high), TestContext.fresh()).status()).isEqualTo(200);
        assertThat(sent.get().inferenceConfig().maxTokens()).isEqualTo(9994);
        assertThat(sent.get().additionalModelRequestFields().asMap().get("thinking").asMap().get("budget_tokens"))
                .isEqualTo(Document.fromNumber(9993));
        assertThat(Json.readObject(log.get(0))).containsEntry("reasoning", "budget_lowered");

        metering.grantedOutput = 1024;
        assertThat(HandlerAnswer.invoke(handler, TestEvents.chat(high), TestContext.fresh()).status()).isEqualTo(200);
        assertThat(sent.get().inferenceConfig().maxTokens()).isEqualTo(1024);
        assertThat(sent.get().additionalModelRequestFields()).isNull();
        assertThat(Json.readObject(log.get(1))).containsEntry("reasoning", "dropped");

        metering.grantedOutput = 18_000;
        HandlerAnswer roomy = HandlerAnswer.invoke(handler, TestEvents.chat(high), TestContext.fresh());
        assertThat(sent.get().additionalModelRequestFields().asMap().get("thinking").asMap().get("budget_tokens"))
                .as("a budget already below what is granted stays").isEqualTo(Document.fromNumber(16384));
        assertThat(roomy.status()).isEqualTo(200);
        assertThat(Json.readObject(log.get(2))).doesNotContainKey("reasoning");
    }

    @Test
    void reasoningEffort_whereTheModelCannotReason_orWithTooFewTokens_isA400() {
        assertThat(chat(body("reasoning_effort", "low")).error()).containsEntry("param", "reasoning_effort")
                .containsEntry("code", "unsupported_parameter");
        assertThat(chat(body("model", SONNET4, "reasoning_effort", "low", "max_tokens", 1000)).error())
                .containsEntry("param", "max_completion_tokens").containsEntry("code", "invalid_value");
        assertThat(chat(body("model", SONNET4, "reasoning_effort", "extreme")).error())
                .containsEntry("param", "reasoning_effort").containsEntry("code", "invalid_value");
    }

    @Test
    void reasoningText_isReasoningContent_neverMixedIntoTheContent_andStreamsAsItsOwnDelta() {
        answer = FakeBedrock.response(List.of(
                ContentBlock.fromReasoningContent(ReasoningContentBlock.fromReasoningText(
                        ReasoningTextBlock.builder().text("2 and 2 make 4.").signature("sig").build())),
                ContentBlock.fromText("4")), StopReason.END_TURN, 20, 15);

        Map<String, Object> json = chat(body("model", SONNET4, "reasoning_effort", "low", "max_tokens", 2048)).json();
        String stream = chat(body("model", SONNET4, "reasoning_effort", "low", "max_tokens", 2048, "stream", true)).body();

        assertThat(JsonPath.<Object>at(json, "choices", "0", "message", "content")).isEqualTo("4");
        assertThat(JsonPath.<Object>at(json, "choices", "0", "message", "reasoning_content")).isEqualTo("2 and 2 make 4.");
        List<Map<String, Object>> chunks = BackendHandlerTest.events(stream);
        assertThat(chunks).anySatisfy(c -> assertThat(JsonPath.<Object>at(c, "choices", "0", "delta"))
                .isEqualTo(Map.of("reasoning_content", "2 and 2 make 4.")));
        assertThat(chunks).anySatisfy(c -> assertThat(JsonPath.<Object>at(c, "choices", "0", "delta"))
                .isEqualTo(Map.of("content", "4")));
    }
}
