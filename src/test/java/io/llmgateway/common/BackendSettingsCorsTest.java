package io.llmgateway.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CORS origins in the backend's environment: only there when CORS is on. */
class BackendSettingsCorsTest {

    private static BackendSettings with(List<String> origins) {
        return new BackendSettings(Map.of("m", "amazon.nova-micro-v1:0"), 10, 20, 1024, 29_000, Map.of(), origins);
    }

    @Test
    void withoutOriginsTheEnvironmentHasNoCorsVariable() {
        assertThat(with(List.of()).toEnvironment()).doesNotContainKey(BackendSettings.ENV_CORS_ORIGINS);
        assertThat(BackendSettings.fromEnvironment(with(List.of()).toEnvironment()).corsOrigins()).isEmpty();
    }

    @Test
    void originsTravelAsAJsonArray() {
        BackendSettings settings = with(List.of("https://app.example.com", "http://localhost:3000"));
        Map<String, String> env = settings.toEnvironment();
        assertThat(env).containsEntry(BackendSettings.ENV_CORS_ORIGINS,
                "[\"https://app.example.com\",\"http://localhost:3000\"]");
        assertThat(BackendSettings.fromEnvironment(env)).isEqualTo(settings);
    }

    @Test
    void aMalformedVariableNamesItself() {
        Map<String, String> env = new LinkedHashMap<>(with(List.of()).toEnvironment());
        env.put(BackendSettings.ENV_CORS_ORIGINS, "{\"a\":1}");
        assertThatThrownBy(() -> BackendSettings.fromEnvironment(env)).isInstanceOf(IllegalStateException.class)
                .hasMessage("environment variable LLM_GATEWAY_CORS_ORIGINS is not a JSON array of strings");
    }
}
