package io.llmgateway.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.llmgateway.backend.BedrockStub.CONVERSE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Prompt caching through the handler, the real AWS SDK client and a Bedrock stub on loopback: where
 * the Converse request carries {@code cachePoint} blocks, that it never carries more than four or any
 * to a model without caching, and how Bedrock's cache usage comes back to the client and to metering.
 */
class PromptCachingStubTest {

    private static final String SONNET = "claude-sonnet";
    private static final String SONNET_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String OPUS = "claude-opus";
    private static final String OPUS_ID = "global.anthropic.claude-opus-4-5-20251101-v1:0";
    private static final Map<String, Object> EPHEMERAL = Map.of("type", "ephemeral");
    private static final Map<String, Object> POINT = Map.of("cachePoint", Map.of("type", "default"));
    private static final Map<String, Object> POINT_1H = Map.of("cachePoint", Map.of("type", "default", "ttl", "1h"));

    @RegisterExtension
    static final BedrockStub STUB = new BedrockStub();

    private final List<String> log = new ArrayList<>();
    private final RecordingMetering metering = new RecordingMetering();

    @BeforeEach
    void setUp() {
        answerWith("{\"inputTokens\":18,\"outputTokens\":9,\"totalTokens\":27}");
    }

    private static void answerWith(String usage) {
        STUB.server().stubFor(post(urlPathMatching(CONVERSE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"output\":{\"message\":{\"content\":[{\"text\":\"Hi.\"}],\"role\":\"assistant\"}},"
                        + "\"stopReason\":\"end_turn\",\"usage\":" + usage + "}")));
    }

    private static BackendSettings settings(Map<String, String> promptCache) {
        Map<String, String> models = new LinkedHashMap<>();
        models.put(TestSettings.HAIKU, TestSettings.HAIKU_ID);
        models.put(TestSettings.NOVA, TestSettings.NOVA_ID);
        models.put(SONNET, SONNET_ID);
        models.put(OPUS, OPUS_ID);
        return new BackendSettings(models, 512, 4096, 1024 * 1024, 29_000, Map.of(), List.of(), 256, Map.of(),
                promptCache);
    }

    private HandlerAnswer send(Map<String, ?> body) {
        return send(settings(Map.of()), body);
    }

    private HandlerAnswer send(BackendSettings settings, Map<String, ?> body) {
        BackendHandler handler = new BackendHandler(STUB.client(), settings, metering, TestEvents.clock(), log::add);
        return HandlerAnswer.invoke(handler, TestEvents.chat(body), TestContext.fresh());
    }

    private static Map<String, Object> sentBody() throws IOException {
        List<LoggedRequest> calls = STUB.converseCalls();
        assertThat(calls).hasSize(1);
        return Json.readObject(calls.get(0).getBodyAsString());
    }

    private Map<String, Object> logLine() throws IOException {
        return Json.readObject(log.get(log.size() - 1));
    }

    private static Map<String, Object> text(String text, Map<String, Object> cacheControl) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("type", "text");
        part.put("text", text);
        if (cacheControl != null) {
            part.put("cache_control", cacheControl);
        }
        return part;
    }

    private static Map<String, Object> message(String role, Object... parts) {
        return Map.of("role", role, "content", List.of(parts));
    }

    private static Map<String, Object> tool(String name, Map<String, Object> cacheControl) {
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("type", "function");
        tool.put("function", Map.of("name", name, "parameters", Map.of("type", "object")));
        if (cacheControl != null) {
            tool.put("cache_control", cacheControl);
        }
        return tool;
    }

    /** Every cachePoint block anywhere in the Converse body. */
    @SuppressWarnings("unchecked")
    private static int cachePoints(Object node) {
        if (node instanceof Map<?, ?> map) {
            int n = map.containsKey("cachePoint") ? 1 : 0;
            for (Object value : map.values()) {
                n += cachePoints(value);
            }
            return n;
        }
        if (node instanceof List<?> list) {
            return list.stream().mapToInt(PromptCachingStubTest::cachePoints).sum();
        }
        return 0;
    }

    @Test
    void chat_markedSystemUserAndTool_converseCarriesACachePointAfterEachMarkedBlock() throws IOException {
        HandlerAnswer answer = send(Map.of("model", SONNET,
                "messages", List.of(
                        message("system", text("You are terse.", EPHEMERAL)),
                        message("user", text("Long document.", EPHEMERAL), text("Question?", null))),
                "tools", List.of(tool("lookup", EPHEMERAL), tool("other", null))));

        assertThat(answer.status()).isEqualTo(200);
        Map<String, Object> body = sentBody();
        assertThat(body.get("system")).isEqualTo(List.of(Map.of("text", "You are terse."), POINT));
        assertThat(body.get("messages")).isEqualTo(List.of(Map.of("role", "user", "content", List.of(
                Map.of("text", "Long document."), POINT, Map.of("text", "Question?")))));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tools = (List<Map<String, Object>>) ((Map<String, Object>) body.get("toolConfig"))
                .get("tools");
        assertThat(tools).hasSize(3);
        assertThat(((Map<?, ?>) tools.get(0).get("toolSpec")).get("name")).isEqualTo("lookup");
        assertThat(tools.get(1)).isEqualTo(POINT);
        assertThat(((Map<?, ?>) tools.get(2).get("toolSpec")).get("name")).isEqualTo("other");
        assertThat(logLine()).containsEntry("cachePoints", 3).doesNotContainKey("cachePointsDropped");
        assertThat(metering.events).anyMatch(e -> e.startsWith("reserve") && e.endsWith("cache=SHORT"));
    }

    @Test
    void chat_sixMarkers_sendsTheLatestFour() throws IOException {
        List<Object> messages = new ArrayList<>();
        messages.add(message("system", text("System one.", EPHEMERAL), text("System two.", EPHEMERAL)));
        for (int i = 0; i < 4; i++) {
            messages.add(message(i % 2 == 0 ? "user" : "assistant", text("Turn " + i + ".", EPHEMERAL)));
        }

        HandlerAnswer answer = send(Map.of("model", SONNET, "messages", messages));

        assertThat(answer.status()).isEqualTo(200);
        Map<String, Object> body = sentBody();
        assertThat(cachePoints(body)).isEqualTo(4);
        assertThat(body.get("system")).isEqualTo(List.of(Map.of("text", "System one."), Map.of("text", "System two.")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> sent = (List<Map<String, Object>>) body.get("messages");
        assertThat(sent).allSatisfy(m -> assertThat((List<?>) m.get("content")).hasSize(2).last().isEqualTo(POINT));
        assertThat(logLine()).containsEntry("cachePoints", 4).containsEntry("cachePointsDropped", 2)
                .containsEntry("cachePointsDroppedWhy", "over_4");
    }

    @Test
    void chat_modelWithoutCaching_sendsNoCachePoint_andNotesTheDroppedMarkers() throws IOException {
        HandlerAnswer answer = send(Map.of("model", TestSettings.HAIKU,
                "messages", List.of(message("system", text("You are terse.", EPHEMERAL)),
                        message("user", text("Hello.", Map.of("type", "ephemeral", "ttl", "1h")))),
                "tools", List.of(tool("lookup", EPHEMERAL))));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(cachePoints(sentBody())).isZero();
        Map<String, Object> line = logLine();
        assertThat(line).containsEntry("cachePointsDropped", 3)
                .containsEntry("cachePointsDroppedWhy", "model_without_caching").doesNotContainKey("cachePoints");
        assertThat(log.get(log.size() - 1)).doesNotContain("You are terse").doesNotContain("Hello.");
        assertThat(metering.events).noneMatch(e -> e.contains("cache="));
    }

    @Test
    void chat_nova_dropsTheToolMarker_andLowersOneHourToTheDefault() throws IOException {
        HandlerAnswer answer = send(Map.of("model", TestSettings.NOVA,
                "messages", List.of(message("system", text("You are terse.", Map.of("type", "ephemeral", "ttl", "1h"))),
                        message("user", text("Hello.", null))),
                "tools", List.of(tool("lookup", EPHEMERAL))));

        assertThat(answer.status()).isEqualTo(200);
        Map<String, Object> body = sentBody();
        assertThat(body.get("system")).isEqualTo(List.of(Map.of("text", "You are terse."), POINT));
        assertThat(cachePoints(body)).isEqualTo(1);
        assertThat(logLine()).containsEntry("cachePointsDropped", 1)
                .containsEntry("cachePointsDroppedWhy", "tools_not_cacheable").containsEntry("cacheTtlLowered", 1);
    }

    @Test
    void chat_oneHourAfterFiveMinutes_isLowered_becauseBedrockWantsLongerTtlsFirst() throws IOException {
        HandlerAnswer answer = send(Map.of("model", OPUS,
                "messages", List.of(message("system", text("You are terse.", Map.of("type", "ephemeral", "ttl", "1h"))),
                        message("user", text("Doc.", EPHEMERAL), text("More.", Map.of("type", "ephemeral", "ttl", "1h"))))));

        assertThat(answer.status()).isEqualTo(200);
        Map<String, Object> body = sentBody();
        assertThat(body.get("system")).isEqualTo(List.of(Map.of("text", "You are terse."), POINT_1H));
        assertThat(body.get("messages")).isEqualTo(List.of(Map.of("role", "user", "content", List.of(
                Map.of("text", "Doc."), POINT, Map.of("text", "More."), POINT))));
        assertThat(logLine()).containsEntry("cacheTtlLowered", 1);
        assertThat(metering.events).anyMatch(e -> e.startsWith("reserve") && e.endsWith("cache=LONG"));
    }

    @Test
    void chat_badCacheControl_is400NamingTheField() throws IOException {
        HandlerAnswer wrongType = send(Map.of("model", SONNET, "messages", List.of(
                message("user", text("Hello.", Map.of("type", "persistent"))))));
        HandlerAnswer wrongTtl = send(Map.of("model", SONNET, "messages", List.of(message("user", text("Hello.", null))),
                "tools", List.of(tool("lookup", Map.of("type", "ephemeral", "ttl", "2h")))));

        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().toString()).contains("messages[0].content[0].cache_control.type")
                .contains("'ephemeral'");
        assertThat(wrongTtl.status()).isEqualTo(400);
        assertThat(wrongTtl.json().toString()).contains("tools[0].cache_control.ttl").contains("'5m' and '1h'");
        assertThat(STUB.converseCalls()).isEmpty();
    }

    @Test
    void chat_automaticCaching_placesPointsAfterToolsAndSystem_onlyWhenThePrefixReachesTheMinimum() throws IOException {
        BackendSettings automatic = settings(Map.of(SONNET, "5m"));
        String longPrompt = "word ".repeat(4 * 4096); // well above Sonnet 4.5's 4,096 tokens by any count
        send(automatic, Map.of("model", SONNET,
                "messages", List.of(message("system", text(longPrompt, null)), message("user", text("Hi.", null))),
                "tools", List.of(tool("lookup", null))));
        Map<String, Object> body = sentBody();
        assertThat(body.get("system")).isEqualTo(List.of(Map.of("text", longPrompt), POINT));
        // The one tool is a short prefix: no point after it.
        assertThat(cachePoints(body.get("toolConfig"))).isZero();
        assertThat(logLine()).containsEntry("cachePointsAutomatic", 1);

        STUB.server().resetRequests();
        send(automatic, Map.of("model", SONNET,
                "messages", List.of(message("system", text("Short.", null)), message("user", text("Hi.", null)))));
        assertThat(cachePoints(sentBody())).isZero();

        STUB.server().resetRequests();
        send(settings(Map.of()), Map.of("model", SONNET,
                "messages", List.of(message("system", text(longPrompt, null)), message("user", text("Hi.", null)))));
        assertThat(cachePoints(sentBody())).as("not set for the alias").isZero();
    }

    @Test
    void chat_cacheUsage_countsInPromptTokens_andDetailsAndMeteringSplitIt() throws IOException {
        answerWith("{\"inputTokens\":12,\"outputTokens\":9,\"totalTokens\":5021,\"cacheReadInputTokens\":3000,"
                + "\"cacheWriteInputTokens\":2000,\"cacheDetails\":[{\"ttl\":\"5m\",\"inputTokens\":2000}]}");

        HandlerAnswer answer = send(Map.of("model", SONNET,
                "messages", List.of(message("system", text("You are terse.", EPHEMERAL)), message("user", text("Hi.", null)))));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("usage")).isEqualTo(Map.of("prompt_tokens", 5012, "completion_tokens", 9,
                "total_tokens", 5021, "prompt_tokens_details", Map.of("cached_tokens", 3000, "cache_write_tokens", 2000)));
        assertThat(metering.outcome()).isEqualTo("settle 5012 9 cache 3000 2000");
        Map<String, Object> line = logLine();
        assertThat(line).containsEntry("inputTokens", 5012).containsEntry("cacheReadTokens", 3000)
                .containsEntry("cacheWriteTokens", 2000).containsEntry("CacheReadTokens", 3000)
                .containsEntry("CacheWriteTokens", 2000);
    }

    @Test
    void chat_streamedUsageChunk_carriesTheSameDetails() throws IOException {
        answerWith("{\"inputTokens\":12,\"outputTokens\":9,\"totalTokens\":3021,\"cacheReadInputTokens\":3000,"
                + "\"cacheWriteInputTokens\":0}");

        HandlerAnswer answer = send(Map.of("model", SONNET, "stream", true,
                "stream_options", Map.of("include_usage", true),
                "messages", List.of(message("user", text("Hi.", EPHEMERAL)))));

        assertThat(answer.status()).isEqualTo(200);
        String events = answer.body();
        String last = events.lines().filter(l -> l.startsWith("data: {")).reduce((a, b) -> b).orElseThrow();
        assertThat(Json.readObject(last.substring("data: ".length())).get("usage")).isEqualTo(Map.of(
                "prompt_tokens", 3012, "completion_tokens", 9, "total_tokens", 3021,
                "prompt_tokens_details", Map.of("cached_tokens", 3000, "cache_write_tokens", 0)));
    }
}
