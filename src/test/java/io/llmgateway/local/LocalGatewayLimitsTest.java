package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.quota;
import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.GatewayConfig;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/** API Gateway's limit semantics, through HTTP. */
class LocalGatewayLimitsTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void clientOfferingWellOverTheRate_getsRateTimesTPlusBurst_withinFivePercent() throws Exception {
        double rate = 20;
        int burst = 10;
        GatewayConfig config = TestConfigs.config(Map.of("p", Map.of("throttle", throttle(rate, burst)),
                "warm-up", Map.of("throttle", throttle(1000, 1000))), Map.of());
        try (LocalGateway gateway = start(config, LocalClock.SYSTEM)) {
            // Warm the path on another key first: a cold first request would shorten the window.
            for (int i = 0; i < 200; i++) {
                get(gateway, gateway.apiKeys().get("warm-up-client"));
            }
            String key = gateway.apiKeys().get("p-client");
            int accepted = 0;
            long first = 0;
            long last = 0;
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < end) {
                long sent = System.nanoTime();
                if (first == 0) {
                    first = sent;
                }
                last = sent;
                if (get(gateway, key).statusCode() == 200) {
                    accepted++;
                }
            }
            double seconds = (last - first) / 1e9;
            double expected = rate * seconds + burst;
            assertThat((double) accepted).isCloseTo(expected, Percentage.withPercentage(5));
        }
    }

    @Test
    void dailyQuota_acceptsExactlyN_thenInsufficientQuotaUntilTheNextUtcDay() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-25T22:00:00Z"));
        GatewayConfig config = TestConfigs.onePlan(Map.of("throttle", throttle(1000, 1000), "quota", quota(4, "DAY", 0)));
        try (LocalGateway gateway = start(config, clock)) {
            String key = gateway.apiKeys().get("p-client");
            for (int i = 0; i < 4; i++) {
                assertThat(get(gateway, key).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> refused = get(gateway, key);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("\"code\":\"insufficient_quota\"").contains("\"type\":\"insufficient_quota\"");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue(Long.toString(2 * 3600));

            clock.set(Instant.parse("2026-11-25T23:59:59Z"));
            assertThat(get(gateway, key).statusCode()).isEqualTo(429);
            assertThat(get(gateway, key).headers().firstValue("Retry-After")).hasValue("1");

            clock.set(Instant.parse("2026-11-26T00:00:00Z"));
            for (int i = 0; i < 4; i++) {
                assertThat(get(gateway, key).statusCode()).isEqualTo(200);
            }
            assertThat(get(gateway, key).statusCode()).isEqualTo(429);
        }
    }

    @Test
    void authorizerCaching_acceptsOnlyBearer_likeTheDeployedIdentitySource() throws Exception {
        GatewayConfig config = TestConfigs.config(Map.of("p", Map.of("throttle", throttle(1000, 1000))),
                Map.of("authorizerCacheTtlSeconds", "300"));
        try (LocalGateway gateway = start(config, LocalClock.SYSTEM)) {
            String key = gateway.apiKeys().get("p-client");
            HttpResponse<String> bearer = send(gateway, "Authorization", "Bearer " + key);
            HttpResponse<String> xApiKey = send(gateway, "x-api-key", key);

            assertThat(bearer.statusCode()).isEqualTo(200);
            assertThat(xApiKey.statusCode()).isEqualTo(401);
            assertThat(xApiKey.body()).contains("\"code\":\"invalid_api_key\"");
        }
    }

    private static LocalGateway start(GatewayConfig config, LocalClock clock) throws Exception {
        return LocalGateway.start(config, new EchoModel(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                clock, new PrintStream(OutputStream.nullOutputStream()));
    }

    private HttpResponse<String> get(LocalGateway gateway, String key) throws Exception {
        return send(gateway, "Authorization", "Bearer " + key);
    }

    private HttpResponse<String> send(LocalGateway gateway, String header, String value) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/models")).header(header, value).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
