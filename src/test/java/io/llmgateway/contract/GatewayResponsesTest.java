package io.llmgateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.contract.GatewayResponses.KeyHeaders;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GatewayResponsesTest {

    private static final List<GatewayResponse> ALL = GatewayResponses.all(4, KeyHeaders.BEARER_OR_X_API_KEY);

    @Test
    void everyResponseType_isDeclaredOnce_asJson() {
        assertThat(ALL).extracting(GatewayResponse::responseType).doesNotHaveDuplicates()
                .contains(GatewayResponses.THROTTLED, GatewayResponses.QUOTA_EXCEEDED, GatewayResponses.INVALID_API_KEY,
                        GatewayResponses.ACCESS_DENIED, GatewayResponses.UNAUTHORIZED,
                        GatewayResponses.MISSING_AUTHENTICATION_TOKEN, GatewayResponses.INTEGRATION_TIMEOUT,
                        GatewayResponses.DEFAULT_4XX, GatewayResponses.DEFAULT_5XX);
        assertThat(ALL).allSatisfy(r -> assertThat(r.headers()).containsEntry(Headers.CONTENT_TYPE, Headers.JSON));
    }

    @Test
    void every429_carriesRetryAfter_andOnlyQuotaTellsSdksNotToRetry() {
        GatewayResponse throttled = find(GatewayResponses.THROTTLED);
        GatewayResponse quota = find(GatewayResponses.QUOTA_EXCEEDED);

        assertThat(ALL).filteredOn(r -> Integer.valueOf(429).equals(r.statusCode()))
                .containsExactlyInAnyOrder(throttled, quota)
                .allSatisfy(r -> assertThat(r.headers()).containsKey(Headers.RETRY_AFTER));
        assertThat(throttled.headers()).containsEntry(Headers.RETRY_AFTER, "4").doesNotContainKey(Headers.X_SHOULD_RETRY);
        assertThat(quota.headers())
                .containsEntry(Headers.RETRY_AFTER, Integer.toString(RateLimits.QUOTA_RETRY_AFTER_SECONDS))
                .containsEntry(Headers.X_SHOULD_RETRY, "false");
        assertThat(ALL).filteredOn(r -> r != quota)
                .allSatisfy(r -> assertThat(r.headers()).doesNotContainKey(Headers.X_SHOULD_RETRY));
    }

    @Test
    void keyErrors_are401InvalidApiKey_asOpenAiSends() {
        for (String type : List.of(GatewayResponses.INVALID_API_KEY, GatewayResponses.UNAUTHORIZED)) {
            GatewayResponse response = find(type);
            assertThat(response.statusCode()).as(type).isEqualTo(401);
            assertThat(response.code()).as(type).isEqualTo("invalid_api_key");
        }
    }

    /**
     * ACCESS_DENIED is a policy's refusal, and the authorizer returns no Deny: it is a private API's
     * resource policy. A client in an unlisted VPC endpoint must not be told its key is wrong.
     */
    @Test
    void accessDenied_is403NamingTheResourcePolicy_notTheKey() {
        GatewayResponse denied = find(GatewayResponses.ACCESS_DENIED);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.code()).isEqualTo("access_denied");
        assertThat(denied.render("")).contains("resource policy").contains("VPC endpoint").doesNotContainIgnoringCase("key");
    }

    @Test
    void withBearerOnlyKeys_noMessageTellsAClientToUseXApiKey() {
        List<GatewayResponse> bearerOnly = GatewayResponses.all(1, KeyHeaders.BEARER_ONLY);

        assertThat(bearerOnly).allSatisfy(r -> assertThat(r.render("")).doesNotContainIgnoringCase("x-api-key"));
        assertThat(GatewayResponses.find(bearerOnly, GatewayResponses.UNAUTHORIZED).orElseThrow().render(""))
                .contains("Authorization: Bearer YOUR_KEY");
        assertThat(find(GatewayResponses.UNAUTHORIZED).render("")).contains("x-api-key");
    }

    @Test
    void unknownUrl_namesEveryRouteEveryStackServes() {
        String body = find(GatewayResponses.MISSING_AUTHENTICATION_TOKEN).render("Missing Authentication Token");
        for (Route route : Route.values()) {
            // The stored-response routes exist only where storage is on, and the text is one for every stack.
            if (route.storedOnly()) {
                assertThat(body).doesNotContain(route.method() + " " + route.path());
            } else {
                assertThat(body).contains(route.method() + " " + route.path());
            }
        }
    }

    @Test
    void integrationTimeout_saysWhatTheBackendsOwnTimeoutSays() {
        GatewayResponse timeout = find(GatewayResponses.INTEGRATION_TIMEOUT);
        OpenAiError backend = OpenAiError.timeout();

        assertThat(timeout.statusCode()).isEqualTo(backend.status());
        assertThat(timeout.render("Endpoint request timed out")).isEqualTo(backend.toJson());
    }

    @ParameterizedTest
    @EnumSource(KeyHeaders.class)
    @SuppressWarnings("unchecked")
    void everyRenderedBody_isOneOpenAiErrorObject(KeyHeaders keyHeaders) throws IOException {
        for (GatewayResponse response : GatewayResponses.all(2, keyHeaders)) {
            Map<String, Object> body = Json.readObject(response.render("API Gateway's \"quoted\" message"));
            assertThat(body).containsOnlyKeys("error");
            assertThat((Map<String, Object>) body.get("error"))
                    .containsOnlyKeys("message", "type", "param", "code")
                    .containsEntry("type", response.errorType())
                    .containsEntry("code", response.code());
        }
    }

    private static GatewayResponse find(String type) {
        return GatewayResponses.find(ALL, type).orElseThrow();
    }
}
