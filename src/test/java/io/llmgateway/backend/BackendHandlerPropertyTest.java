package io.llmgateway.backend;

import static io.llmgateway.testing.Gen.weight;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import io.llmgateway.testing.Coverage;
import io.llmgateway.testing.Gen;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Whatever a client sends, the handler answers: no exception escapes and no client input produces a
 * 5xx, whatever the combination of tools, tool calls, tool results, content parts and roles. Bedrock is
 * an in-process fake that answers at once, so a request that passes validation gets 200. Each test runs
 * on a fixed number of cases drawn from fixed seeds ({@link Gen}).
 */
class BackendHandlerPropertyTest {

    private static final String SEEDS = "io.llmgateway.testing.Gen#seeds";
    private static final int CHAT_LIKE_BODIES = 400;

    private static final List<String> FIELDS = List.of("model", "messages", "max_tokens", "max_completion_tokens",
            "temperature", "top_p", "stop", "stream", "stream_options", "user", "n", "tools", "tool_choice",
            "functions", "function_call", "logprobs", "top_logprobs", "response_format", "presence_penalty",
            "frequency_penalty", "logit_bias", "audio", "modalities", "prediction", "reasoning_effort", "seed");

    /** The generator must reach both sides of validation, or the property proves little. */
    @RegisterExtension
    static final Coverage CHAT_LIKE_COVERAGE = Coverage.of(CHAT_LIKE_BODIES).atLeast("accepted", 5).atLeast("refused", 5);

    /**
     * Answers text, or calls a tool when tools were offered, so both answer paths run. One for all cases,
     * as a warm Lambda keeps one.
     */
    private static final BackendHandler HANDLER = new BackendHandler(new FakeBedrock(request -> request.toolConfig() == null
            ? FakeBedrock.response("Fine.", StopReason.END_TURN, 3, 1)
            : FakeBedrock.response(List.of(ContentBlock.fromText("Calling."), ContentBlock.fromToolUse(ToolUseBlock.builder()
                    .toolUseId("tooluse_1")
                    .name(request.toolConfig().tools().get(0).toolSpec().name())
                    .input(Document.fromMap(Map.of()))
                    .build())), StopReason.TOOL_USE, 3, 1)),
            TestSettings.settings(), TestEvents.clock(), line -> { });

    @ParameterizedTest(name = "seed {0}")
    @MethodSource(SEEDS)
    void anyJsonBody_isAnsweredBelow500(long seed) {
        Gen.forAll(seed, 300, json(3).map(Json::write), json -> assertAnsweredBelow500(TestEvents.chat(json), json));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource(SEEDS)
    void chatLikeBody_withArbitraryFieldValues_isAnsweredBelow500(long seed) {
        Gen.forAll(seed, CHAT_LIKE_BODIES, chatLikeBody().map(Json::write), json -> {
            int status = assertAnsweredBelow500(TestEvents.chat(json), json);
            CHAT_LIKE_COVERAGE.collect(status == 200 ? "accepted" : "refused");
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource(SEEDS)
    void garbageTextBody_isAnsweredBelow500(long seed) {
        Gen<String> garbage = Gen.oneOf(
                Gen.strings(0, 200),
                Gen.strings(0, 60, Gen.charsOf("{}[]\":,0123456789.eE+-truefalsn \\u")),
                Gen.strings(0, 40).map(s -> "{\"model\":\"claude-haiku\",\"messages\":" + s));
        Gen.forAll(seed, 200, garbage, body -> assertAnsweredBelow500(TestEvents.chat(body), body));
    }

    /** A body sent base64-encoded: bytes in valid base64, or not. */
    record Base64Body(byte[] bytes, boolean validBase64) {
        String body() {
            return validBase64 ? Base64.getEncoder().encodeToString(bytes) : new String(bytes, StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return (validBase64 ? "base64 " : "not base64 ") + body();
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource(SEEDS)
    void garbageBase64Body_isAnsweredBelow500(long seed) {
        Gen<Base64Body> bodies = random -> new Base64Body(Gen.bytes(255).next(random), random.nextBoolean());
        Gen.forAll(seed, 100, bodies, sent -> {
            Map<String, Object> event = TestEvents.fixtureMap("chat-completions.json");
            event.put("body", sent.body());
            event.put("isBase64Encoded", true);
            assertAnsweredBelow500(Json.writeBytes(event), sent.body());
        });
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource(SEEDS)
    void garbageEvent_isAnsweredBelow500(long seed) {
        Gen.forAll(seed, 100, Gen.bytes(255), event -> assertAnsweredBelow500(event, new String(event, StandardCharsets.ISO_8859_1)));
    }

    /** @param sent what the client sent, for the message when the answer is wrong */
    private static int assertAnsweredBelow500(byte[] event, String sent) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HANDLER.handleRequest(new ByteArrayInputStream(event), out, TestContext.fresh());

        ProxyResponse response = ProxyResponse.read(out.toByteArray());
        String request = "the answer to " + Text.truncate(sent);
        assertThat(response.statusCode()).as(request).isBetween(200, 499);
        assertThat(response.header("x-request-id")).as(request).isNotBlank();
        if (response.statusCode() >= 400) {
            assertThat(Json.readObject(response.bodyText())).as(request).containsOnlyKeys("error");
        }
        return response.statusCode();
    }

    // ---- generators ----------------------------------------------------------------------------

    private static Gen<Object> json(int depth) {
        Gen<Object> leaf = Gen.oneOf(
                Gen.strings(0, 12),
                Gen.ints(),
                Gen.longs(),
                Gen.doubles(),
                Gen.of(-1, 0, 1, 2, 3, 4096, 5000, Integer.MAX_VALUE),
                Gen.of(0.0, 0.5, 1.0, 1.5, 2.0, 2.5, -0.5, 1e300),
                Gen.of("text", "user", "system", "assistant", "developer", "tool", "claude-haiku", "none", "auto",
                        "image_url", ""),
                Gen.booleans(),
                Gen.of((Object) null));
        if (depth == 0) {
            return leaf;
        }
        Gen<String> keys = Gen.oneOf(Gen.of("role", "content", "type", "text", "name", "include_usage", "tool_calls",
                "image_url"), Gen.strings(0, 6, Gen.oneOf(Gen.chars('a', 'z'), Gen.chars('A', 'Z'))));
        return Gen.frequency(weight(4, leaf), weight(2, json(depth - 1).list(0, 4)),
                weight(2, Gen.maps(keys, json(depth - 1), 4)));
    }

    /** A tool definition: mostly valid, sometimes broken in one way. */
    private static Gen<Object> tool() {
        Gen<Object> valid = Gen.of("get_weather", "get_time", "search").map(name -> Map.of(
                "type", "function", "function", Map.of("name", name, "description", "d",
                        "parameters", Map.of("type", "object", "properties", Map.of("q", Map.of("type", "string"))))));
        return Gen.frequency(weight(6, valid), weight(1, json(2)));
    }

    /** Content parts: text, inline images (valid or not), remote images, audio and junk. */
    private static Gen<Object> part() {
        Gen<Object> text = Gen.strings(1, 10).map(t -> Map.of("type", "text", "text", t));
        Gen<Object> image = Gen.of(
                Images.dataUrl("image/png", Images.PNG), Images.dataUrl("image/jpeg", Images.GIF),
                Images.dataUrl("image/webp", Images.WEBP), Images.dataUrl("image/png", Images.pngOfSize(9000, 1)),
                "data:image/png;base64,@@", "data:image/bmp;base64,Qk0=", "data:text/plain,hi", "https://example.com/a.png",
                "http://169.254.169.254/", "", "data:")
                .map(url -> Map.of("type", "image_url", "image_url", Map.of("url", url)));
        Gen<Object> other = Gen.of("input_audio", "file", "refusal", "video").map(type -> Map.of("type", type));
        return Gen.frequency(weight(5, text), weight(3, image), weight(1, other), weight(1, json(1)));
    }

    private static Gen<Object> message() {
        Gen<Object> role = Gen.frequency(weight(12, Gen.of("system", "developer", "user", "assistant", "tool")),
                weight(1, json(1)));
        Gen<Object> content = Gen.frequency(weight(12, Gen.strings(1, 20)), weight(4, part().list(0, 3)),
                weight(1, Gen.of((Object) null)), weight(1, json(2)));
        Gen<Object> toolCall = random -> Map.of("id", Gen.of("call_1", "call_2", "bad id", "").next(random),
                "type", "function", "function", Map.of("name", Gen.of("get_weather", "search", "x y").next(random),
                        "arguments", Gen.of("{\"q\":\"Paris\"}", "", "{}", "[1]", "not json").next(random)));
        Gen<Object> toolCalls = Gen.frequency(weight(3, toolCall.list(1, 3)), weight(1, json(2)));
        Gen<Object> maybeToolCalls = Gen.frequency(weight(3, Gen.of((Object) null)), weight(1, toolCalls));
        Gen<String> callId = Gen.frequency(weight(6, Gen.of("call_1", "call_2")), weight(1, Gen.of("bad id!", "")));
        return random -> {
            Object r = role.next(random);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", r);
            m.put("content", content.next(random));
            Object calls = maybeToolCalls.next(random);
            String id = callId.next(random);
            if (calls != null && "assistant".equals(r)) {
                m.put("tool_calls", calls);
            }
            if ("tool".equals(r)) {
                m.put("tool_call_id", id);
            }
            return m;
        };
    }

    private static Gen<Map<String, Object>> chatLikeBody() {
        // A user message first, then anything: most conversations are valid, some are not.
        Gen<Object> messages = Gen.frequency(weight(8, message().list(0, 4).map(rest -> {
            List<Object> all = new ArrayList<>();
            all.add(Map.of("role", "user", "content", "Hello"));
            all.addAll(rest);
            return all;
        })), weight(1, json(2)));
        Gen<List<Object>> tools = tool().list(0, 3);
        Gen<Object> choice = Gen.of("auto", "none", "required", null, 3,
                Map.of("type", "function", "function", Map.of("name", "get_weather")),
                Map.of("type", "function", "function", Map.of("name", "missing")));
        Gen<Object> parallel = Gen.of(null, true, false, "yes");
        Gen<Object> format = Gen.of(null, Map.of("type", "text"), Map.of("type", "json_object"),
                Map.of("type", "json_schema", "json_schema", Map.of("name", "answer", "schema", Map.of("type", "object"))),
                Map.of("type", "json_schema", "json_schema", Map.of("name", "get_weather")),
                Map.of("type", "json_schema"), Map.of("type", "xml"));
        Gen<Map<String, Object>> toolFields = random -> {
            Map<String, Object> fields = new LinkedHashMap<>();
            List<Object> offered = tools.next(random);
            if (!offered.isEmpty()) {
                fields.put("tools", offered);
            }
            fields.put("tool_choice", choice.next(random));
            fields.put("parallel_tool_calls", parallel.next(random));
            fields.put("response_format", format.next(random));
            return fields;
        };
        Gen<Map<String, Object>> overrides = Gen.frequency(weight(2, Gen.of(Map.<String, Object>of())),
                weight(2, Gen.maps(Gen.of(FIELDS.toArray(String[]::new)), json(2), 3)), weight(2, toolFields));
        return random -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", random.nextBoolean() ? "claude-haiku" : "nova-pro");
            body.put("messages", messages.next(random));
            body.putAll(overrides.next(random));
            return body;
        };
    }
}
