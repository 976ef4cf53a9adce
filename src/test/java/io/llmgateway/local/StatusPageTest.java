package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.quota;
import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.config.StackConfig;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The status page at {@code /}, over HTTP, on the gateway's fake clock. */
class StatusPageTest {

    TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        // "metered": 1 request per second, burst 3, 10 a day; "open": no quota, and chat held to 2 a second.
        StackConfig config = TestConfigs.config(Map.of(
                "metered", Map.of("throttle", throttle(1, 3), "quota", quota(10, "DAY", 0),
                        "tokens", Map.of("perMinute", 5000, "budget", Map.of("limit", 200000, "period", "DAY")),
                        "models", List.of("echo")),
                "open", Map.of("throttle", throttle(100, 100),
                        "methodThrottles", Map.of("/v1/chat/completions/POST", throttle(2, 4)))), Map.of());
        gw = TestGateway.start(config);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> client(Map<String, Object> status, String name) {
        return ((List<Map<String, Object>>) status.get("clients")).stream().filter(c -> c.get("name").equals(name))
                .findFirst().orElseThrow();
    }

    private Map<String, Object> json() throws Exception {
        HttpResponse<String> response = gw.send("GET", "/status.json", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        return Json.readObject(response.body());
    }

    @Test
    void theJson_showsEachClientsBucketQuotaAndTokenUse_asTheyStand() throws Exception {
        assertThat(gw.chat("metered-client").statusCode()).isEqualTo(200);
        assertThat(gw.chat("metered-client").statusCode()).isEqualTo(200);

        Map<String, Object> metered = client(json(), "metered-client");
        assertThat(metered).containsEntry("plan", "metered").containsEntry("keyId", gw.keyId("metered-client"))
                .containsEntry("enabled", true);
        assertThat(metered.get("bucket")).isEqualTo(Map.of("tokens", 1.0, "burstLimit", 3, "rateLimit", 1.0));
        assertThat(metered.get("quota")).isEqualTo(Map.of("used", 2, "limit", 10, "period", "DAY",
                "resetsAt", "2026-11-26T00:00:00Z"));
        // The echo model counts a text of n characters as ceil(n / 4) tokens.
        Map<?, ?> tokens = (Map<?, ?>) metered.get("tokens");
        assertThat(tokens.get("requests")).isEqualTo(2);
        assertThat(((Number) tokens.get("input")).longValue()).isPositive();
        assertThat(((Number) tokens.get("output")).longValue()).isPositive();

        // Half a second later the bucket has refilled half a token.
        gw.clock.advance(Duration.ofMillis(500));
        assertThat(client(json(), "metered-client").get("bucket"))
                .isEqualTo(Map.of("tokens", 1.5, "burstLimit", 3, "rateLimit", 1.0));

        Map<String, Object> open = client(json(), "open-client");
        assertThat(open.get("quota")).isNull();
        assertThat(open.get("methodBuckets")).isEqualTo(Map.of("/v1/chat/completions/POST",
                Map.of("tokens", 4.0, "burstLimit", 4, "rateLimit", 2.0)));
        assertThat(open.get("tokens")).isEqualTo(Map.of("requests", 0, "input", 0, "output", 0));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLastRefusals_areListedNewestFirst_withTheirCause_andCountedByClientAndCause() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(gw.models("metered-client").statusCode()).isEqualTo(200);
        }
        assertThat(gw.models("metered-client").statusCode()).isEqualTo(429);
        gw.clock.advance(Duration.ofMillis(10));
        assertThat(gw.send("GET", "/test/v1/models", null, "Authorization", "Bearer wrong-key-0123456789")
                .statusCode()).isEqualTo(401);
        gw.clock.advance(Duration.ofMillis(10));
        assertThat(gw.models("metered-client").statusCode()).isEqualTo(429);

        Map<String, Object> status = json();
        List<Map<String, Object>> refusals = (List<Map<String, Object>>) status.get("refusals");
        assertThat(refusals).extracting(r -> r.get("cause")).containsExactly("THROTTLED", "INVALID_API_KEY", "THROTTLED");
        assertThat(refusals.get(0)).isEqualTo(row("at", "2026-11-25T10:00:00.020Z", "client", "metered-client",
                "keyId", gw.keyId("metered-client"), "route", "GET /v1/models", "status", 429, "cause", "THROTTLED"));
        assertThat(refusals.get(1)).isEqualTo(row("at", "2026-11-25T10:00:00.010Z", "client", null, "keyId", null,
                "route", "GET /v1/models", "status", 401, "cause", "INVALID_API_KEY"));
        assertThat((List<Map<String, Object>>) status.get("refusalCounts")).containsExactly(
                row("client", "metered-client", "keyId", gw.keyId("metered-client"), "cause", "THROTTLED", "count", 2),
                row("client", null, "keyId", null, "cause", "INVALID_API_KEY", "count", 1));
    }

    /** A JSON object as the page writes it, nulls included. */
    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> row = new java.util.LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            row.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return row;
    }

    @Test
    void thePage_isHtmlThatReloadsItself_withPlansClientsRefusalsAndCapacity_andNeverAKeyValue() throws Exception {
        HttpResponse<String> first = gw.send("GET", "/", null);
        assertThat(first.body()).contains("none yet");
        gw.models("disabled-client");
        HttpResponse<String> page = gw.send("GET", "/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(page.body()).startsWith("<!DOCTYPE html>")
                .contains("<meta http-equiv=\"refresh\" content=\"2\">", "stage test", "<h2>Plans</h2>",
                        "<h2>Clients</h2>", "<h2>Last refusals</h2>", "<h2>Capacity</h2>", "metered-client",
                        "open-client", "disabled-client (disabled)", gw.keyId("metered-client"), "10 / DAY",
                        "INVALID_API_KEY", "Requests: 2 enabled keys can send 101 rps");
        for (String client : List.of("metered-client", "open-client", "disabled-client")) {
            assertThat(page.body()).doesNotContain(gw.key(client));
        }
        // Not API Gateway's: no access-log line; the first line is the 401 that came after the first page.
        assertThat(gw.accessLines(1).get(0)).containsEntry("status", 401).containsEntry("apiId", LocalGateway.API_ID);
    }

    @Test
    void configTextIsEscaped() {
        assertThat(StatusPage.esc("<script>alert('x')</script> & \"q\""))
                .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
    }

    @Test
    void otherPathsOutsideTheStage_remainApiGateways404() throws Exception {
        HttpResponse<String> response = gw.send("GET", "/status", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(gw.send("POST", "/", "{}").statusCode()).isEqualTo(404);
    }
}
