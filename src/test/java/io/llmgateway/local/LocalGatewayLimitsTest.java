package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.quota;
import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.StackConfig;
import io.llmgateway.contract.GatewayResponses;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * API Gateway's limit semantics through HTTP, on the gateway's fake clock: throttles, quotas and the
 * authorizer cache. (How exact the limits are in real time is the benchmark's business.)
 */
class LocalGatewayLimitsTest {

    @Test
    void clientOfferingWellOverTheRate_getsRateTimesTPlusBurst() throws Exception {
        StackConfig config = TestConfigs.onePlan(Map.of("throttle", throttle(20, 10)));
        try (TestGateway gw = TestGateway.start(config)) {
            int accepted = 0;
            // 100 requests per second, five times the rate, for 3 seconds of the gateway's clock.
            for (int i = 0; i < 300; i++) {
                if (gw.models("p-client").statusCode() == 200) {
                    accepted++;
                }
                gw.clock.advance(Duration.ofMillis(10));
            }
            assertThat(accepted).isBetween(10 + 59, 10 + 60);
        }
    }

    @Test
    void dailyQuota_acceptsExactlyN_thenInsufficientQuotaUntilTheNextUtcDay() throws Exception {
        StackConfig config = TestConfigs.onePlan(Map.of("throttle", throttle(1000, 1000), "quota", quota(4, "DAY", 0)));
        try (TestGateway gw = TestGateway.start(config)) {
            gw.clock.set(Instant.parse("2026-11-25T22:00:00Z"));
            for (int i = 0; i < 4; i++) {
                assertThat(gw.models("p-client").statusCode()).isEqualTo(200);
            }
            HttpResponse<String> refused = gw.models("p-client");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).isEqualTo(gw.expectedBody(GatewayResponses.QUOTA_EXCEEDED));
            assertThat(refused.headers().firstValue("Retry-After")).hasValue(Long.toString(2 * 3600));
            assertThat(refused.headers().firstValue("x-should-retry")).hasValue("false");

            gw.clock.set(Instant.parse("2026-11-25T23:59:59Z"));
            assertThat(gw.models("p-client").headers().firstValue("Retry-After")).hasValue("1");

            gw.clock.set(Instant.parse("2026-11-26T00:00:00Z"));
            for (int i = 0; i < 4; i++) {
                assertThat(gw.models("p-client").statusCode()).isEqualTo(200);
            }
            assertThat(gw.models("p-client").statusCode()).isEqualTo(429);
        }
    }

    @Test
    void usedUpQuota_staysUsedUp_whenTheWallClockStepsBackAcrossTheBoundary() throws Exception {
        StackConfig config = TestConfigs.onePlan(Map.of("throttle", throttle(1000, 1000), "quota", quota(2, "DAY", 0)));
        try (TestGateway gw = TestGateway.start(config)) {
            gw.clock.set(Instant.parse("2026-11-26T00:00:01Z"));
            assertThat(gw.models("p-client").statusCode()).isEqualTo(200);
            assertThat(gw.models("p-client").statusCode()).isEqualTo(200);
            assertThat(gw.models("p-client").statusCode()).isEqualTo(429);

            // The wall clock is corrected two seconds back, into the previous day.
            gw.clock.stepWallClock(Instant.parse("2026-11-25T23:59:59Z"));

            assertThat(gw.models("p-client").statusCode()).isEqualTo(429);
            gw.clock.stepWallClock(Instant.parse("2026-11-27T00:00:00Z"));
            assertThat(gw.models("p-client").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aRequestTheStageThrottleRefuses_leavesTheKeysTokenInItsBucket() throws Exception {
        StackConfig config = TestConfigs.config(Map.of(
                        "scarce", Map.of("throttle", throttle(0.001, 2)),
                        "busy", Map.of("throttle", throttle(1000, 1000))),
                Map.of("stageRateLimit", "1", "stageBurstLimit", "1"));
        try (TestGateway gw = TestGateway.start(config)) {
            assertThat(gw.models("busy-client").statusCode()).isEqualTo(200); // takes the stage's only token
            HttpResponse<String> stageThrottled = gw.models("scarce-client");
            assertThat(stageThrottled.statusCode()).isEqualTo(429);
            assertThat(stageThrottled.body()).isEqualTo(gw.expectedBody(GatewayResponses.THROTTLED));
            assertThat(gw.models("scarce-client").statusCode()).isEqualTo(429);

            // The scarce key's two tokens are still there: one each time the stage has one again.
            gw.clock.advance(Duration.ofSeconds(1));
            assertThat(gw.models("scarce-client").statusCode()).isEqualTo(200);
            gw.clock.advance(Duration.ofSeconds(1));
            assertThat(gw.models("scarce-client").statusCode()).isEqualTo(200);
            gw.clock.advance(Duration.ofSeconds(1));
            assertThat(gw.models("scarce-client").statusCode()).isEqualTo(429); // now its own bucket is empty
        }
    }

    @Test
    void authorizerCaching_acceptsOnlyBearer_likeTheDeployedIdentitySource() throws Exception {
        try (TestGateway gw = TestGateway.start(cachingConfig())) {
            HttpResponse<String> bearer = gw.models("p-client");
            HttpResponse<String> xApiKey = gw.send("GET", "/test/v1/models", null, "x-api-key", gw.key("p-client"));

            assertThat(bearer.statusCode()).isEqualTo(200);
            assertThat(xApiKey.statusCode()).isEqualTo(401);
            assertThat(xApiKey.body()).isEqualTo(gw.expectedBody(GatewayResponses.UNAUTHORIZED));
        }
    }

    @Test
    void authorizerCaching_basicWithAValidXApiKeyIsRefused_andSoIsTheSameHeaderWithoutAKeyLater() throws Exception {
        try (TestGateway gw = TestGateway.start(cachingConfig())) {
            String basic = "Basic dXNlcjpwYXNzd29yZA==";
            HttpResponse<String> withKey = gw.send("GET", "/test/v1/models", null,
                    "Authorization", basic, "x-api-key", gw.key("p-client"));
            HttpResponse<String> withoutKey = gw.send("GET", "/test/v1/models", null, "Authorization", basic);

            assertThat(withKey.statusCode()).isEqualTo(401);
            assertThat(withoutKey.statusCode()).isEqualTo(401);
            assertThat(withKey.body()).isEqualTo(gw.expectedBody(GatewayResponses.UNAUTHORIZED)).isEqualTo(withoutKey.body());
            // Its "Unauthorized" is no policy, so nothing was cached for the header: the authorizer ran
            // (and logged its refusal) both times, and no key was ever metered.
            assertThat(gw.functionLog).hasSize(2);
            assertThat(gw.accessLines(2)).allSatisfy(line -> assertThat(line).containsEntry("apiKeyId", null)
                    .containsEntry("errorResponseType", GatewayResponses.UNAUTHORIZED));
        }
    }

    @Test
    void authorizerCaching_aCachedBearerKeyKeepsWorking_andADisabledKeyIsRefusedEveryTime() throws Exception {
        try (TestGateway gw = TestGateway.start(cachingConfig())) {
            assertThat(gw.models("p-client").statusCode()).isEqualTo(200);
            assertThat(gw.models("p-client").statusCode()).isEqualTo(200);

            // The authorizer allows any well-formed Bearer key (it only finds the key); API Gateway
            // checks it against the usage plans on every request, also when the Allow is cached.
            HttpResponse<String> first = gw.models("disabled-client");
            HttpResponse<String> cached = gw.models("disabled-client");
            assertThat(first.statusCode()).isEqualTo(401);
            assertThat(cached.statusCode()).isEqualTo(401);
            assertThat(cached.body()).isEqualTo(gw.expectedBody(GatewayResponses.INVALID_API_KEY));
            assertThat(gw.functionLog).noneMatch(line -> line.contains("\"authorizer\"")); // Allows log nothing
        }
    }

    private static StackConfig cachingConfig() {
        return TestConfigs.config(Map.of("p", Map.of("throttle", throttle(1000, 1000))),
                Map.of("authorizerCacheTtlSeconds", "300"));
    }
}
