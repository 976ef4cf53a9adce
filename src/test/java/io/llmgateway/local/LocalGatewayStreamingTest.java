package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.StackConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local gateway with streaming on: the chat route runs through the backend's runtime client and a
 * Runtime API emulator, and its answers come in the streaming format's status and headers, the body
 * passed on in chunks; the other routes stay buffered.
 */
class LocalGatewayStreamingTest {

    private static final String STREAM = "{\"model\":\"echo\",\"stream\":true,\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Hello there\"}]}";

    private static StackConfig streaming() {
        return TestConfigs.config(Map.of("p", Map.of("throttle", throttle(1000, 1000))),
                Map.of("streaming", Map.of("enabled", true)));
    }

    @Test
    void streamTrue_isAChunkedEventStream_endingInDone() throws Exception {
        try (TestGateway gw = TestGateway.start(streaming())) {
            HttpResponse<String> answer = gw.send("POST", "/test/v1/chat/completions", STREAM,
                    "Authorization", "Bearer " + gw.key("p-client"));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("content-type")).hasValue("text/event-stream; charset=utf-8");
            assertThat(answer.headers().firstValue("content-length")).isEmpty();
            assertThat(answer.headers().firstValue("x-request-id")).isPresent();
            assertThat(answer.body()).contains("\"role\":\"assistant\"", "\"content\":\"Echo\"", "\"finish_reason\":\"stop\"")
                    .endsWith("data: [DONE]\n\n");
            // The access log counts a stream's bytes as they went (a stream has no Content-Length).
            assertThat(gw.accessLines(1).get(0)).containsEntry("status", 200)
                    .containsEntry("responseLength", answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void stoppingTheGateway_endsItsRuntimesQuietly() throws Exception {
        TestGateway gw = TestGateway.start(streaming());
        assertThat(gw.send("POST", "/test/v1/chat/completions", STREAM, "Authorization", "Bearer " + gw.key("p-client"))
                .statusCode()).isEqualTo(200);
        gw.close(); // waits for the runtimes to end
        assertThat(gw.functionLog).noneMatch(line -> line.contains("runtime_api_failed"));
    }

    @Test
    void streamFalse_onTheStreamingRoute_isOneJsonAnswer_andTheOtherRoutesKeepContentLength() throws Exception {
        try (TestGateway gw = TestGateway.start(streaming())) {
            HttpResponse<String> chat = gw.chat("p-client");
            assertThat(chat.statusCode()).isEqualTo(200);
            assertThat(chat.body()).contains("\"object\":\"chat.completion\"", "Echo from amazon.nova-micro-v1:0: Hello there");
            HttpResponse<String> models = gw.models("p-client");
            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(models.headers().firstValue("content-length")).hasValue(Integer.toString(models.body().length()));
        }
    }

    /**
     * A client that closes its connection mid-stream: the gateway closes the function's stream, as API
     * Gateway does, so the backend stops, cancels the model's stream and charges the reservation.
     */
    @Test
    void aClientThatGoesAwayMidStream_endsTheBackendsStream_whichIsCharged() throws Exception {
        EchoModel slow = new EchoModel(Duration.ZERO, 0, 0, Duration.ofMillis(20));
        StackConfig budgeted = TestConfigs.config(Map.of("p", Map.of("throttle", throttle(1000, 1000),
                "tokens", Map.of("budget", Map.of("limit", 1_000_000, "period", "DAY")))),
                Map.of("streaming", Map.of("enabled", true)));
        try (TestGateway gw = TestGateway.start(budgeted, slow, Duration.ofSeconds(5))) {
            String body = "{\"model\":\"echo\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "x".repeat(2000) + "\"}]}";
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gw.port())) {
                socket.getOutputStream().write(("POST /test/v1/chat/completions HTTP/1.1\r\nHost: local\r\n"
                        + "Authorization: Bearer " + gw.key("p-client") + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                socket.getOutputStream().flush();
                java.io.InputStream in = socket.getInputStream();
                String seen = "";
                while (!seen.contains("\"content\":\"Echo\"")) {
                    byte[] buffer = new byte[4096];
                    int n = in.read(buffer);
                    assertThat(n).as("the stream ended before its first content: " + seen).isPositive();
                    seen += new String(buffer, 0, n, java.nio.charset.StandardCharsets.UTF_8);
                }
                assertThat(seen).startsWith("HTTP/1.1 200");
            }
            // 500 tokens at 20 ms would take 10 s; the cut ends the backend's stream long before.
            long until = System.nanoTime() + TestGateway.HANG.toNanos();
            while (gw.functionLog.stream().noneMatch(l -> l.contains("\"streamEnd\"")) && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(gw.functionLog).anySatisfy(line -> assertThat(line)
                    .contains("\"streamEnd\":\"client_disconnected\"", "\"tokenReservation\":\"charged_unsettled\""));
            // API Gateway logs the request the client left too, with the bytes that went before the cut.
            Map<String, Object> access = gw.accessLines(1).get(0);
            assertThat(access).containsEntry("status", 200);
            assertThat(((Number) access.get("responseLength")).longValue()).isPositive();
        }
    }

    @Test
    void aModelFailureBeforeTheFirstToken_isTheUsual503_withRetryAfter() throws Exception {
        try (TestGateway gw = TestGateway.start(streaming(), new EchoModel(Duration.ZERO, 1, 0), Duration.ofSeconds(5))) {
            HttpResponse<String> answer = gw.send("POST", "/test/v1/chat/completions", STREAM,
                    "Authorization", "Bearer " + gw.key("p-client"));
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.headers().firstValue("retry-after")).isPresent();
            assertThat(answer.body()).contains("\"error\"").doesNotContain("data:");
        }
    }
}
