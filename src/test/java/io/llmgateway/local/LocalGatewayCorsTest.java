package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.StackConfig;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.GatewayResponses;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CORS at the HTTP level, as a browser meets it: the preflight and the actual request, from an allowed
 * and a refused origin, on the backend's 200 and on the gateway's own 401 and 429; with one origin
 * (every value static, as the stack declares it) and with several (the gateway responses repeat the
 * request's Origin). Each test has a gateway of its own.
 */
class LocalGatewayCorsTest {

    static final String APP = "https://app.example.com";
    static final String ADMIN = "http://localhost:3000";
    static final String EVIL = "https://evil.example";
    static final String CHAT_PATH = "/test/v1/chat/completions";
    static final String MODELS_PATH = "/test/v1/models";

    static StackConfig config(List<String> origins) {
        Map<String, Object> extra = origins.isEmpty() ? Map.of() : Map.of("cors", Map.of("allowedOrigins", origins));
        return TestConfigs.config(Map.of("open", Map.of("throttle", throttle(1000, 1000)),
                "slow", Map.of("throttle", throttle(0.1, 1))), extra);
    }

    TestGateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private HttpResponse<String> preflight(String path, String origin, String method) throws Exception {
        return gw.send("OPTIONS", path, null, "Origin", origin, "Access-Control-Request-Method", method,
                "Access-Control-Request-Headers", "authorization,content-type,x-stainless-os");
    }

    private HttpResponse<String> models(String client, String origin) throws Exception {
        return gw.send("GET", MODELS_PATH, null, "Authorization", "Bearer " + gw.key(client), "Origin", origin);
    }

    private static String header(HttpResponse<String> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void aPreflightFromAnAllowedOriginNeedsNoKeyAndReachesNoFunction() throws Exception {
        gw = TestGateway.start(config(List.of(APP, ADMIN)));
        HttpResponse<String> preflight = preflight(CHAT_PATH, ADMIN, "POST");

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.body()).isEmpty();
        assertThat(header(preflight, Cors.ALLOW_ORIGIN)).isEqualTo(ADMIN);
        assertThat(header(preflight, Cors.ALLOW_METHODS)).isEqualTo("POST, OPTIONS");
        assertThat(header(preflight, Cors.ALLOW_HEADERS)).isEqualTo("Authorization, *");
        assertThat(header(preflight, Cors.MAX_AGE)).isEqualTo("600");
        assertThat(header(preflight(MODELS_PATH, APP, "GET"), Cors.ALLOW_METHODS)).isEqualTo("GET, OPTIONS");
        // Neither the authorizer nor the backend ran: they would have logged.
        assertThat(gw.functionLog).isEmpty();
        // Each line is written after its response is sent, so the two may arrive in either order.
        assertThat(gw.accessLines(2)).allSatisfy(line -> assertThat(line).containsEntry("status", 200)
                .containsEntry("httpMethod", "OPTIONS").containsEntry("apiKeyId", null))
                .extracting(line -> line.get("resourcePath")).containsExactlyInAnyOrder("/v1/chat/completions", "/v1/models");
    }

    @Test
    void aPreflightOnAPathWithAParameterNamesItsRoutesMethodsAndResource() throws Exception {
        gw = TestGateway.start(config(List.of(APP)));
        HttpResponse<String> preflight = preflight("/test/v1/models/echo", APP, "GET");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(header(preflight, Cors.ALLOW_METHODS)).isEqualTo("GET, OPTIONS");
        assertThat(header(preflight, Cors.ALLOW_ORIGIN)).isEqualTo(APP);
        assertThat(gw.accessLines(1).get(0)).containsEntry("resourcePath", "/v1/models/{model}");
    }

    @Test
    void aPreflightFromARefusedOriginGetsNoAllowOrigin_soTheBrowserSendsNothing() throws Exception {
        gw = TestGateway.start(config(List.of(APP, ADMIN)));
        HttpResponse<String> preflight = preflight(CHAT_PATH, EVIL, "POST");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue(Cors.ALLOW_ORIGIN)).isEmpty();
    }

    @Test
    void anAllowedOriginCanReadThe200AndItsRequestId() throws Exception {
        gw = TestGateway.start(config(List.of(APP, ADMIN)));
        HttpResponse<String> ok = models("open-client", APP);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(header(ok, Cors.ALLOW_ORIGIN)).isEqualTo(APP);
        assertThat(header(ok, Cors.EXPOSE_HEADERS)).contains("x-request-id", "Retry-After");
        HttpResponse<String> chat = gw.send("POST", CHAT_PATH, TestGateway.CHAT, "Authorization",
                "Bearer " + gw.key("open-client"), "Origin", ADMIN);
        assertThat(chat.statusCode()).isEqualTo(200);
        assertThat(header(chat, Cors.ALLOW_ORIGIN)).isEqualTo(ADMIN);
    }

    @Test
    void anAllowedOriginCanReadThe401AndThe429() throws Exception {
        gw = TestGateway.start(config(List.of(APP, ADMIN)));
        HttpResponse<String> missingKey = gw.send("GET", MODELS_PATH, null, "Origin", APP);
        assertThat(missingKey.statusCode()).isEqualTo(401);
        assertThat(missingKey.body()).isEqualTo(gw.expectedBody(GatewayResponses.UNAUTHORIZED));
        assertThat(header(missingKey, Cors.ALLOW_ORIGIN)).isEqualTo(APP);

        assertThat(models("slow-client", ADMIN).statusCode()).isEqualTo(200);
        HttpResponse<String> throttled = models("slow-client", ADMIN);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(header(throttled, Cors.ALLOW_ORIGIN)).isEqualTo(ADMIN);
        assertThat(header(throttled, "Retry-After")).isEqualTo("10");
        assertThat(header(throttled, Cors.EXPOSE_HEADERS)).contains("Retry-After");
    }

    @Test
    void aRefusedOriginCannotReadTheBackendsAnswer() throws Exception {
        gw = TestGateway.start(config(List.of(APP, ADMIN)));
        HttpResponse<String> ok = models("open-client", EVIL);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue(Cors.ALLOW_ORIGIN)).isEmpty();
        assertThat(header(ok, Cors.VARY)).isEqualTo("Origin");
    }

    @Test
    void withSeveralOrigins_theGatewaysErrorsRepeatAnyOrigin_asTheDeployedGatewayResponsesDo() throws Exception {
        gw = TestGateway.start(config(List.of(APP, ADMIN)));
        // The gateway's own errors carry no data; see contract.Cors for why that is acceptable.
        HttpResponse<String> missingKey = gw.send("GET", MODELS_PATH, null, "Origin", EVIL);
        assertThat(missingKey.statusCode()).isEqualTo(401);
        assertThat(header(missingKey, Cors.ALLOW_ORIGIN)).isEqualTo(EVIL);
        assertThat(gw.send("GET", MODELS_PATH, null).headers().firstValue(Cors.ALLOW_ORIGIN)).isEmpty();
    }

    @Test
    void withOneOriginEveryAnswerNamesIt_andARefusedOriginCannotRead401Or429() throws Exception {
        gw = TestGateway.start(config(List.of(APP)));
        HttpResponse<String> missingKey = gw.send("GET", MODELS_PATH, null, "Origin", EVIL);
        assertThat(missingKey.statusCode()).isEqualTo(401);
        assertThat(header(missingKey, Cors.ALLOW_ORIGIN)).isEqualTo(APP);
        assertThat(models("slow-client", EVIL).statusCode()).isEqualTo(200);
        HttpResponse<String> throttled = models("slow-client", EVIL);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(header(throttled, Cors.ALLOW_ORIGIN)).isEqualTo(APP);
        assertThat(header(preflight(CHAT_PATH, APP, "POST"), Cors.ALLOW_ORIGIN)).isEqualTo(APP);
        assertThat(preflight(CHAT_PATH, EVIL, "POST").headers().firstValue(Cors.ALLOW_ORIGIN)).isEmpty();
    }

    @Test
    void withoutCors_OptionsIsAnUnknownMethodAndNoAnswerCarriesCorsHeaders() throws Exception {
        gw = TestGateway.start(config(List.of()));
        HttpResponse<String> options = preflight(CHAT_PATH, APP, "POST");
        assertThat(options.statusCode()).isEqualTo(404);
        assertThat(options.body()).isEqualTo(gw.expectedBody(GatewayResponses.MISSING_AUTHENTICATION_TOKEN));
        HttpResponse<String> ok = models("open-client", APP);
        HttpResponse<String> missingKey = gw.send("GET", MODELS_PATH, null, "Origin", APP);
        for (HttpResponse<String> response : List.of(options, ok, missingKey)) {
            assertThat(response.headers().map().keySet()).noneSatisfy(name ->
                    assertThat(name.toLowerCase()).startsWith("access-control-"));
        }
    }

    @Test
    void aPreflightOffTheRoutesIsTheUsual404() throws Exception {
        gw = TestGateway.start(config(List.of(APP)));
        HttpResponse<String> options = preflight("/test/v1/other", APP, "POST");
        assertThat(options.statusCode()).isEqualTo(404);
        assertThat(header(options, Cors.ALLOW_ORIGIN)).isEqualTo(APP);
    }
}
