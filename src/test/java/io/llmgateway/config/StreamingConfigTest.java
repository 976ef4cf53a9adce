package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.contract.Route;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code streaming}: off by default, what may be set, the timeout's bounds, and what follows from it. */
class StreamingConfigTest {

    private static ConfigLoader.Result load(Map<String, Object> config) {
        return ConfigLoader.load(config, Set.of());
    }

    @Test
    void withoutTheSection_theChatAndResponsesRoutesStream_withFiveMinutes_andTheFunctionsTimeoutCoversIt() {
        StackConfig config = load(valid()).config();
        assertThat(config.streaming()).isEqualTo(Streaming.DEFAULT).isEqualTo(new Streaming(true, 300_000));
        assertThat(config.streaming().routes()).containsExactly(Route.CHAT_COMPLETIONS, Route.RESPONSES);
        assertThat(config.streaming().functionTimeoutSeconds(config.lambda().timeoutSeconds())).isEqualTo(300);
        assertThat(config.streaming().integrationTimeoutMs(Route.CHAT_COMPLETIONS, config.api().integrationTimeoutMs()))
                .isEqualTo(300_000);
        assertThat(config.backendSettings().toEnvironment()).containsEntry(BackendSettings.ENV_STREAMING_ROUTES,
                "{\"/v1/chat/completions/POST\":300000,\"/v1/responses/POST\":300000}");
    }

    @Test
    void enabledFalse_streamsNothing_andTheFunctionKeepsItsTimeout() {
        StackConfig config = load(set(valid(), "streaming", map("enabled", false))).config();
        assertThat(config.streaming()).isEqualTo(Streaming.OFF);
        assertThat(config.streaming().routes()).isEmpty();
        assertThat(config.streaming().functionTimeoutSeconds(config.lambda().timeoutSeconds())).isEqualTo(29);
        assertThat(config.streaming().integrationTimeoutMs(Route.CHAT_COMPLETIONS, config.api().integrationTimeoutMs()))
                .isEqualTo(29_000);
        assertThat(config.backendSettings().toEnvironment()).doesNotContainKey(BackendSettings.ENV_STREAMING_ROUTES);
    }

    @Test
    void on_theStreamingRoutesTakeTheStreamsTimeout_theOthersKeepTheirs_andTheFunctionsTimeoutCoversIt() {
        ConfigLoader.Result result = load(set(valid(), "streaming", map("enabled", "true", "timeoutMs", "300500")));
        StackConfig config = result.config();
        Streaming streaming = config.streaming();
        assertThat(streaming).isEqualTo(new Streaming(true, 300_500));
        assertThat(streaming.routes()).containsExactly(Route.CHAT_COMPLETIONS, Route.RESPONSES);
        assertThat(streaming.integrationTimeoutMs(Route.CHAT_COMPLETIONS, 29_000)).isEqualTo(300_500);
        assertThat(streaming.integrationTimeoutMs(Route.EMBEDDINGS, 29_000)).isEqualTo(29_000);
        // Whole seconds that cover the stream; never less than lambdaTimeoutSeconds.
        assertThat(streaming.functionTimeoutSeconds(29)).isEqualTo(301);
        assertThat(new Streaming(true, 10_000).functionTimeoutSeconds(29)).isEqualTo(29);
        assertThat(config.backendSettings().integrationTimeoutMs(Route.CHAT_COMPLETIONS.throttlePath())).isEqualTo(300_500);
        assertThat(config.backendSettings().integrationTimeoutMs(Route.MODELS.throttlePath())).isEqualTo(29_000);
        // The backend streams: turning it on is no longer a risk to warn of.
        assertThat(result.warnings()).noneSatisfy(w -> assertThat(w).startsWith("streaming"));
    }

    @Test
    void aTimeoutWithoutEnabled_streamsWithIt_andWithEnabledFalseIsCheckedButStreamsNothing() {
        assertThat(load(set(valid(), "streaming", map("timeoutMs", 900_000))).config().streaming())
                .isEqualTo(new Streaming(true, 900_000));
        ConfigLoader.Result result = load(set(valid(), "streaming", map("enabled", false, "timeoutMs", 900_000)));
        assertThat(result.config().streaming()).isEqualTo(new Streaming(false, 900_000));
        assertThat(result.config().streaming().functionTimeoutSeconds(29)).isEqualTo(29);
        assertThat(result.warnings()).noneSatisfy(w -> assertThat(w).startsWith("streaming"));
        assertThat(problems(set(valid(), "streaming", map("timeoutMs", 2_000)))).containsExactly(
                "streaming.timeoutMs: 2000 leaves the model 1000 ms: the backend ends its Bedrock call 1000 ms before the "
                        + "stream's timeout, and the model needs at least 2000 ms, or every streamed request ends in a 504. "
                        + "Use at least 3000");
    }

    @Test
    void aTimeoutAboveFifteenMinutesIsRefusedNamingTheKey() {
        assertThat(problems(set(valid(), "streaming", map("enabled", true, "timeoutMs", 900_001)))).containsExactly(
                "streaming.timeoutMs: 900001 is out of range; allowed: 3000-900000 (API Gateway streams a response for "
                        + "at most 15 minutes)");
        assertThat(problems(set(valid(), "streaming", map("enabled", true, "timeoutMs", 0)))).containsExactly(
                "streaming.timeoutMs: 0 is out of range; allowed: 3000-900000 (API Gateway streams a response for "
                        + "at most 15 minutes)");
        assertThat(load(set(valid(), "streaming", map("enabled", true, "timeoutMs", 900_000))).config().streaming()
                .functionTimeoutSeconds(29)).isEqualTo(900);
        assertThat(load(set(valid(), "streaming", map("enabled", true, "timeoutMs", 3_000))).config().streaming()
                .timeoutMs()).isEqualTo(3_000);
    }

    @Test
    void wrongTypesAndUnknownKeys_areRefusedWithTheirPath() {
        assertThat(problems(set(valid(), "streaming", map("enabled", "yes", "timeoutMs", 1.5, "timeout", 60_000))))
                .containsExactlyInAnyOrder(
                        "streaming.timeout: unknown key (did you mean 'timeoutMs'?); valid keys here: enabled, timeoutMs",
                        "streaming.enabled: must be true or false, got 'yes'",
                        "streaming.timeoutMs: must be an integer, got 1.5");
        assertThat(problems(set(valid(), "streaming", true))).singleElement().satisfies(p -> assertThat(p)
                .startsWith("streaming: must be an object, got true"));
    }
}
