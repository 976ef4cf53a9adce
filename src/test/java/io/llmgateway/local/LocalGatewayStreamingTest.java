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
            assertThat(gw.accessLines(1).get(0)).containsEntry("status", 200);
        }
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
