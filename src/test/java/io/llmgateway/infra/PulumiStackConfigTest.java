package io.llmgateway.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.pulumi.Config;
import com.pulumi.deployment.internal.DeploymentImpl;
import io.llmgateway.config.ConfigException;
import io.llmgateway.config.GatewayConfig;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PulumiStackConfigTest {

    @Test
    void theKeysComeFromTheVariablesTheJavaSdkReads() {
        PulumiStackConfig.Keys keys = PulumiStackConfig.Keys.fromEnvironment(Map.of(
                "PULUMI_CONFIG", "{\"aws:region\":\"us-east-1\",\"llm-gateway:stageName\":\"dev\","
                        + "\"llm-gateway:config:models\":\"{}\",\"llm-gateway:clients\":\"{}\"}",
                "PULUMI_CONFIG_SECRET_KEYS", "[\"llm-gateway:clients\",\"aws:secretKey\"]"));
        assertThat(keys.present()).containsExactly("clients", "models", "stageName");
        assertThat(keys.secret()).containsExactly("clients");
    }

    @Test
    void withoutTheVariablesThereAreNoKeys() {
        assertThat(PulumiStackConfig.Keys.fromEnvironment(Map.of()))
                .isEqualTo(new PulumiStackConfig.Keys(Set.of(), Set.of()));
    }

    @Test
    void objectsAreParsedAndScalarsStayTextForTheLoader() {
        assertThat(PulumiStackConfig.decode("plans", "{\"a\":{\"throttle\":{\"rateLimit\":0.5}}}", false))
                .isEqualTo(Map.of("a", Map.of("throttle", Map.of("rateLimit", 0.5))));
        assertThat(PulumiStackConfig.decode("stageName", "[dev]", false)).isEqualTo("[dev]");
        assertThat(PulumiStackConfig.decode("lambdaMemoryMb", "512", false)).isEqualTo("512");
    }

    @Test
    void aSecretThatIsNotJsonNeverReachesAnErrorMessage() {
        Config config = config(Map.of(
                "llm-gateway:models", "{\"m\":\"amazon.nova-micro-v1:0\"}",
                "llm-gateway:plans", "{\"p\":{\"throttle\":{\"rateLimit\":1,\"burstLimit\":1}}}",
                "llm-gateway:clients", "sk-not-json-but-secret-0123456789"));
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> PulumiStackConfig.load(config,
                new PulumiStackConfig.Keys(Set.of("models", "plans", "clients"), Set.of("clients"))));
        assertThat(error.getMessage()).contains("clients: must be an object").doesNotContain("sk-not-json");
    }

    @Test
    void valuesAreReadThroughPulumisConfig() {
        Config config = config(Map.of(
                "llm-gateway:models", "{\"m\":\"amazon.nova-micro-v1:0\"}",
                "llm-gateway:plans", "{\"p\":{\"throttle\":{\"rateLimit\":1,\"burstLimit\":1}}}",
                "llm-gateway:clients", "{\"c\":{\"plan\":\"p\",\"enabled\":false}}",
                "llm-gateway:lambdaMemoryMb", "512"));
        GatewayConfig loaded = PulumiStackConfig.load(config,
                new PulumiStackConfig.Keys(Set.of("models", "plans", "clients", "lambdaMemoryMb"), Set.of())).config();
        assertThat(loaded.lambdaMemoryMb()).isEqualTo(512);
        assertThat(loaded.clients().get("c").enabled()).isFalse();
    }

    private static Config config(Map<String, String> values) {
        return new Config(new DeploymentImpl.Config(ImmutableMap.copyOf(values), ImmutableSet.of()), "llm-gateway");
    }
}
