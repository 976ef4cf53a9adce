package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.config.StackConfig;
import io.llmgateway.contract.GatewayResponses;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local gateway's HTTP surface: what API Gateway answers before the backend, that accepted
 * requests reach it, and what goes to the access log and the functions' log. Each test has a
 * gateway of its own.
 */
class LocalGatewayHttpTest {

    static final String CHAT_PATH = "/test/v1/chat/completions";

    static StackConfig config() {
        return TestConfigs.config(Map.of("open", Map.of("throttle", throttle(1000, 1000)),
                "slow", Map.of("throttle", throttle(0.1, 1))), Map.of());
    }

    TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start(config());
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void chat_withBearerKey_reachesTheBackendAndAnswersAsOpenAi() throws Exception {
        HttpResponse<String> response = gw.chat("open-client");

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = Json.readObject(response.body());
        assertThat(body).containsEntry("object", "chat.completion").containsEntry("model", "echo");
        assertThat(response.body()).contains("Echo from amazon.nova-micro-v1:0: Hello there");
    }

    @Test
    void models_withXApiKeyHeader_isAccepted() throws Exception {
        HttpResponse<String> response = gw.send("GET", "/test/v1/models", null, "x-api-key", gw.key("open-client"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":\"echo\"").contains("\"object\":\"list\"");
    }

    @Test
    void unknownRoute_wrongMethod_andWrongStage_getTheDeployedApis404() throws Exception {
        String expected = gw.expectedBody(GatewayResponses.MISSING_AUTHENTICATION_TOKEN);
        for (String[] request : new String[][] {{"GET", "/test/v1/nope"}, {"GET", CHAT_PATH},
                {"DELETE", "/test/v1/models"}, {"POST", "/prod/v1/chat/completions"}, {"POST", "/"}, {"GET", "/test"}}) {
            HttpResponse<String> response = gw.send(request[0], request[1], null, "Authorization", "Bearer " + gw.key("open-client"));
            assertThat(response.statusCode()).as(String.join(" ", request)).isEqualTo(404);
            assertThat(response.body()).isEqualTo(expected);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        }
    }

    /** As the stack's MOCK method: 200 JSON with no key, no authorizer and no Lambda; logged like any request. */
    @Test
    void health_withoutAKey_is200Json_andRunsNoFunction() throws Exception {
        HttpResponse<String> response = gw.send("GET", "/test/health", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(gw.accessLines(1).get(0)).containsEntry("status", 200).containsEntry("resourcePath", "/health")
                .containsEntry("apiKeyId", null);
        assertThat(gw.functionLog).as("neither the authorizer nor the backend ran").isEmpty();
    }

    @Test
    void head_gets404WithoutABody() throws Exception {
        HttpResponse<String> response = gw.send("HEAD", "/test/v1/models", null, "Authorization", "Bearer " + gw.key("open-client"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void missingKey_is401InvalidApiKey() throws Exception {
        HttpResponse<String> response = gw.send("POST", CHAT_PATH, TestGateway.CHAT);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo(gw.expectedBody(GatewayResponses.UNAUTHORIZED));
        assertThat(response.body()).contains("\"code\":\"invalid_api_key\"");
    }

    @Test
    void unknownAndDisabledKeys_are401WithoutSayingWhichKeysExist() throws Exception {
        HttpResponse<String> unknown = gw.send("POST", CHAT_PATH, TestGateway.CHAT, "Authorization", "Bearer notARealKeyButLongEnough1234");
        HttpResponse<String> disabled = gw.send("POST", CHAT_PATH, TestGateway.CHAT, "Authorization", "Bearer " + gw.key("disabled-client"));

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(disabled.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(gw.expectedBody(GatewayResponses.INVALID_API_KEY)).isEqualTo(disabled.body());
    }

    @Test
    void throttledKey_gets429WithRetryAfter_untilItsBucketRefillsOnTheClock() throws Exception {
        HttpResponse<String> first = gw.models("slow-client");
        HttpResponse<String> second = gw.models("slow-client");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.body()).isEqualTo(gw.expectedBody(GatewayResponses.THROTTLED));
        // Retry-After follows the slowest plan rate: 0.1 requests per second is one every 10 s.
        assertThat(second.headers().firstValue("Retry-After")).hasValue("10");

        gw.clock.advance(Duration.ofSeconds(9));
        assertThat(gw.models("slow-client").statusCode()).isEqualTo(429);
        gw.clock.advance(Duration.ofSeconds(1));
        assertThat(gw.models("slow-client").statusCode()).isEqualTo(200);
    }

    @Test
    void bodyOverApiGatewaysLimit_is413() throws Exception {
        String huge = "x".repeat(ApiGatewayPipeline.MAX_PAYLOAD_BYTES + 1);
        HttpResponse<String> response = gw.send("POST", CHAT_PATH, huge, "Authorization", "Bearer " + gw.key("open-client"));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo(gw.expectedBody(GatewayResponses.REQUEST_TOO_LARGE));
    }

    @Test
    void bodyOverTheBackendsLimit_getsTheBackends413() throws Exception {
        String big = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "y".repeat(gw.config.limits().maxRequestBytes()) + "\"}]}";
        HttpResponse<String> response = gw.send("POST", CHAT_PATH, big, "Authorization", "Bearer " + gw.key("open-client"));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":\"request_too_large\"");
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
    }

    @Test
    void invalidJson_getsTheHandlers400() throws Exception {
        HttpResponse<String> response = gw.send("POST", CHAT_PATH, "{not json", "Authorization", "Bearer " + gw.key("open-client"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"type\":\"invalid_request_error\"");
    }

    @Test
    void backendAnswers_carryXRequestIdAndXAmznRequestId_theSameId() throws Exception {
        HttpResponse<String> response = gw.chat("open-client");

        String id = response.headers().firstValue("x-amzn-RequestId").orElseThrow();
        assertThat(response.headers().firstValue("x-request-id")).hasValue(id);
        assertThat(gw.accessLines(1).get(0)).containsEntry("requestId", id);
    }

    /**
     * API Gateway cannot put {@code $context.requestId} into a gateway response header (they take only
     * static values and method.request parameters), so its own refusals carry x-amzn-RequestId alone.
     */
    @Test
    void gatewaysOwnRefusals_carryXAmznRequestIdButNotXRequestId() throws Exception {
        List<HttpResponse<String>> refusals = List.of(
                gw.send("GET", "/test/v1/nope", null),                                                     // 404
                gw.send("POST", CHAT_PATH, TestGateway.CHAT),                                              // 401
                gw.send("POST", CHAT_PATH, "x".repeat(ApiGatewayPipeline.MAX_PAYLOAD_BYTES + 1),
                        "Authorization", "Bearer " + gw.key("open-client")),                               // 413
                gw.models("slow-client"), gw.models("slow-client"));                                       // 200, 429

        assertThat(refusals).extracting(HttpResponse::statusCode).containsExactly(404, 401, 413, 200, 429);
        for (HttpResponse<String> refusal : List.of(refusals.get(0), refusals.get(1), refusals.get(2), refusals.get(4))) {
            assertThat(refusal.headers().firstValue("x-amzn-RequestId")).as("%s", refusal).isPresent();
            assertThat(refusal.headers().firstValue("x-request-id")).as("%s", refusal).isEmpty();
        }
        assertThat(refusals.get(3).headers().firstValue("x-request-id")).isPresent();
    }

    @Test
    void integrationTimeout_onTheGatewaysClock_is504WithoutXRequestId() throws Exception {
        GatedModel model = new GatedModel();
        // Two minutes: far past the hang detector, so only the gateway's own clock can end this wait.
        StackConfig config = TestConfigs.config(Map.of("open", Map.of("throttle", throttle(1000, 1000))),
                Map.of("integrationTimeoutMs", "120000"));
        try (TestGateway slow = TestGateway.start(config, model, Duration.ofSeconds(5))) {
            CompletableFuture<HttpResponse<String>> pending = TestGateway.HTTP.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + slow.port() + CHAT_PATH)).timeout(TestGateway.HANG)
                            .header("Authorization", "Bearer " + slow.key("open-client"))
                            .POST(HttpRequest.BodyPublishers.ofString(TestGateway.CHAT)).build(),
                    HttpResponse.BodyHandlers.ofString());
            model.awaitCall();
            slow.clock.advance(Duration.ofMillis(slow.config.api().integrationTimeoutMs()));
            HttpResponse<String> response = pending.get();

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(response.body()).isEqualTo(slow.expectedBody(GatewayResponses.INTEGRATION_TIMEOUT));
            assertThat(response.headers().firstValue("x-amzn-RequestId")).isPresent();
            assertThat(response.headers().firstValue("x-request-id")).isEmpty();
            assertThat(slow.accessLines(1).get(0)).containsEntry("errorResponseType", "INTEGRATION_TIMEOUT")
                    .containsEntry("status", 504);
        } finally {
            model.release();
        }
    }

    @Test
    void accessLog_namesTheKeyIdAndWhyARequestWasRefused_neverTheKey() throws Exception {
        String slow = gw.key("slow-client");
        gw.models("slow-client");
        gw.models("slow-client");

        List<Map<String, Object>> lines = gw.accessLines(2);
        assertThat(lines).allSatisfy(line -> assertThat(line).containsEntry("apiKeyId", gw.keyId("slow-client"))
                .containsEntry("resourcePath", "/v1/models").containsEntry("httpMethod", "GET")
                .containsKeys(io.llmgateway.contract.AccessLogFormat.FIELDS.keySet().toArray(String[]::new)));
        assertThat(lines.get(0)).containsEntry("status", 200).containsEntry("errorResponseType", null);
        assertThat(lines.get(1)).containsEntry("status", 429).containsEntry("errorResponseType", "THROTTLED");
        // API Gateway's CLF time, on the gateway's clock.
        assertThat(lines.get(0)).containsEntry("requestTime", "25/Nov/2026:10:00:00 +0000");
        assertThat(String.join("\n", gw.accessLog)).doesNotContain(slow);
    }

    @Test
    void theFunctionsOwnLogLines_goToTheFunctionLog_notTheAccessLog() throws Exception {
        gw.chat("open-client");
        gw.send("POST", CHAT_PATH, TestGateway.CHAT, "Authorization", "Basic dXNlcjpwYXNz");

        List<Map<String, Object>> access = gw.accessLines(2);
        assertThat(access).extracting(line -> line.get("status")).containsExactly(200, 401);
        assertThat(gw.functionLog).hasSize(2);
        Map<String, Object> backendLine = Json.readObject(gw.functionLog.get(0));
        assertThat(backendLine).containsEntry("requestId", access.get(0).get("requestId"))
                .containsEntry("apiKeyId", gw.keyId("open-client")).containsEntry("status", 200);
        assertThat(gw.functionLog.get(1)).contains("\"authorizer\":\"deny\"").contains("authorization_not_bearer");
        assertThat(String.join("\n", gw.functionLog)).doesNotContain(gw.key("open-client"));
    }
}
