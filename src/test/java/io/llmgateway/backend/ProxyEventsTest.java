package io.llmgateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.llmgateway.contract.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyEventsTest {

    @Test
    void read_restProxyFixture_keepsApiKeyIdBesideTheTypedEvent() throws IOException {
        ProxyRequest request = ProxyEvents.read(TestEvents.fixture("chat-completions.json"));

        assertThat(request.apiKeyId()).isEqualTo(TestEvents.API_KEY_ID);
        APIGatewayProxyRequestEvent event = request.event();
        assertThat(event.getResource()).isEqualTo("/v1/chat/completions");
        assertThat(event.getHttpMethod()).isEqualTo("POST");
        assertThat(event.getHeaders()).containsEntry("User-Agent", "OpenAI/Python 1.109.1");
        assertThat(event.getMultiValueHeaders()).containsEntry("Accept", List.of("application/json"));
        assertThat(event.getQueryStringParameters()).isNull();
        assertThat(event.getIsBase64Encoded()).isFalse();
        assertThat(event.getBody()).startsWith("{\"model\":\"claude-haiku\"");
        assertThat(event.getRequestContext().getRequestId()).isEqualTo(TestEvents.REQUEST_ID);
        assertThat(event.getRequestContext().getRequestTimeEpoch()).isEqualTo(TestEvents.REQUEST_TIME_EPOCH);
        assertThat(event.getRequestContext().getStage()).isEqualTo("prod");
        assertThat(event.getRequestContext().getPath()).isEqualTo("/prod/v1/chat/completions");
        assertThat(event.getRequestContext().getAuthorizer()).containsEntry("principalId", "team-alpha");
        assertThat(event.getRequestContext().getIdentity().getApiKey()).isEqualTo(TestEvents.API_KEY_VALUE);
        assertThat(event.getRequestContext().getIdentity().getSourceIp()).isEqualTo("203.0.113.10");
    }

    @Test
    void toJson_thenRead_roundTripsTheEventAndTheApiKeyId() throws IOException {
        ProxyRequest original = ProxyEvents.read(TestEvents.fixture("chat-completions.json"));

        ProxyRequest copy = ProxyEvents.read(ProxyEvents.toJson(original.event(), "other-key-id"));

        assertThat(copy.apiKeyId()).isEqualTo("other-key-id");
        assertThat(copy.event()).isEqualTo(original.event());
    }

    @Test
    @SuppressWarnings("unchecked")
    void toJson_writesTheShapeApiGatewaySends() throws IOException {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withResource("/v1/models").withPath("/v1/models").withHttpMethod("GET")
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext()
                        .withRequestId("r-1").withRequestTimeEpoch(1_700_000_000_000L)
                        .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity().withApiKey("secret")));

        Map<String, Object> json = Json.readObject(new String(ProxyEvents.toJson(event, "key-id"), StandardCharsets.UTF_8));

        assertThat(json).containsEntry("resource", "/v1/models").containsEntry("httpMethod", "GET")
                .containsEntry("body", null).containsEntry("isBase64Encoded", false);
        Map<String, Object> context = (Map<String, Object>) json.get("requestContext");
        assertThat(context).containsEntry("requestId", "r-1").containsEntry("requestTimeEpoch", 1_700_000_000_000L);
        assertThat((Map<String, Object>) context.get("identity"))
                .containsEntry("apiKeyId", "key-id").containsEntry("apiKey", "secret");
    }

    @Test
    void responseToJson_thenReadResponse_roundTrips() throws IOException {
        APIGatewayProxyResponseEvent response = new APIGatewayProxyResponseEvent()
                .withStatusCode(429)
                .withHeaders(Map.of("Retry-After", "5", "Content-Type", "application/json"))
                .withBody("{\"error\":{}}")
                .withIsBase64Encoded(false);

        byte[] json = ProxyEvents.toJson(response);

        assertThat(Json.readObject(new String(json, StandardCharsets.UTF_8)))
                .containsOnlyKeys("statusCode", "headers", "body", "isBase64Encoded");
        assertThat(ProxyEvents.readResponse(json)).isEqualTo(response);
    }

    @Test
    void read_notAJsonObject_throwsIOException() {
        assertThatThrownBy(() -> ProxyEvents.read("[]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ProxyEvents.read(new byte[0])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ProxyEvents.readResponse("\"x\"".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
    }
}
