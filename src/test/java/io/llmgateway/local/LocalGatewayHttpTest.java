package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.GatewayConfig;
import io.llmgateway.contract.GatewayResponse;
import io.llmgateway.contract.GatewayResponses;
import io.llmgateway.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local gateway's HTTP surface: what API Gateway answers before the backend, and that accepted requests reach it. */
class LocalGatewayHttpTest {

    static final String CHAT = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}";

    static GatewayConfig config;
    static LocalGateway gateway;
    static final ByteArrayOutputStream accessLog = new ByteArrayOutputStream();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        config = TestConfigs.config(Map.of("open", Map.of("throttle", throttle(1000, 1000)),
                "slow", Map.of("throttle", throttle(0.1, 1))), Map.of());
        gateway = LocalGateway.start(config, new EchoModel(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                LocalClock.SYSTEM, new PrintStream(accessLog, true, StandardCharsets.UTF_8));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void chat_withBearerKey_reachesTheBackendAndAnswersAsOpenAi() throws Exception {
        HttpResponse<String> response = send("POST", "/test/v1/chat/completions", CHAT, "Authorization", "Bearer " + key("open-client"));

        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Object> body = Json.readObject(response.body());
        assertThat(body).containsEntry("object", "chat.completion").containsEntry("model", "echo");
        assertThat(response.body()).contains("Echo from amazon.nova-micro-v1:0: Hello there");
        assertThat(response.headers().firstValue("x-request-id")).isPresent();
    }

    @Test
    void models_withXApiKeyHeader_isAccepted() throws Exception {
        HttpResponse<String> response = send("GET", "/test/v1/models", null, "x-api-key", key("open-client"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"id\":\"echo\"").contains("\"object\":\"list\"");
    }

    @Test
    void unknownRoute_wrongMethod_andWrongStage_getTheDeployedApis404() throws Exception {
        String expected = expectedBody(GatewayResponses.MISSING_AUTHENTICATION_TOKEN);
        for (String[] request : new String[][] {{"GET", "/test/v1/nope"}, {"GET", "/test/v1/chat/completions"},
                {"DELETE", "/test/v1/models"}, {"POST", "/prod/v1/chat/completions"}, {"GET", "/"}}) {
            HttpResponse<String> response = send(request[0], request[1], null, "Authorization", "Bearer " + key("open-client"));
            assertThat(response.statusCode()).as(String.join(" ", request)).isEqualTo(404);
            assertThat(response.body()).isEqualTo(expected);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        }
    }

    @Test
    void missingKey_is401InvalidApiKey() throws Exception {
        HttpResponse<String> response = send("POST", "/test/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).isEqualTo(expectedBody(GatewayResponses.ACCESS_DENIED));
        assertThat(response.body()).contains("\"code\":\"invalid_api_key\"");
    }

    @Test
    void unknownAndDisabledKeys_are401WithoutSayingWhichKeysExist() throws Exception {
        HttpResponse<String> unknown = send("POST", "/test/v1/chat/completions", CHAT, "Authorization", "Bearer notARealKeyButLongEnough1234");
        HttpResponse<String> disabled = send("POST", "/test/v1/chat/completions", CHAT, "Authorization", "Bearer " + key("disabled-client"));

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(disabled.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).isEqualTo(expectedBody(GatewayResponses.INVALID_API_KEY)).isEqualTo(disabled.body());
    }

    @Test
    void throttledKey_gets429WithRetryAfter() throws Exception {
        String slow = key("slow-client");
        HttpResponse<String> first = send("GET", "/test/v1/models", null, "Authorization", "Bearer " + slow);
        HttpResponse<String> second = send("GET", "/test/v1/models", null, "Authorization", "Bearer " + slow);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.body()).isEqualTo(expectedBody(GatewayResponses.THROTTLED));
        // Retry-After follows the slowest plan rate: 0.1 requests per second is one every 10 s.
        assertThat(second.headers().firstValue("Retry-After")).hasValue("10");
    }

    @Test
    void bodyOverApiGatewaysLimit_is413() throws Exception {
        String huge = "x".repeat(LocalGateway.MAX_PAYLOAD_BYTES + 1);
        HttpResponse<String> response = send("POST", "/test/v1/chat/completions", huge, "Authorization", "Bearer " + key("open-client"));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo(expectedBody(GatewayResponses.REQUEST_TOO_LARGE));
    }

    @Test
    void bodyOverTheBackendsLimit_getsTheBackends413() throws Exception {
        String big = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "y".repeat(config.maxRequestBytes()) + "\"}]}";
        HttpResponse<String> response = send("POST", "/test/v1/chat/completions", big, "Authorization", "Bearer " + key("open-client"));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"code\":\"request_too_large\"");
    }

    @Test
    void invalidJson_getsTheHandlers400() throws Exception {
        HttpResponse<String> response = send("POST", "/test/v1/chat/completions", "{not json", "Authorization", "Bearer " + key("open-client"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"type\":\"invalid_request_error\"");
    }

    @Test
    void accessLog_namesTheKeyIdAndWhyARequestWasRefused_neverTheKey() throws Exception {
        String slow = key("slow-client");
        send("GET", "/test/v1/models", null, "Authorization", "Bearer " + slow);
        send("GET", "/test/v1/models", null, "Authorization", "Bearer " + slow);

        String log = accessLog.toString(StandardCharsets.UTF_8);
        String keyId = gateway.keys().stream().filter(k -> k.client().name().equals("slow-client")).findFirst().orElseThrow().id();
        assertThat(log).contains("\"apiKeyId\":\"" + keyId + "\"").contains("\"errorResponseType\":\"THROTTLED\"")
                .contains("\"resourcePath\":\"/v1/models\"")
                .doesNotContain(slow);
    }

    static String key(String client) {
        return gateway.apiKeys().get(client);
    }

    static String expectedBody(String responseType) {
        GatewayResponse response = GatewayResponses.find(config.gatewayResponses(), responseType).orElseThrow();
        return response.render("");
    }

    static HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
