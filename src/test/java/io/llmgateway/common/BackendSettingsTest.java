package io.llmgateway.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackendSettingsTest {

    private static final BackendSettings SETTINGS = new BackendSettings(
            Map.of("nova-micro", "amazon.nova-micro-v1:0"), 256, 1024, 1_048_576, 29_000,
            Map.of("/v1/models/GET", 2.5));

    @Test
    void environment_roundTripsEveryField() {
        Map<String, String> env = SETTINGS.toEnvironment();

        assertThat(env).containsEntry(BackendSettings.ENV_MODELS, "{\"nova-micro\":\"amazon.nova-micro-v1:0\"}")
                .containsEntry(BackendSettings.ENV_LIMITS, "256 1024 1048576 29000 256");
        assertThat(BackendSettings.fromEnvironment(env)).isEqualTo(SETTINGS);
    }

    @Test
    void theEmbeddingInputsBound_roundTrips() {
        BackendSettings bounded = new BackendSettings(Map.of("t", "amazon.titan-embed-text-v2:0"), 256, 1024, 1_048_576,
                29_000, Map.of(), java.util.List.of(), 12);
        Map<String, String> env = new LinkedHashMap<>(bounded.toEnvironment());

        assertThat(BackendSettings.fromEnvironment(env).maxEmbeddingInputs()).isEqualTo(12);
        assertThatThrownBy(() -> new BackendSettings(Map.of(), 1, 1, 1, 1, Map.of(), java.util.List.of(), 2049))
                .hasMessageContaining("maxEmbeddingInputs");
    }

    @Test
    void theStreamingRoutes_roundTrip_eachWithItsOwnDeadline_andWithoutThemTheVariableIsAbsent() {
        BackendSettings streaming = new BackendSettings(Map.of("nova-micro", "amazon.nova-micro-v1:0"), 256, 1024,
                1_048_576, 29_000, Map.of(), java.util.List.of(), 256, Map.of("/v1/chat/completions/POST", 600_000));
        Map<String, String> env = streaming.toEnvironment();

        assertThat(env).containsEntry(BackendSettings.ENV_STREAMING_ROUTES, "{\"/v1/chat/completions/POST\":600000}");
        BackendSettings read = BackendSettings.fromEnvironment(env);
        assertThat(read).isEqualTo(streaming);
        assertThat(read.streams("/v1/chat/completions/POST")).isTrue();
        assertThat(read.integrationTimeoutMs("/v1/chat/completions/POST")).isEqualTo(600_000);
        assertThat(read.streams("/v1/models/GET")).isFalse();
        assertThat(read.integrationTimeoutMs("/v1/models/GET")).isEqualTo(29_000);
        // A function deployed before streaming existed, or with it off, streams nothing.
        assertThat(SETTINGS.toEnvironment()).doesNotContainKey(BackendSettings.ENV_STREAMING_ROUTES);
        assertThat(BackendSettings.fromEnvironment(SETTINGS.toEnvironment()).streamingRoutes()).isEmpty();

        Map<String, String> malformed = new LinkedHashMap<>(env);
        malformed.put(BackendSettings.ENV_STREAMING_ROUTES, "{\"/v1/chat/completions/POST\":1.5}");
        assertThatThrownBy(() -> BackendSettings.fromEnvironment(malformed))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(BackendSettings.ENV_STREAMING_ROUTES);
        assertThatThrownBy(() -> new BackendSettings(Map.of(), 1, 1, 1, 1, Map.of(), java.util.List.of(), 1,
                Map.of("/v1/chat/completions/POST", 0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMissingOrMalformedVariable_isNamedInTheError() {
        Map<String, String> env = new LinkedHashMap<>(SETTINGS.toEnvironment());
        env.remove(BackendSettings.ENV_MODELS);
        assertThatThrownBy(() -> BackendSettings.fromEnvironment(env))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(BackendSettings.ENV_MODELS);

        env.putAll(SETTINGS.toEnvironment());
        env.put(BackendSettings.ENV_LIMITS, "256 lots 1048576 29000 256");
        assertThatThrownBy(() -> BackendSettings.fromEnvironment(env))
                .hasMessage("environment variable LLM_GATEWAY_LIMITS: maxTokensCeiling is not an integer: lots");
        env.put(BackendSettings.ENV_LIMITS, "256 1024");
        assertThatThrownBy(() -> BackendSettings.fromEnvironment(env)).hasMessageContaining("must hold 5 whole numbers");

        env.put(BackendSettings.ENV_LIMITS, "256 1024 1048576 29000 256");
        env.put(BackendSettings.ENV_PLAN_RATES, "{\"/v1/models/GET\":\"fast\"}");
        assertThatThrownBy(() -> BackendSettings.fromEnvironment(env))
                .hasMessageContaining(BackendSettings.ENV_PLAN_RATES);
    }

    @Test
    void aDefaultAboveTheCeiling_isRefused() {
        assertThatThrownBy(() -> new BackendSettings(Map.of(), 2048, 1024, 1, 1, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
