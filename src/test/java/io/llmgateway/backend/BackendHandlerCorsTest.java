package io.llmgateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Cors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;

/** The backend's own answers carry CORS headers for a listed origin only, errors included. */
class BackendHandlerCorsTest {

    private static final String APP = "https://app.example.com";

    private static BackendHandler handler(List<String> origins) {
        BedrockRuntimeClient bedrock = mock(BedrockRuntimeClient.class);
        when(bedrock.converse(any(ConverseRequest.class)))
                .thenReturn(FakeBedrock.response("Hello there.", StopReason.END_TURN, 21, 4));
        BackendSettings base = TestSettings.settings();
        BackendSettings settings = new BackendSettings(base.models(), base.maxTokensDefault(), base.maxTokensCeiling(),
                base.maxRequestBytes(), base.integrationTimeoutMs(), base.planRatePerRoute(), origins);
        return new BackendHandler(bedrock, settings, TestEvents.clock(), new ArrayList<String>()::add);
    }

    /** The chat fixture from a page of this origin (lower-case header name, as HTTP/2 sends it), with this body. */
    @SuppressWarnings("unchecked")
    private static byte[] chatFrom(String origin, String body) {
        Map<String, Object> event = TestEvents.fixtureMap("chat-completions.json");
        event.put("body", body);
        if (origin != null) {
            ((Map<String, Object>) event.get("headers")).put("origin", origin);
        }
        return Json.writeBytes(event);
    }

    private static String validBody() {
        return "{\"model\":\"" + TestSettings.HAIKU + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    @Test
    void aListedOriginMayReadTheAnswerAndItsHeaders() {
        HandlerAnswer answer = HandlerAnswer.invoke(handler(List.of(APP, "http://localhost:3000")), chatFrom(APP, validBody()),
                TestContext.fresh());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.headers()).containsEntry(Cors.ALLOW_ORIGIN, APP)
                .containsEntry(Cors.EXPOSE_HEADERS, Cors.EXPOSED_HEADERS)
                .containsEntry(Cors.VARY, "Origin");
    }

    @Test
    void anErrorOfTheBackendIsReadableToo() {
        HandlerAnswer answer = HandlerAnswer.invoke(handler(List.of(APP)), chatFrom(APP, "not json"), TestContext.fresh());
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers()).containsEntry(Cors.ALLOW_ORIGIN, APP);
    }

    @Test
    void anUnlistedOriginOrNoOriginGetsNoAllowOrigin() {
        HandlerAnswer evil = HandlerAnswer.invoke(handler(List.of(APP)), chatFrom("https://evil.example", validBody()), TestContext.fresh());
        assertThat(evil.status()).isEqualTo(200);
        assertThat(evil.headers()).doesNotContainKeys(Cors.ALLOW_ORIGIN, Cors.EXPOSE_HEADERS).containsEntry(Cors.VARY, "Origin");
        HandlerAnswer none = HandlerAnswer.invoke(handler(List.of(APP)), chatFrom(null, validBody()), TestContext.fresh());
        assertThat(none.headers()).doesNotContainKey(Cors.ALLOW_ORIGIN);
    }

    @Test
    void withoutCorsNothingChanges() {
        HandlerAnswer answer = HandlerAnswer.invoke(handler(List.of()), chatFrom(APP, validBody()), TestContext.fresh());
        assertThat(answer.headers()).doesNotContainKeys(Cors.ALLOW_ORIGIN, Cors.EXPOSE_HEADERS, Cors.VARY);
    }
}
