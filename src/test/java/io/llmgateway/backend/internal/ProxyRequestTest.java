package io.llmgateway.backend.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.llmgateway.backend.ProxyEvent;
import io.llmgateway.backend.ProxyResponse;
import io.llmgateway.backend.TestEvents;
import io.llmgateway.common.Json;
import io.llmgateway.contract.OpenAiError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProxyRequestTest {

    @Test
    void read_restProxyFixture_keepsApiKeyIdBesideTheTypedEvent() throws IOException {
        ProxyRequest request = ProxyRequest.read(TestEvents.fixture("chat-completions.json"), null);

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
    void builtEvent_readsBackAsTheBackendSeesIt() throws IOException {
        byte[] json = ProxyEvent.request("POST", "/v1/chat/completions")
                .stage("dev")
                .api("000000000000", "local")
                .requestId("r-1")
                .requestTimeEpoch(1_700_000_000_000L)
                .sourceIp("127.0.0.1")
                .apiKey("key-id", "secret")
                .principalId("api-key")
                .header("Accept", "text/plain")
                .header("Accept", "application/json")
                .header("User-Agent", "probe/1")
                .queryParameter("a", "1")
                .body("{}")
                .toJson();

        ProxyRequest request = ProxyRequest.read(json, null);

        assertThat(request.apiKeyId()).isEqualTo("key-id");
        APIGatewayProxyRequestEvent event = request.event();
        assertThat(event.getResource()).isEqualTo("/v1/chat/completions");
        assertThat(event.getHeaders()).containsEntry("Accept", "application/json");
        assertThat(event.getMultiValueHeaders()).containsEntry("Accept", List.of("text/plain", "application/json"));
        assertThat(event.getQueryStringParameters()).containsExactly(Map.entry("a", "1"));
        assertThat(event.getBody()).isEqualTo("{}");
        assertThat(event.getRequestContext().getPath()).isEqualTo("/dev/v1/chat/completions");
        assertThat(event.getRequestContext().getStage()).isEqualTo("dev");
        assertThat(event.getRequestContext().getRequestTimeEpoch()).isEqualTo(1_700_000_000_000L);
        assertThat(event.getRequestContext().getAuthorizer()).containsEntry("principalId", "api-key");
        assertThat(event.getRequestContext().getIdentity().getApiKey()).isEqualTo("secret");
        assertThat(event.getRequestContext().getIdentity().getUserAgent()).isEqualTo("probe/1");
    }

    @Test
    void builtEvent_withoutHeadersOrBody_hasApiGatewaysNulls() throws IOException {
        Map<String, Object> json = Json.readObject(new String(
                ProxyEvent.request("GET", "/v1/models").toJson(), StandardCharsets.UTF_8));

        assertThat(json).containsEntry("headers", null).containsEntry("multiValueHeaders", null)
                .containsEntry("queryStringParameters", null).containsEntry("body", null)
                .containsEntry("isBase64Encoded", false);
    }

    @Test
    void write_thenRead_roundTripsTheResponse() throws IOException {
        Reply reply = Reply.error(OpenAiError.upstreamRateLimited(), Map.of("Retry-After", "5"));

        byte[] json = reply.toProxyResponse(Map.of("x-request-id", "r-1"));

        assertThat(Json.readObject(new String(json, StandardCharsets.UTF_8)))
                .containsOnlyKeys("statusCode", "headers", "body", "isBase64Encoded");
        ProxyResponse read = ProxyResponse.read(json);
        assertThat(read.statusCode()).isEqualTo(429);
        assertThat(read.header("retry-after")).isEqualTo("5");
        assertThat(read.header("content-type")).isEqualTo("application/json");
        assertThat(read.header("x-request-id")).isEqualTo("r-1");
        assertThat(read.bodyText()).isEqualTo(OpenAiError.upstreamRateLimited().toJson());
    }

    @Test
    void proxyResponse_mergesMultiValueHeaders_andDecodesBase64() throws IOException {
        ProxyResponse read = ProxyResponse.read(("{\"headers\":{\"A\":\"1\",\"B\":\"2\"},"
                + "\"multiValueHeaders\":{\"A\":[\"x\",\"y\"]},\"body\":\"aGk=\",\"isBase64Encoded\":true}")
                .getBytes(StandardCharsets.UTF_8));

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers()).containsEntry("A", List.of("x", "y")).containsEntry("B", List.of("2"));
        assertThat(read.bodyText()).isEqualTo("hi");
    }

    @Test
    void read_notAJsonObject_throwsIOException() {
        assertThatThrownBy(() -> ProxyRequest.read("[]".getBytes(StandardCharsets.UTF_8), null)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ProxyRequest.read(new byte[0], null)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ProxyResponse.read("\"x\"".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> ProxyResponse.read("{\"body\":\"*\",\"isBase64Encoded\":true}"
                .getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
    }
}
