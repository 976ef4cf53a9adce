package io.llmgateway.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.internal.Exchange;
import io.llmgateway.common.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailedStartTest {

    @Test
    void failedGateway_answersEveryRouteWith500AndLogsTheCause() throws IOException {
        List<String> log = new ArrayList<>();
        Exchange gateway = FailedStart.exchange("java.lang.IllegalStateException: environment variable "
                + "LLM_GATEWAY_MODELS is not set", log::add);

        for (String fixture : List.of("chat-completions.json", "models.json")) {
            ProxyResponse response = ProxyResponse.read(gateway.handle(TestEvents.fixture(fixture), TestContext.fresh()));
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.header("Content-Type")).isEqualTo("application/json");
            assertThat(response.header("x-request-id")).isNotBlank();
            assertThat(response.bodyText()).contains("\"code\":\"internal_error\"").doesNotContain("LLM_GATEWAY");
        }
        assertThat(log).hasSize(2).allSatisfy(line -> assertThat(line).contains("LLM_GATEWAY_MODELS is not set"));
        assertThat(Json.readObject(log.get(0))).containsEntry("status", 500).containsEntry("apiKeyId", TestEvents.API_KEY_ID);
    }
}
