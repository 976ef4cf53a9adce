package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.llmgateway.backend.authorizer.ApiKeyAuthorizer;
import io.llmgateway.contract.GatewayResponses;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deployed authorizer behind API Gateway's side of the contract, with and without caching. */
class AuthorizerEmulationTest {

    static final String KEY = "k".repeat(40);

    private final FakeClock clock = new FakeClock(Instant.parse("2026-11-25T10:00:00Z"));
    private final List<String> log = new ArrayList<>();
    private int invocations;
    private final RequestStreamHandler counted = countCalls(new ApiKeyAuthorizer(log::add));

    private RequestStreamHandler countCalls(RequestStreamHandler handler) {
        return (in, out, context) -> {
            invocations++;
            handler.handleRequest(in, out, context);
        };
    }

    private AuthorizerEmulation caching() {
        return new AuthorizerEmulation(counted, new AuthorizerCache(300, 100), "test", clock, log::add);
    }

    private AuthorizerEmulation uncached() {
        return new AuthorizerEmulation(counted, null, "test", clock, log::add);
    }

    @Test
    void caching_basicWithAValidXApiKey_isUnauthorized_andNothingIsCachedForTheHeader() {
        AuthorizerEmulation authorizer = caching();

        AuthorizerEmulation.Verdict withKey = authorize(authorizer, "Authorization", "Basic dXNlcjpwYXNz", "x-api-key", KEY);
        AuthorizerEmulation.Verdict withoutKey = authorize(authorizer, "Authorization", "Basic dXNlcjpwYXNz");

        assertThat(withKey).isEqualTo(new AuthorizerEmulation.Verdict.Refused(GatewayResponses.UNAUTHORIZED));
        assertThat(withoutKey).isEqualTo(withKey);
        assertThat(invocations).isEqualTo(2); // an "Unauthorized" failure is no policy: nothing to cache
    }

    @Test
    void caching_aBearerKeyIsAllowedFromTheCacheUntilTheTtlPasses() {
        AuthorizerEmulation authorizer = caching();

        assertThat(authorize(authorizer, "Authorization", "Bearer " + KEY)).isEqualTo(new AuthorizerEmulation.Verdict.Allowed(KEY));
        clock.advance(Duration.ofSeconds(299));
        assertThat(authorize(authorizer, "Authorization", "Bearer " + KEY)).isEqualTo(new AuthorizerEmulation.Verdict.Allowed(KEY));
        assertThat(invocations).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(authorize(authorizer, "Authorization", "Bearer " + KEY)).isEqualTo(new AuthorizerEmulation.Verdict.Allowed(KEY));
        assertThat(invocations).isEqualTo(2);
    }

    @Test
    void caching_aRequestWithoutAuthorization_isUnauthorizedWithoutRunningTheAuthorizer() {
        AuthorizerEmulation authorizer = caching();

        assertThat(authorize(authorizer, "x-api-key", KEY)).isEqualTo(new AuthorizerEmulation.Verdict.Refused(GatewayResponses.UNAUTHORIZED));
        assertThat(authorize(authorizer, "Authorization", "  ", "x-api-key", KEY))
                .isEqualTo(new AuthorizerEmulation.Verdict.Refused(GatewayResponses.UNAUTHORIZED));
        assertThat(invocations).isZero();
    }

    @Test
    void uncached_runsEveryTime_andAcceptsXApiKeyOnARequestWithoutAuthorization() {
        AuthorizerEmulation authorizer = uncached();

        assertThat(authorize(authorizer, "x-api-key", KEY)).isEqualTo(new AuthorizerEmulation.Verdict.Allowed(KEY));
        assertThat(authorize(authorizer, "x-api-key", KEY)).isEqualTo(new AuthorizerEmulation.Verdict.Allowed(KEY));
        assertThat(authorize(authorizer, "Authorization", "Basic x", "x-api-key", KEY))
                .isEqualTo(new AuthorizerEmulation.Verdict.Refused(GatewayResponses.UNAUTHORIZED));
        assertThat(invocations).isEqualTo(3);
    }

    @Test
    void aFailingAuthorizer_isAConfigurationError_andNotCached() {
        RequestStreamHandler failing = countCalls((in, out, context) -> {
            throw new IllegalStateException("boom");
        });
        AuthorizerEmulation authorizer = new AuthorizerEmulation(failing, new AuthorizerCache(300, 100), "test", clock, log::add);

        AuthorizerEmulation.Verdict first = authorize(authorizer, "Authorization", "Bearer " + KEY);
        AuthorizerEmulation.Verdict second = authorize(authorizer, "Authorization", "Bearer " + KEY);

        assertThat(first).isEqualTo(new AuthorizerEmulation.Verdict.Refused(GatewayResponses.AUTHORIZER_CONFIGURATION_ERROR));
        assertThat(second).isEqualTo(first);
        assertThat(invocations).isEqualTo(2);
    }

    private AuthorizerEmulation.Verdict authorize(AuthorizerEmulation authorizer, String... headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], List.of(headers[i + 1]));
        }
        IncomingRequest request = new IncomingRequest("GET", "/test/v1/models", null, "HTTP/1.1", "127.0.0.1", map,
                new RequestBody(0, new ByteArrayInputStream(new byte[0])), clock.now());
        return authorizer.authorize(request, "/v1/models", "request-1");
    }
}
