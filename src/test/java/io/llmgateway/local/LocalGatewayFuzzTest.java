package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A bounded fuzz of request lines, headers and bodies: nothing a client sends gets a 5xx. */
class LocalGatewayFuzzTest {

    static LocalGateway gateway;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        gateway = LocalGateway.start(TestConfigs.onePlan(Map.of("throttle", throttle(100000, 100000))), new EchoModel(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), LocalClock.SYSTEM,
                new PrintStream(OutputStream.nullOutputStream()));
        key = gateway.apiKeys().get("p-client");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void randomMethodsPathsHeadersAndBodies_neverGetA5xx() throws Exception {
        Random random = new Random(20261127L);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "FOO"};
        String[] paths = {"/test/v1/chat/completions", "/test/v1/models", "/test/v1/chat", "/test/v1/models/echo",
                "/test", "/test/", "/v1/chat/completions", "/test/v1/chat/completions/", "/test/v1/%2e%2e/models",
                "/test/v1/chat/completions?stream=true&x=%25ZZ", "/test/v1/m%C3%B6dels"};
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String method = methods[random.nextInt(methods.length)];
            String path = paths[random.nextInt(paths.length)];
            byte[] body = body(random);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            switch (random.nextInt(5)) {
                case 0 -> request.header("Authorization", "Bearer " + key);
                case 1 -> request.header("x-api-key", key);
                case 2 -> request.header("Authorization", randomText(random, 40));
                case 3 -> request.header("Authorization", "Bearer " + key).header("Content-Type", randomText(random, 10));
                default -> { }
            }
            statuses.add(http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        assertThat(statuses).hasSize(400).allMatch(status -> status < 500);
        assertThat(statuses).contains(200, 400, 401, 404);
    }

    @Test
    void garbageRequestLines_neverGetA5xx() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 60; i++) {
            String line = switch (i % 5) {
                case 0 -> randomText(random, 30);
                case 1 -> "POST /test/v1/chat/completions HTTP/9.9";
                case 2 -> "GET /test/v1/models?x=%ZZ&y=%" + " HTTP/1.1";
                case 3 -> "GET " + randomText(random, 20).replace(' ', '_') + " HTTP/1.1";
                default -> "POST /test/v1/chat/completions HTTP/1.1\r\nContent-Length: -5";
            };
            String status = rawStatusLine(line + "\r\nHost: x\r\nAuthorization: Bearer " + key + "\r\n\r\n");
            if (status != null && status.startsWith("HTTP/")) {
                int code = Integer.parseInt(status.split(" ")[1]);
                assertThat(code).as(line).isLessThan(500);
            }
        }
    }

    private static String rawStatusLine(String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0 && b != '\n') {
                line.write(b);
            }
            return line.toString(StandardCharsets.ISO_8859_1).trim();
        } catch (SocketTimeoutException | java.net.SocketException e) {
            return null; // the server closed or ignored the garbage: no 5xx either
        }
    }

    private static byte[] body(Random random) {
        return switch (random.nextInt(6)) {
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
