package io.llmgateway.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.StackConfig;
import io.llmgateway.config.StackFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Lambda holds 4 KB for all of a function's environment variables together (Lambda developer guide,
 * "Working with Lambda environment variables"). The config caps the two lists that grow with it, the
 * models and the CORS origins; at both caps, with every route's plan rate, streaming on (the
 * streaming routes with their timeout, and the runtime wrapper) and stored responses on (their days), the
 * backend's whole environment must
 * still fit, or a valid config would fail at deployment.
 */
class EnvironmentBudgetTest {

    private static final int LAMBDA_ENVIRONMENT_BYTES = 4096;

    @Test
    void theLargestConfigTheLoaderAcceptsStillFitsTheBackendsEnvironment() throws Exception {
        assertFits(largestAccepted(alias -> "amazon.nova-micro-v1:0"));
    }

    /** Automatic prompt caching travels beside the aliases and shares their part of the environment. */
    @Test
    void theLargestConfigWithPromptCachingStillFitsTheBackendsEnvironment() throws Exception {
        assertFits(largestAccepted(alias -> Map.of("id", "amazon.nova-micro-v1:0", "promptCache", "5m")));
    }

    /** Models added one by one until the loader refuses the next: the largest {@code models} it accepts. */
    private static Map<String, Object> largestAccepted(java.util.function.Function<String, Object> model)
            throws Exception {
        Map<String, Object> values = new LinkedHashMap<>(StackFile.read(Path.of("Pulumi.dev.yaml")).values());
        Map<String, Object> models = new LinkedHashMap<>();
        for (int i = 0; ; i++) {
            Map<String, Object> more = new LinkedHashMap<>(models);
            more.put(String.format("model-%03d", i), model.apply(String.format("model-%03d", i)));
            values.put("models", more);
            try {
                ConfigLoader.load(values, Set.of());
            } catch (io.llmgateway.config.ConfigException refused) {
                return models;
            }
            models = more;
        }
    }

    private static void assertFits(Map<String, Object> models) throws Exception {
        Map<String, Object> values = new LinkedHashMap<>(StackFile.read(Path.of("Pulumi.dev.yaml")).values());
        List<String> origins = new ArrayList<>();
        for (int i = 0; Json.write(origins).length() < 470; i++) {
            origins.add(String.format("https://team-%02d.apps.example.com", i));
        }
        values.put("models", models);
        values.put("cors", Map.of("allowedOrigins", origins));
        values.put("streaming", Map.of("enabled", true, "timeoutMs", 900_000));
        values.put("responses", Map.of("store", Map.of("enabled", true, "ttlDays", 3650)));
        StackConfig config = ConfigLoader.load(values, Set.of()).config();

        // What BackendFunction sets: the settings, the token store, the runtime wrapper and JavaLambda's JVM options.
        Map<String, String> environment = new LinkedHashMap<>(config.backendSettings().toEnvironment());
        environment.putAll(config.tokenStoreSettings("llm-gateway-production-eu-tokens").toEnvironment());
        environment.putAll(config.responseStoreSettings("llm-gateway-production-eu-tokens").orElseThrow().toEnvironment());
        environment.put(BackendFunction.EXEC_WRAPPER_VARIABLE, BackendFunction.RUNTIME_WRAPPER);
        environment.put(JavaLambda.JAVA_TOOL_OPTIONS_VARIABLE, JavaLambda.JAVA_TOOL_OPTIONS);
        int bytes = environment.entrySet().stream()
                .mapToInt(e -> (e.getKey() + e.getValue()).getBytes(StandardCharsets.UTF_8).length).sum();
        assertThat(environment.get(BackendSettings.ENV_MODELS).length()
                + environment.getOrDefault(BackendSettings.ENV_PROMPT_CACHE, "").length()).isGreaterThan(2_850);
        assertThat(Json.write(origins).length()).isGreaterThan(450);
        assertThat(environment).containsKey(BackendSettings.ENV_STREAMING_ROUTES);
        System.out.println("backend environment at the caps: " + bytes + " bytes of " + LAMBDA_ENVIRONMENT_BYTES
                + " (aliases " + environment.get(BackendSettings.ENV_MODELS).length() + ", prompt cache "
                + environment.getOrDefault(BackendSettings.ENV_PROMPT_CACHE, "").length() + ")");
        assertThat(bytes).isLessThanOrEqualTo(LAMBDA_ENVIRONMENT_BYTES);
    }
}
