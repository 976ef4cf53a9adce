package io.llmgateway.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.common.Json;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayResponseTest {

    @Test
    void withoutAFixedMessage_theTemplatePassesOnApiGatewaysOwnQuotedMessage() throws IOException {
        GatewayResponse response = new GatewayResponse("DEFAULT_4XX", null, "invalid_request_error", null, null, Map.of());

        assertThat(response.bodyTemplate()).isEqualTo("{\"error\":{\"message\":$context.error.messageString,"
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
        // API Gateway substitutes the variable with an already-quoted JSON string; render does the same.
        assertThat(Json.readObject(response.render("Unsupported \"Media\" Type")))
                .isEqualTo(Json.readObject("{\"error\":{\"message\":\"Unsupported \\\"Media\\\" Type\","
                        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));
    }

    @Test
    void aFixedMessage_isTheTemplateAndTheRenderedBody() {
        GatewayResponse response = new GatewayResponse("THROTTLED", 429, "requests", "rate_limit_exceeded",
                "Slow down.", Map.of());

        assertThat(response.render("ignored")).isEqualTo(response.bodyTemplate())
                .isEqualTo("{\"error\":{\"message\":\"Slow down.\",\"type\":\"requests\",\"param\":null,"
                        + "\"code\":\"rate_limit_exceeded\"}}");
    }

    @Test
    void headers_becomeStaticResponseParametersInSingleQuotes_inAStableOrder() {
        GatewayResponse response = new GatewayResponse("QUOTA_EXCEEDED", 429, "insufficient_quota", "insufficient_quota",
                "Done.", Map.of("x-should-retry", "false", "Retry-After", "3600"));

        assertThat(response.responseParameters()).containsExactly(
                Map.entry("gatewayresponse.header.Retry-After", "'3600'"),
                Map.entry("gatewayresponse.header.x-should-retry", "'false'"));
    }

    @Test
    void aFixedMessageWithVtlSyntax_isRefused() {
        assertThatThrownBy(() -> new GatewayResponse("X", 400, "t", null, "costs $5", Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("$");
        assertThatThrownBy(() -> new GatewayResponse("X", 400, "t", null, "#set", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEchoBecomesARequestHeaderParameter_andTheLocalGatewaysHeadersRepeatTheRequestsValue() {
        GatewayResponse response = new GatewayResponse("UNAUTHORIZED", 401, "invalid_request_error", "invalid_api_key",
                "No key.", Map.of("Vary", "Origin"), Map.of("Access-Control-Allow-Origin", "Origin"));

        assertThat(response.responseParameters()).containsExactly(
                Map.entry("gatewayresponse.header.Access-Control-Allow-Origin", "method.request.header.Origin"),
                Map.entry("gatewayresponse.header.Vary", "'Origin'"));
        assertThat(response.headersFor(name -> name.equals("Origin") ? "https://a.example" : null))
                .containsExactly(Map.entry("Vary", "Origin"), Map.entry("Access-Control-Allow-Origin", "https://a.example"));
        assertThat(response.headersFor(name -> null)).containsExactly(Map.entry("Vary", "Origin"));
    }

    @Test
    void addedHeadersReplaceAnEchoOrAStaticValueOfTheSameName() {
        GatewayResponse response = new GatewayResponse("X", 400, "t", null, "m", Map.of("A", "1"), Map.of("B", "Origin"))
                .withHeaders(Map.of("B", "2"), Map.of("A", "Referer"));
        assertThat(response.headers()).containsExactly(Map.entry("B", "2"));
        assertThat(response.echoes()).containsExactly(Map.entry("A", "Referer"));
    }
}
