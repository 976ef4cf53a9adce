package io.llmgateway.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which origin gets which CORS headers, on each kind of answer. */
class CorsTest {

    private static final String APP = "https://app.example.com";
    private static final String ADMIN = "https://admin.example.com:8443";
    private static final String EVIL = "https://evil.example";

    private static final Cors ONE = new Cors(List.of(APP));
    private static final Cors TWO = new Cors(List.of(APP, ADMIN));
    private static final Cors ANY = new Cors(List.of(Cors.ANY_ORIGIN));

    @Test
    void offByDefault_noAnswerCarriesCorsHeaders() {
        assertThat(Cors.NONE.enabled()).isFalse();
        assertThat(Cors.NONE.responseHeaders(APP)).isEmpty();
        assertThat(Cors.NONE.gatewayResponseStaticHeaders()).isEmpty();
        assertThat(Cors.NONE.gatewayResponseEcho()).isEmpty();
        List<GatewayResponse> responses = GatewayResponses.all(1, GatewayResponses.KeyHeaders.BEARER_ONLY);
        assertThat(Cors.NONE.onGatewayResponses(responses)).isEqualTo(responses);
    }

    @Test
    void onlyAListedOriginIsAllowed_exactly() {
        assertThat(TWO.allowOrigin(APP)).contains(APP);
        assertThat(TWO.allowOrigin(ADMIN)).contains(ADMIN);
        assertThat(TWO.allowOrigin(EVIL)).isEmpty();
        assertThat(TWO.allowOrigin("https://admin.example.com")).as("another port is another origin").isEmpty();
        assertThat(TWO.allowOrigin(APP + "/")).isEmpty();
        assertThat(TWO.allowOrigin(null)).isEmpty();
        assertThat(ANY.allowOrigin(EVIL)).contains("*");
        assertThat(ANY.allowOrigin(null)).contains("*");
    }

    @Test
    void aBackendAnswerToAListedOriginMayBeReadWithItsRetryAfterAndRequestId() {
        assertThat(TWO.responseHeaders(ADMIN)).containsExactly(
                Map.entry(Cors.ALLOW_ORIGIN, ADMIN),
                Map.entry(Cors.EXPOSE_HEADERS, "Retry-After, x-should-retry, x-request-id, x-ratelimit-limit-requests, "
                        + "x-amzn-RequestId"),
                Map.entry(Cors.VARY, "Origin"));
        assertThat(TWO.responseHeaders(EVIL)).containsExactly(Map.entry(Cors.VARY, "Origin"));
        assertThat(ANY.responseHeaders(EVIL)).containsEntry(Cors.ALLOW_ORIGIN, "*").doesNotContainKey(Cors.VARY);
    }

    @Test
    void aPreflightNamesTheResourcesMethodsAndAllowsAuthorizationByName() {
        Map<String, String> headers = TWO.preflightHeaders(APP, List.of("POST"));
        assertThat(headers).containsEntry(Cors.ALLOW_ORIGIN, APP)
                .containsEntry(Cors.ALLOW_METHODS, "POST, OPTIONS")
                .containsEntry(Cors.ALLOW_HEADERS, "Authorization, *")
                .containsEntry(Cors.MAX_AGE, "600")
                .containsEntry(Cors.VARY, "Origin");
        assertThat(TWO.preflightHeaders(EVIL, List.of("GET"))).doesNotContainKey(Cors.ALLOW_ORIGIN)
                .containsEntry(Cors.ALLOW_METHODS, "GET, OPTIONS");
        assertThat(Cors.allowMethods(List.of("GET", "OPTIONS", "POST", "GET"))).isEqualTo("GET, POST, OPTIONS");
    }

    @Test
    void gatewayResponsesCarryAStaticOriginWhenThereIsOne_andRepeatTheRequestsOriginWhenThereAreSeveral() {
        assertThat(ONE.gatewayResponseStaticHeaders()).containsEntry(Cors.ALLOW_ORIGIN, APP)
                .containsEntry(Cors.EXPOSE_HEADERS, Cors.EXPOSED_HEADERS);
        assertThat(ONE.gatewayResponseEcho()).isEmpty();
        assertThat(ANY.gatewayResponseStaticHeaders()).containsEntry(Cors.ALLOW_ORIGIN, "*").doesNotContainKey(Cors.VARY);
        assertThat(TWO.gatewayResponseStaticHeaders()).doesNotContainKey(Cors.ALLOW_ORIGIN)
                .containsEntry(Cors.VARY, "Origin");
        assertThat(TWO.gatewayResponseEcho()).isEqualTo(Map.of(Cors.ALLOW_ORIGIN, Cors.ORIGIN));
    }

    @Test
    void everyGatewayResponseGetsTheHeaders_andKeepsItsOwn() {
        List<GatewayResponse> responses = GatewayResponses.all(1, GatewayResponses.KeyHeaders.BEARER_ONLY);
        List<GatewayResponse> withCors = TWO.onGatewayResponses(responses);
        assertThat(withCors).hasSameSizeAs(responses);
        for (int i = 0; i < responses.size(); i++) {
            GatewayResponse before = responses.get(i);
            GatewayResponse after = withCors.get(i);
            assertThat(after.responseParameters()).containsAllEntriesOf(before.responseParameters())
                    .containsEntry("gatewayresponse.header.Access-Control-Allow-Origin", "method.request.header.Origin")
                    .containsEntry("gatewayresponse.header.Vary", "'Origin'");
            assertThat(after.bodyTemplate()).isEqualTo(before.bodyTemplate());
        }
        GatewayResponse throttled = GatewayResponses.find(withCors, GatewayResponses.THROTTLED).orElseThrow();
        assertThat(throttled.headersFor(name -> name.equalsIgnoreCase("origin") ? ADMIN : null))
                .containsEntry(Cors.ALLOW_ORIGIN, ADMIN).containsEntry(Headers.RETRY_AFTER, "1");
        assertThat(throttled.headersFor(name -> null)).doesNotContainKey(Cors.ALLOW_ORIGIN);
    }

    @Test
    void anyOriginStandsAlone() {
        assertThatThrownBy(() -> new Cors(List.of("*", APP))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Cors(List.of(APP, APP)).allowedOrigins()).containsExactly(APP);
    }
}
