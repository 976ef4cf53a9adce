package io.llmgateway.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Whatever a client sends, the handler answers: no exception escapes and no client input produces a
 * 5xx, whatever the combination of tools, tool calls, tool results, content parts and roles. Bedrock is an in-process fake that answers at once, so a request that passes validation gets 200.
 */
class GatewayHandlerPropertyTest {

    private static final List<String> FIELDS = List.of("model", "messages", "max_tokens", "max_completion_tokens",
            "temperature", "top_p", "stop", "stream", "stream_options", "user", "n", "tools", "tool_choice",
            "functions", "function_call", "logprobs", "top_logprobs", "response_format", "presence_penalty",
            "frequency_penalty", "logit_bias", "audio", "modalities", "prediction", "reasoning_effort", "seed");

    /** Answers text, or calls a tool when tools were offered, so both answer paths run. */
    private final GatewayHandler handler = new GatewayHandler(new FakeBedrock(request -> request.toolConfig() == null
            ? FakeBedrock.response("Fine.", software.amazon.awssdk.services.bedrockruntime.model.StopReason.END_TURN, 3, 1)
            : FakeBedrock.response(List.of(
                    software.amazon.awssdk.services.bedrockruntime.model.ContentBlock.fromText("Calling."),
                    software.amazon.awssdk.services.bedrockruntime.model.ContentBlock.fromToolUse(
                            software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock.builder()
                                    .toolUseId("tooluse_1")
                                    .name(request.toolConfig().tools().get(0).toolSpec().name())
                                    .input(software.amazon.awssdk.core.document.Document.fromMap(Map.of()))
                                    .build())),
                    software.amazon.awssdk.services.bedrockruntime.model.StopReason.TOOL_USE, 3, 1)),
            TestSettings.settings(), TestEvents.clock(), line -> { });

    @Property(tries = 300)
    void anyJsonBody_isAnsweredBelow500(@ForAll("jsonValues") Object body) throws IOException {
        assertAnsweredBelow500(TestEvents.chat(Json.write(body)));
    }

    @Property(tries = 400)
    @StatisticsReport(StatisticsReport.StatisticsReportMode.OFF) // checked below; printed only on failure
    void chatLikeBody_withArbitraryFieldValues_isAnsweredBelow500(@ForAll("chatLikeBodies") Map<String, Object> body)
            throws IOException {
        int status = assertAnsweredBelow500(TestEvents.chat(Json.write(body)));
        // The generator must reach both sides of validation, or the property proves little.
        Statistics.collect(status == 200 ? "accepted" : "refused");
        Statistics.coverage(coverage -> {
            coverage.check("accepted").percentage(p -> p >= 5);
            coverage.check("refused").percentage(p -> p >= 5);
        });
    }

    @Property(tries = 200)
    void garbageTextBody_isAnsweredBelow500(@ForAll("garbage") String body) throws IOException {
        assertAnsweredBelow500(TestEvents.chat(body));
    }

    @Property(tries = 100)
    void garbageBase64Body_isAnsweredBelow500(@ForAll byte[] bytes, @ForAll boolean validBase64) throws IOException {
        Map<String, Object> event = TestEvents.fixtureMap("chat-completions.json");
        event.put("body", validBase64 ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.ISO_8859_1));
        event.put("isBase64Encoded", true);
        assertAnsweredBelow500(Json.writeBytes(event));
    }

    @Property(tries = 100)
    void garbageEvent_isAnsweredBelow500(@ForAll byte[] event) throws IOException {
        assertAnsweredBelow500(event);
    }

    private int assertAnsweredBelow500(byte[] event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, TestContext.fresh());

        ProxyResponse response = ProxyResponse.read(out.toByteArray());
        assertThat(response.statusCode()).isBetween(200, 499);
        assertThat(response.header("x-request-id")).isNotBlank();
        if (response.statusCode() >= 400) {
            assertThat(Json.readObject(response.bodyText())).containsOnlyKeys("error");
        }
        return response.statusCode();
    }

    @Provide
    Arbitrary<Object> jsonValues() {
        return json(3);
    }

    private static Arbitrary<Object> json(int depth) {
        Arbitrary<Object> leaf = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(-1, 0, 1, 2, 3, 4096, 5000, Integer.MAX_VALUE).map(i -> (Object) i),
                Arbitraries.of(0.0, 0.5, 1.0, 1.5, 2.0, 2.5, -0.5, 1e300).map(d -> (Object) d),
                Arbitraries.of("text", "user", "system", "assistant", "developer", "tool", "claude-haiku",
                        "none", "auto", "image_url", "").map(s -> (Object) s),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<Object> list = json(depth - 1).list().ofMaxSize(4).map(l -> (Object) l);
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("role", "content", "type", "text", "name",
                "include_usage", "tool_calls", "image_url"), Arbitraries.strings().alpha().ofMaxLength(6));
        Arbitrary<Object> map = Arbitraries.maps(keys, json(depth - 1)).ofMaxSize(4).map(m -> (Object) m);
        return Arbitraries.frequencyOf(Tuple.of(4, leaf), Tuple.of(2, list), Tuple.of(2, map));
    }

    /** A tool definition: mostly valid, sometimes broken in one way. */
    private static Arbitrary<Object> tool() {
        Arbitrary<Object> valid = Arbitraries.of("get_weather", "get_time", "search").map(name -> (Object) Map.of(
                "type", "function", "function", Map.of("name", name, "description", "d",
                        "parameters", Map.of("type", "object", "properties", Map.of("q", Map.of("type", "string"))))));
        return Arbitraries.frequencyOf(Tuple.of(6, valid), Tuple.of(1, json(2)));
    }

    /** Content parts: text, inline images (valid or not), remote images, audio and junk. */
    private static Arbitrary<Object> part() {
        Arbitrary<Object> text = Arbitraries.strings().ofMinLength(1).ofMaxLength(10)
                .map(t -> (Object) Map.of("type", "text", "text", t));
        Arbitrary<Object> image = Arbitraries.of(
                Images.dataUrl("image/png", Images.PNG), Images.dataUrl("image/jpeg", Images.GIF),
                Images.dataUrl("image/webp", Images.WEBP), Images.dataUrl("image/png", Images.pngOfSize(9000, 1)),
                "data:image/png;base64,@@", "data:image/bmp;base64,Qk0=", "data:text/plain,hi", "https://example.com/a.png",
                "http://169.254.169.254/", "", "data:")
                .map(url -> (Object) Map.of("type", "image_url", "image_url", Map.of("url", url)));
        Arbitrary<Object> other = Arbitraries.of("input_audio", "file", "refusal", "video")
                .map(type -> (Object) Map.of("type", type));
        return Arbitraries.frequencyOf(Tuple.of(5, text), Tuple.of(3, image), Tuple.of(1, other), Tuple.of(1, json(1)));
    }

    @Provide
    Arbitrary<Map<String, Object>> chatLikeBodies() {
        Arbitrary<Object> role = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of("system", "developer", "user", "assistant", "tool").map(s -> (Object) s)),
                Tuple.of(1, json(1)));
        Arbitrary<Object> content = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.strings().ofMinLength(1).ofMaxLength(20).map(s -> (Object) s)),
                Tuple.of(4, part().list().ofMaxSize(3).map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(1, json(2)));
        Arbitrary<Object> toolCall = Combinators.combine(Arbitraries.of("call_1", "call_2", "bad id", ""),
                        Arbitraries.of("get_weather", "search", "x y"),
                        Arbitraries.of("{\"q\":\"Paris\"}", "", "{}", "[1]", "not json"))
                .as((id, name, args) -> (Object) Map.of("id", id, "type", "function",
                        "function", Map.of("name", name, "arguments", args)));
        Arbitrary<Object> toolCalls = Arbitraries.frequencyOf(
                Tuple.of(3, toolCall.list().ofMinSize(1).ofMaxSize(3).map(l -> (Object) l)),
                Tuple.of(1, json(2)));
        Arbitrary<Object> message = Combinators.combine(role, content,
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just((Object) null)), Tuple.of(1, toolCalls)),
                Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of("call_1", "call_2")),
                        Tuple.of(1, Arbitraries.of("bad id!", ""))))
                .as((r, c, calls, callId) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("role", r);
                    m.put("content", c);
                    if (calls != null && "assistant".equals(r)) {
                        m.put("tool_calls", calls);
                    }
                    if ("tool".equals(r)) {
                        m.put("tool_call_id", callId);
                    }
                    return (Object) m;
                });
        // A user message first, then anything: most conversations are valid, some are not.
        Arbitrary<Object> messages = Arbitraries.frequencyOf(
                Tuple.of(8, message.list().ofMaxSize(4).map(l -> {
                    List<Object> all = new java.util.ArrayList<>();
                    all.add(Map.of("role", "user", "content", "Hello"));
                    all.addAll(l);
                    return (Object) all;
                })),
                Tuple.of(1, json(2)));
        Arbitrary<Map<String, Object>> toolFields = Combinators.combine(
                        tool().list().ofMaxSize(3),
                        Arbitraries.of((Object) "auto", "none", "required", null, 3,
                                Map.of("type", "function", "function", Map.of("name", "get_weather")),
                                Map.of("type", "function", "function", Map.of("name", "missing"))),
                        Arbitraries.of((Object) null, true, false, "yes"),
                        Arbitraries.of((Object) null, Map.of("type", "text"), Map.of("type", "json_object"),
                                Map.of("type", "json_schema", "json_schema", Map.of("name", "answer",
                                        "schema", Map.of("type", "object"))),
                                Map.of("type", "json_schema", "json_schema", Map.of("name", "get_weather")),
                                Map.of("type", "json_schema"), Map.of("type", "xml")))
                .as((tools, choice, parallel, format) -> {
                    Map<String, Object> fields = new LinkedHashMap<>();
                    if (!tools.isEmpty()) {
                        fields.put("tools", tools);
                    }
                    fields.put("tool_choice", choice);
                    fields.put("parallel_tool_calls", parallel);
                    fields.put("response_format", format);
                    return fields;
                });
        Arbitrary<Map<String, Object>> overrides = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(Map.<String, Object>of())),
                Tuple.of(2, Arbitraries.maps(Arbitraries.of(FIELDS), json(2)).ofMaxSize(3)),
                Tuple.of(2, toolFields));
        return Combinators.combine(messages, overrides, Arbitraries.of(true, false)).as((msgs, extra, validModel) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", validModel ? "claude-haiku" : "nova-pro");
            body.put("messages", msgs);
            body.putAll(extra);
            return body;
        });
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("{}[]\":,0123456789.eE+-truefalsn \\u").ofMaxLength(60),
                Arbitraries.strings().all().ofMaxLength(40).map(s -> "{\"model\":\"claude-haiku\",\"messages\":" + s));
    }
}
