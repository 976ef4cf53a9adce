package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The loader as a whole: the repository's stack files, unknown top-level keys, required maps, and
 * every problem reported in one error, each with its key path in {@code pulumi config set --path} syntax.
 */
class ConfigLoaderTest {

    @Test
    void theValidConfigLoads() {
        StackConfig config = ConfigLoader.load(valid(), Set.of()).config();
        assertThat(config.plans().get("standard").throttle()).isEqualTo(new Throttle(10, 20));
        assertThat(config.clients().get("acme").key()).isInstanceOf(ClientKey.Generated.class);
    }

    @Test
    void bothStackFilesOfTheRepositoryAreValid() throws Exception {
        assertThatCode(() -> StackFile.read(Path.of("Pulumi.dev.yaml")).load()).doesNotThrowAnyException();
        assertThatCode(() -> StackFile.read(Path.of("Pulumi.prod.yaml")).load()).doesNotThrowAnyException();
    }

    @Test
    void anUnknownTopLevelKeyIsRejectedWithTheClosestKey() {
        assertThat(problems(set(valid(), "stageNmae", "dev"))).singleElement().asString()
                .startsWith("llm-gateway:stageNmae: unknown key (did you mean 'stageName'?); valid keys: stageName, ");
    }

    @Test
    void aKeyWithControlCharactersIsShownEscaped_neverRaw() {
        Map<String, Object> config = set(set(valid(), "stage\u001b[2J", "dev"), "plans.\u001b[31mred",
                map("throttle", map("rateLimit", 10, "burstLimit", 20)));
        assertThat(problems(config)).containsExactly(
                "llm-gateway:stage\\u001b[2J: unknown key; valid keys: "
                        + String.join(", ", ConfigLoader.topLevelKeys()),
                "plans[\"\\u001b[31mred\"]: plan name '\\u001b[31mred' is not allowed: use 1-64 letters, digits, '-' "
                        + "or '_', starting with a letter or digit");
    }

    @Test
    void aConfigWithoutPlansOrWithoutClientsIsRejected() {
        assertThat(problems(set(valid(), "plans", map()))).contains("plans: must not be empty: the usage-plan tiers, "
                + "e.g. {\"standard\": {\"throttle\": {\"rateLimit\": 10, \"burstLimit\": 20}}}");
        assertThat(problems(set(valid(), "clients", null)))
                .containsExactly("clients: required: the API clients, e.g. {\"acme\": {\"plan\": \"standard\"}}");
    }

    @Test
    void everyProblemIsReportedInOneError() {
        Map<String, Object> config = set(set(set(valid(), "stageName", "a b"), "lambdaMemoryMb", "64"),
                "plans.standard.quota.period", "YEAR");
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(config, Set.of()));
        assertThat(error.problems()).hasSize(3);
        assertThat(error.getMessage())
                .startsWith("Invalid stack config for 'llm-gateway' (3 problems); nothing was created:\n  - ")
                .contains("stageName: ", "lambdaMemoryMb: ", "plans.standard.quota.period: ");
    }

    @Test
    void planRatesAboveTheAccountsTenThousandRpsAreACapacityWarningNotAnError() {
        Map<String, Object> config = set(set(set(valid(), "plans.standard.throttle.rateLimit", 6000),
                "plans.standard.throttle.burstLimit", 5000), "clients.globex", map("plan", "standard"));
        config = set(config, "stageRateLimit", "10000");
        ConfigLoader.Result result = ConfigLoader.load(config, Set.of());
        assertThat(result.warnings()).noneMatch(w -> w.contains("account"));
        assertThat(result.capacity().warnings()).contains("capacity: the keys can send 12,000 rps, above the account's "
                + "10,000 rps per Region: API Gateway throttles the whole account, every API in it, first. Lower "
                + "plans.standard.throttle.rateLimit, or ask AWS to raise the account's API Gateway throttle and set "
                + "capacity.accountRateLimit.");
    }
}
