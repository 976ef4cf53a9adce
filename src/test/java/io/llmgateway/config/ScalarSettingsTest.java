package io.llmgateway.config;

import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.internal.Deadline;
import io.llmgateway.common.BackendDeadline;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scalar settings: each one's range, and the rules that tie two together.
 */
class ScalarSettingsTest {

    @Test
    void anInvalidStageNameIsRejected() {
        assertThat(problems(set(valid(), "stageName", "prod stage"))).containsExactly(
                "stageName: 'prod stage' is not a valid stage name: use 1-128 letters, digits, '-' or '_'");
        assertThat(problems(set(valid(), "stageName", "\u001b[31mred\u0085"))).containsExactly(
                "stageName: '\\u001b[31mred\\u0085' is not a valid stage name: use 1-128 letters, digits, '-' or '_'");
    }

    @Test
    void aLambdaTimeoutAboveTheIntegrationTimeoutIsRejected() {
        Map<String, Object> config = set(set(valid(), "lambdaTimeoutSeconds", "30"), "integrationTimeoutMs", "29000");
        assertThat(problems(config)).containsExactly("lambdaTimeoutSeconds: 30 s is above integrationTimeoutMs (29000 ms): "
                + "API Gateway would give up first and send a bare 504. Use at most 29 s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127", "10241"})
    void lambdaMemoryOutside128To10240MbIsRejected(String memory) {
        assertThat(problems(set(valid(), "lambdaMemoryMb", memory)))
                .containsExactly("lambdaMemoryMb: " + memory + " is out of range; allowed: 128-10240");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "2049"})
    void maxEmbeddingInputsOutside1To2048IsRejected(String inputs) {
        assertThat(problems(set(valid(), "maxEmbeddingInputs", inputs)))
                .containsExactly("maxEmbeddingInputs: " + inputs + " is out of range; allowed: 1-2048");
    }

    @Test
    void maxEmbeddingInputs_defaultsTo256_andReachesTheBackend() {
        assertThat(ConfigLoader.load(valid(), Set.of()).config().backendSettings().maxEmbeddingInputs()).isEqualTo(256);
        assertThat(ConfigLoader.load(set(valid(), "maxEmbeddingInputs", "2048"), Set.of()).config().backendSettings().toEnvironment())
                .containsEntry("LLM_GATEWAY_LIMITS", "1024 4096 1048576 29000 2048");
    }

    // ---- the backend's deadline ---------------------------------------------------------------------

    @Test
    void timeoutsThatLeaveTheModelNoTimeAreRefused_namingBothKeysTheTimeLeftTheMinimumAndTheFix() {
        Map<String, Object> config = set(set(valid(), "integrationTimeoutMs", "1000"), "lambdaTimeoutSeconds", "1");
        assertThat(problems(config)).containsExactly("integrationTimeoutMs, lambdaTimeoutSeconds: together they leave "
                + "the model 0 ms: the backend ends its Bedrock call at the earlier of integrationTimeoutMs (1000 ms) and "
                + "lambdaTimeoutSeconds (1 s), less a 1000 ms safety margin, and the model needs at least 2000 ms, or "
                + "every chat request ends in a 504. Set integrationTimeoutMs to at least 3000 and lambdaTimeoutSeconds "
                + "to at least 3");
    }

    @Test
    void aShortLambdaTimeoutAloneIsRefusedWithOnlyItsFix() {
        assertThat(problems(set(valid(), "lambdaTimeoutSeconds", "2"))).singleElement().asString()
                .contains("together they leave the model 1000 ms")
                .endsWith("Set lambdaTimeoutSeconds to at least 3");
    }

    @Test
    void aShortIntegrationTimeoutIsRefusedOnce_withAdviceThatFitsBothRules() {
        // lambdaTimeoutSeconds 2 is also above 1000 ms; "use at most 1 s" would contradict the fix.
        Map<String, Object> config = set(set(valid(), "integrationTimeoutMs", "1000"), "lambdaTimeoutSeconds", "2");
        assertThat(problems(config)).singleElement().asString()
                .endsWith("Set integrationTimeoutMs to at least 3000 and lambdaTimeoutSeconds to at least 3");
    }

    @Test
    void aShortIntegrationTimeoutUnderALongLambdaTimeoutIsRefusedWithBothFixes() {
        Map<String, Object> config = set(valid(), "integrationTimeoutMs", "2000");
        assertThat(problems(config)).singleElement().asString().contains("together they leave the model 1000 ms")
                .endsWith("Set integrationTimeoutMs to at least 3000 and lambdaTimeoutSeconds to at most integrationTimeoutMs / 1000");
    }

    @Test
    void theSmallestAcceptedTimeoutsGiveTheBackendExactlyTheMinimum() {
        StackConfig config = ConfigLoader.load(set(set(valid(), "integrationTimeoutMs", "3000"),
                "lambdaTimeoutSeconds", "3"), Set.of()).config();
        // What the backend computes for a request that reaches it at once: the config's floor, no less.
        assertThat(Deadline.budgetMs(0, null, config.api().integrationTimeoutMs(), config.lambda().timeoutSeconds() * 1000))
                .isEqualTo(BackendDeadline.MIN_MODEL_TIME_MS);
        assertThat(problems(set(set(valid(), "integrationTimeoutMs", "2999"), "lambdaTimeoutSeconds", "2")))
                .singleElement().asString().contains("together they leave the model 1000 ms");
    }
}
