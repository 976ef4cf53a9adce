package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A value Pulumi holds as a secret never appears in a problem or a warning: garbage marked secret is
 * put at every level of the config, in every shape, and no message may contain it.
 */
class SecretsNeverEchoedTest {

    private static final String MARK = "7f3a9c";

    /** Every position of a config, from the top-level keys down to the leaves. */
    private static final List<String> POSITIONS = List.of(
            "models", "models.nova-micro",
            "plans", "plans.standard", "plans.standard.description", "plans.standard.throttle",
            "plans.standard.throttle.rateLimit", "plans.standard.throttle.burstLimit", "plans.standard.quota",
            "plans.standard.quota.limit", "plans.standard.quota.period", "plans.standard.quota.offset",
            "plans.standard.methodThrottles", "plans.standard.methodThrottles./v1/models/GET",
            "plans.standard.methodThrottles./v1/models/GET.rateLimit",
            "clients", "clients.acme", "clients.acme.plan", "clients.acme.enabled", "clients.acme.description",
            "clients.acme.apiKey",
            "stageName", "integrationTimeoutMs", "lambdaMemoryMb", "lambdaTimeoutSeconds", "reservedConcurrency",
            "maxTokensDefault", "maxTokensCeiling", "maxRequestBytes", "maxEmbeddingInputs", "logRetentionDays", "authorizerCacheTtlSeconds",
            "stageRateLimit", "stageBurstLimit", "loggingLevel", "metricsEnabled", "tracingEnabled", "manageCloudWatchRole");

    /** Garbage in every shape a value can take; each carries {@link #MARK} or the digits 987654321. */
    private static final List<Object> GARBAGE = List.of(
            "GARBAGE-" + MARK, "sk-" + MARK + "-0123456789abcdefghij", 987654321, -987654321, 98765.4321, "987654321",
            "-987654321.5", "1e987654321", List.of("GARBAGE-" + MARK), map("rateLimit", "GARBAGE-" + MARK));

    static Stream<Arguments> garbageAtEveryPosition() {
        List<Arguments> cases = new ArrayList<>();
        for (String position : POSITIONS) {
            for (Object garbage : GARBAGE) {
                cases.add(Arguments.of(position, garbage));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "[{index}] {0} = {1}")
    @MethodSource("garbageAtEveryPosition")
    void garbageUnderATopLevelKeyPulumiHoldsSecretIsNeverShown(String position, Object garbage) {
        Map<String, Object> config = withMethodThrottle(set(withMethodThrottle(valid()), position, garbage));
        String top = position.split("\\.")[0];
        assertNoMark(messages(config, Secrets.withoutStackFile(Set.of(top), "test"), Optional.empty()));
    }

    @ParameterizedTest(name = "[{index}] {0} = {1}")
    @MethodSource("garbageAtEveryPosition")
    void garbageInALeafTheStackFileMarksSecureIsNeverShown(String position, Object garbage) {
        Map<String, Object> config = withMethodThrottle(set(withMethodThrottle(valid()), position, garbage));
        @SuppressWarnings("unchecked")
        Map<String, Object> file = (Map<String, Object>) Configs.deepCopy(config);
        file = set(file, position, EncryptedValue.INSTANCE);
        Secrets secrets = Secrets.of(Set.of(position.split("\\.")[0]), new StackFile("Pulumi.test.yaml", file, Map.of()));
        assertNoMark(messages(config, secrets, Optional.empty()));
    }

    @Test
    void secretNumbersInWarningsAndInRulesOverTwoKeysAreNeverShown() {
        Map<String, Object> config = set(set(valid(), "plans.standard.throttle.rateLimit", 98765),
                "plans.standard.throttle.burstLimit", 4321);
        config = set(set(config, "integrationTimeoutMs", "1357"), "maxTokensDefault", "97531");
        List<String> messages = messages(config, Secrets.withoutStackFile(
                Set.of("plans", "integrationTimeoutMs", "maxTokensDefault"), "test"), Optional.empty());
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("integrationTimeoutMs, lambdaTimeoutSeconds: "
                + "together they leave the model [secret]"));
        assertThat(messages).noneMatch(m -> m.contains("98765") || m.contains("4321") || m.contains("1357")
                || m.contains("357 ms") || m.contains("97531"));

        ConfigLoader.Result loaded = ConfigLoader.load(set(set(valid(), "plans.standard.throttle.rateLimit", 98765),
                        "plans.standard.throttle.burstLimit", 4321), Set.of("plans"));
        assertThat(loaded.warnings()).containsExactly(
                "plans.standard.throttle: burstLimit [secret] is below rateLimit [secret]; more than [secret] requests "
                        + "arriving together are throttled even within the rate",
                "plans.standard.throttle: rateLimit [secret] is above stageRateLimit 100; the stage-wide limit applies "
                        + "first, so the plan's rate is never reached");
        assertThat(loaded.capacity().warnings()).anySatisfy(w -> assertThat(w).startsWith(
                "capacity: the keys can send [secret] rps, above the account's 10,000 rps per Region"));
        assertThat(loaded.capacity().text()).contains("[secret]")
                .doesNotContain("98765", "98,765", "4321", "4,321", "197,530", "8,533,296,000");
    }

    @Test
    void aSecretProfileOfTheWrongGeographyIsRefusedWithoutShowingItOrTheIdsSuggested() {
        Map<String, Object> config = set(valid(), "models", map("m", "us.anthropic.garbage-" + MARK + "-v1:0"));
        List<String> messages = messages(config, Secrets.withoutStackFile(Set.of("models"), "test"),
                Optional.of(new StackRegion("eu-west-1", "aws:region")));
        assertThat(messages).containsExactly("models.m: the profile [secret] is a cross-Region inference profile of "
                + "geography 'us', which can be called only from us-* Regions other than GovCloud, but the stack deploys "
                + "to eu-west-1 (aws:region). Use a profile of eu-west-1's geography: 'eu.' or 'global.' where Bedrock "
                + "offers it, or set aws:region to one of us-* Regions other than GovCloud, such as us-east-1");
    }

    @Test
    void aValueTheStackFileHoldsInPlainTextIsStillShown_nextToSecretOnes() {
        // clients is secret as a whole (acme's key is), but its plan names are plain text in the file.
        Map<String, Object> config = set(set(valid(), "clients.acme.apiKey", "sk-" + MARK + "-0123456789abcdefghij"),
                "clients.acme.plan", "standrad");
        @SuppressWarnings("unchecked")
        Map<String, Object> file = set((Map<String, Object>) Configs.deepCopy(config), "clients.acme.apiKey",
                EncryptedValue.INSTANCE);
        List<String> messages = messages(config, Secrets.of(Set.of("clients"), new StackFile("Pulumi.test.yaml", file, Map.of())),
                Optional.empty());
        assertThat(messages).containsExactly("clients.acme.plan: unknown plan 'standrad' (did you mean 'standard'?); plans: standard");
        // Without the file, nothing under the secret key is shown.
        assertThat(messages(config, Secrets.withoutStackFile(Set.of("clients"), "test"), Optional.empty()))
                .containsExactly("clients.acme.plan: unknown plan [secret]; plans: standard");
    }

    /** A method throttle to break, unless the position replaced its parents. */
    private static Map<String, Object> withMethodThrottle(Map<String, Object> config) {
        if (config.get("plans") instanceof Map<?, ?> plans && plans.get("standard") instanceof Map<?, ?> standard
                && !standard.containsKey("methodThrottles")) {
            return set(config, "plans.standard.methodThrottles./v1/models/GET", map("rateLimit", 1, "burstLimit", 1));
        }
        return config;
    }

    private static List<String> messages(Map<String, Object> config, Secrets secrets, Optional<StackRegion> region) {
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(config, secrets, region));
        if (error != null) {
            assertThat(error.getMessage()).doesNotContain(MARK).doesNotContain("987654321").doesNotContain("98765");
            return error.problems();
        }
        return ConfigLoader.load(config, secrets, region).warnings();
    }

    private static void assertNoMark(List<String> messages) {
        assertThat(messages).noneMatch(m -> m.contains(MARK) || m.contains("987654321") || m.contains("98765"));
    }
}
