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
 * 5xx. Bedrock is an in-process fake that answers at once, so a request that passes validation gets 200.
 */
class GatewayHandlerPropertyTest {

    private static final List<String> FIELDS = List.of("model", "messages", "max_tokens", "max_completion_tokens",
            "temperature", "top_p", "stop", "stream", "stream_options", "user", "n", "tools", "tool_choice",
            "functions", "function_call", "logprobs", "top_logprobs", "response_format", "presence_penalty",
            "frequency_penalty", "logit_bias", "audio", "modalities", "prediction", "reasoning_effort", "seed");

    private final GatewayHandler handler = new GatewayHandler(FakeBedrock.answering("Fine.", 3, 1),
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

    @Provide
    Arbitrary<Map<String, Object>> chatLikeBodies() {
        Arbitrary<Object> role = Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of("system", "developer", "user", "assistant").map(s -> (Object) s)),
                Tuple.of(1, json(1)));
        Arbitrary<Object> part = Combinators.combine(
                        Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just((Object) "text")), Tuple.of(1, json(1))),
                        json(1))
                .as((type, text) -> {
                    Map<String, Object> p = new LinkedHashMap<>();
                    p.put("type", type);
                    p.put("text", text instanceof String ? text : "hello");
                    return (Object) p;
                });
        Arbitrary<Object> content = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.strings().ofMinLength(1).ofMaxLength(20).map(s -> (Object) s)),
                Tuple.of(3, part.list().ofMaxSize(3).map(l -> (Object) l)),
                Tuple.of(1, json(2)));
        Arbitrary<Object> message = Combinators.combine(role, content).as((r, c) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", r);
            m.put("content", c);
            return (Object) m;
        });
        // A user message first, then anything: most conversations are valid, some are not.
        Arbitrary<Object> messages = Arbitraries.frequencyOf(
                Tuple.of(8, message.list().ofMaxSize(3).map(l -> {
                    List<Object> all = new java.util.ArrayList<>();
                    all.add(Map.of("role", "user", "content", "Hello"));
                    all.addAll(l);
                    return (Object) all;
                })),
                Tuple.of(1, json(2)));
        Arbitrary<Map<String, Object>> overrides = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(Map.<String, Object>of())),
                Tuple.of(2, Arbitraries.maps(Arbitraries.of(FIELDS), json(2)).ofMaxSize(3)));
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
