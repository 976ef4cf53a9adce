package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bounded fuzz aimed at the gateway's own code: well-formed HTTP whose method, path, query, key
 * headers, framing (Content-Length, chunked, none, an announced body over 10 MB) and body vary. Every
 * request must get an answer, and every answer must be what an OpenAI client can read: a success in
 * OpenAI's shape or an error {@code {"error": {message, type, param, code}}}, never a 5xx.
 */
class LocalGatewayFuzzTest {

    static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "FOO"};
    static final String[] PATHS = {"/test/v1/chat/completions", "/test/v1/models", "/test/v1/chat",
            "/test/v1/models/echo", "/test", "/test/", "/v1/chat/completions", "/test/v1/chat/completions/",
            "/test//v1/models", "/test/v1/%6Dodels", "/TEST/v1/models", "/test/v1/models?limit=5&x=%25ZZ&&y",
            "/test/v1/chat/completions?stream=true", "/test/v1/m%C3%B6dels", "/test/v1/models?"};

    TestGateway gw;
    String key;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start(TestConfigs.onePlan(Map.of("throttle", throttle(100_000, 100_000))));
        key = gw.key("p-client");
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void everyRequestGetsAnOpenAiShapedAnswer_neverA5xx() throws Exception {
        Random random = new Random(20261127L);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            // Half the requests are on a route, so most of them get past the route check.
            boolean onRoute = random.nextBoolean();
            boolean chat = random.nextBoolean();
            String method = onRoute ? (chat ? "POST" : "GET") : METHODS[random.nextInt(METHODS.length)];
            String path = onRoute ? (chat ? "/test/v1/chat/completions" : "/test/v1/models") + (random.nextInt(4) == 0 ? "?x=1&y=%20" : "")
                    : PATHS[random.nextInt(PATHS.length)];
            byte[] body = method.equals("GET") || method.equals("HEAD") ? new byte[0] : body(random);
            StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            keyHeaders(random, head);
            if (random.nextBoolean()) {
                head.append("Content-Type: ").append(random.nextBoolean() ? "application/json" : randomText(random, 12)).append("\r\n");
            }
            byte[] request = frame(random, head, body);
            String described = new String(request, 0, Math.min(request.length, 300), StandardCharsets.ISO_8859_1);

            RawHttp.Response response = RawHttp.exchange(gw.port(), request);

            assertThat(response.statusLine()).as(described).matches("HTTP/1\\.1 \\d{3} .*");
            assertThat(response.status()).as(described).isBetween(200, 499);
            assertThat(response.headers()).as(described).containsKey("x-amzn-requestid");
            if (method.equals("HEAD")) {
                assertThat(response.body()).as(described).isEmpty();
            } else if (response.status() == 200) {
                assertSuccessShape(response, described);
            } else {
                assertErrorShape(response, described);
            }
            statuses.add(response.status());
        }
        assertThat(new TreeSet<>(statuses)).contains(200, 400, 401, 404, 413);
    }

    /**
     * Framings the HTTP server refuses before any gateway code runs: still an answer, never a hang, and
     * in OpenAI's JSON error shape like every other answer.
     */
    @Test
    void framingsTheHttpLayerRefuses_stillGetAJsonError() throws Exception {
        String auth = "Authorization: Bearer " + key + "\r\n";
        for (String request : List.of(
                "POST /test/v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n{}",
                "POST /test/v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: gzip\r\n\r\n",
                "POST /test/v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: -5\r\n\r\n",
                "POST /test/v1/chat/completions HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 1\r\nContent-Length: 2\r\n\r\n{}",
                "GARBAGE\r\n\r\n")) {
            RawHttp.Response response = RawHttp.exchange(gw.port(), RawHttp.bytes(request));
            assertThat(response.status()).as(request).isIn(400, 501);
            assertErrorShape(response, request);
        }
        assertThat(gw.accessLog).as("none of these reached the gateway").isEmpty();
    }

    /**
     * What the JDK's server answered in HTML of its own ("400 URISyntaxException thrown", a 404 for a
     * path outside its context) is JSON in OpenAI's error shape, with API Gateway's request id.
     */
    @Test
    void urlsTheServerCannotParse_getAJsonErrorToo() throws Exception {
        String auth = "Authorization: Bearer " + key + "\r\n";
        for (String target : List.of("/test/v1/models/%ZZ", "//status.json", "/test/v1/%", "//")) {
            String request = "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n";
            RawHttp.Response response = RawHttp.exchange(gw.port(), RawHttp.bytes(request));
            assertThat(response.status()).as(target).isBetween(400, 499);
            assertErrorShape(response, target);
            assertThat(response.headers()).as(target).containsKey("x-amzn-requestid");
        }
    }

    private void keyHeaders(Random random, StringBuilder head) {
        switch (random.nextInt(11)) {
            case 0 -> head.append("Authorization: Bearer ").append(key).append("\r\n");
            case 1 -> head.append("x-api-key: ").append(key).append("\r\n");
            case 2 -> head.append("Authorization: Bearer ").append(key).append("\r\nx-api-key: ").append(randomText(random, 30)).append("\r\n");
            case 3 -> head.append("Authorization: Basic dXNlcjpwYXNz\r\nx-api-key: ").append(key).append("\r\n");
            case 4 -> head.append("Authorization: bearer   ").append(key).append("  \r\n");
            case 5 -> head.append("Authorization: Bearer ").append(randomText(random, 40).replace(' ', 'x')).append("\r\n");
            case 6 -> head.append("Authorization: Bearer ").append("k".repeat(300)).append("\r\n");
            case 7 -> head.append("Authorization: \r\nx-api-key: ").append(key).append("\r\n");
            case 8 -> head.append("Authorization: Basic Zm9v\r\nAuthorization: Bearer ").append(key).append("\r\n");
            case 9 -> head.append("Authorization: Bearer ").append(gw.key("disabled-client")).append("\r\n");
            default -> { }
        }
    }

    /** Content-Length, chunked, none (only without a body), or an announced body over 10 MB that never comes. */
    private static byte[] frame(Random random, StringBuilder head, byte[] body) {
        int framing = random.nextInt(body.length == 0 ? 4 : 3);
        if (framing == 0) {
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            return RawHttp.concat(RawHttp.bytes(head.toString()), body);
        }
        if (framing == 1) {
            head.append("Transfer-Encoding: chunked\r\n\r\n");
            ByteArrayOutputStream chunks = new ByteArrayOutputStream();
            int at = 0;
            while (at < body.length) {
                int size = Math.min(body.length - at, 1 + random.nextInt(64));
                chunks.writeBytes(RawHttp.bytes(Integer.toHexString(size) + "\r\n"));
                chunks.write(body, at, size);
                chunks.writeBytes(RawHttp.bytes("\r\n"));
                at += size;
            }
            chunks.writeBytes(RawHttp.bytes("0\r\n\r\n"));
            return RawHttp.concat(RawHttp.bytes(head.toString()), chunks.toByteArray());
        }
        if (framing == 2) {
            head.append("Content-Length: ").append(ApiGatewayPipeline.MAX_PAYLOAD_BYTES + 1 + random.nextInt(1000)).append("\r\n\r\n");
            return RawHttp.bytes(head.toString());
        }
        head.append("\r\n");
        return RawHttp.bytes(head.toString());
    }

    private static void assertSuccessShape(RawHttp.Response response, String described) throws Exception {
        String type = response.headers().getOrDefault("content-type", "");
        if (type.startsWith("text/event-stream")) {
            assertThat(response.body()).as(described).startsWith("data: {").endsWith("data: [DONE]\n\n");
            return;
        }
        assertThat(type).as(described).startsWith("application/json");
        Map<String, Object> json = Json.readObject(response.body());
        assertThat(json.get("object")).as(described).isIn("chat.completion", "list");
    }

    @SuppressWarnings("unchecked")
    private static void assertErrorShape(RawHttp.Response response, String described) throws Exception {
        assertThat(response.headers().get("content-type")).as(described).startsWith("application/json");
        Map<String, Object> json = Json.readObject(response.body());
        assertThat(json).as(described).containsOnlyKeys("error");
        Map<String, Object> error = (Map<String, Object>) json.get("error");
        assertThat(error).as(described).containsKeys("message", "type", "param", "code");
        assertThat(error.get("message")).as(described).isInstanceOf(String.class);
        assertThat(error.get("type")).as(described).isInstanceOf(String.class);
    }

    private static byte[] body(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> new byte[0];
            case 1 -> {
                byte[] bytes = new byte[random.nextInt(200)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 2 -> "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"model\":" + jsonValue(random) + ",\"messages\":" + jsonValue(random) + ",\"stream\":"
                    + jsonValue(random) + ",\"max_tokens\":" + jsonValue(random) + "}").getBytes(StandardCharsets.UTF_8);
            case 4 -> ("{\"model\":\"echo\",\"messages\":[{\"role\":" + jsonValue(random) + ",\"content\":" + jsonValue(random)
                    + "}],\"temperature\":" + jsonValue(random) + ",\"stop\":" + jsonValue(random) + "}").getBytes(StandardCharsets.UTF_8);
            case 5 -> "{\"model\":\"echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
            default -> randomText(random, 100).getBytes(StandardCharsets.UTF_8);
        };
    }

    private static String jsonValue(Random random) {
        return switch (random.nextInt(9)) {
            case 0 -> "null";
            case 1 -> Integer.toString(random.nextInt(2_000_000) - 1_000_000);
            case 2 -> Double.toString(random.nextDouble() * 10 - 5);
            case 3 -> "\"" + randomText(random, 8).replace("\"", "").replace("\\", "") + "\"";
            case 4 -> "[]";
            case 5 -> "{}";
            case 6 -> "true";
            case 7 -> "[{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"image_url\"}]";
            default -> "1e400";
        };
    }

    private static String randomText(Random random, int max) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            s.append((char) (0x20 + random.nextInt(0x5f)));
        }
        return s.toString();
    }
}
