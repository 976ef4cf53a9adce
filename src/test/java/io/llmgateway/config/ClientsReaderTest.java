package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@code clients}: plans, key limits and the rule that every {@code apiKey} is itself a secret.
 */
class ClientsReaderTest {

    @Test
    void aClientNamingAnUnknownPlanIsRejectedWithTheClosestPlan() {
        assertThat(problems(set(valid(), "clients.acme.plan", "standrad")))
                .containsExactly("clients.acme.plan: unknown plan 'standrad' (did you mean 'standard'?); plans: standard");
    }

    @Test
    void aClientInTwoPlansIsRejected() {
        Map<String, Object> config = set(set(valid(), "plans.premium", map("throttle", map("rateLimit", 50, "burstLimit", 100))),
                "clients.acme.plan", List.of("standard", "premium"));
        assertThat(problems(config)).containsExactly(
                "clients.acme.plan: must name exactly one plan: AWS allows a key in only one usage plan per stage");
    }

    @Test
    void twoClientsWithTheSameSuppliedKeyAreRejectedWithoutEchoingIt() {
        String key = "sk-shared-0123456789-abcdefghij";
        Map<String, Object> config = set(set(valid(), "clients.acme.apiKey", key), "clients.globex",
                map("plan", "standard", "apiKey", key));
        List<String> problems = problems(config, Set.of("clients"));
        assertThat(problems).containsExactly("clients.globex.apiKey: has the same value as clients.acme.apiKey; one key "
                + "would be in two plans, and AWS allows a key in only one plan per stage");
        assertThat(String.join("\n", problems)).doesNotContain(key);
    }

    @Test
    void moreThanTenThousandKeysAreRejected() {
        Map<String, Object> clients = new LinkedHashMap<>();
        for (int i = 0; i <= 10_000; i++) {
            clients.put("c" + i, map("plan", "standard"));
        }
        assertThat(problems(set(valid(), "clients", clients))).containsExactly(
                "clients: 10001 clients is more than the 10000 API keys AWS allows per Region (a limit that cannot be raised)");
    }

    @Test
    void anUnknownClientKeyIsRejectedWithTheClosestKey() {
        assertThat(problems(set(valid(), "clients.acme.enabeld", false))).containsExactly(
                "clients.acme.enabeld: unknown key (did you mean 'enabled'?); valid keys here: plan, enabled, apiKey, description");
    }

    @Test
    void aPlainTextApiKeyIsRejectedWithoutEchoingTheValue() {
        String key = "sk-plaintext-0123456789-abcdef";
        List<String> problems = problems(set(valid(), "clients.acme.apiKey", key), Set.of());
        assertThat(problems).containsExactly("clients.acme.apiKey: is stored in plain text; API keys must be secrets. "
                + "Remove it and run: pulumi config set --secret --path 'clients.acme.apiKey' <key>");
        assertThat(String.join("\n", problems)).doesNotContain(key);
    }

    @Test
    void aSecretApiKeyIsAccepted() {
        String key = "sk-secret-0123456789-abcdefgh";
        StackConfig config = ConfigLoader.load(set(valid(), "clients.acme.apiKey", key), Set.of("clients")).config();
        assertThat(config.clients().get("acme").key()).isEqualTo(new ClientKey.Supplied(new SecretValue(key)));
    }

    // ---- each apiKey is itself a secret -------------------------------------------------------------

    private static final String SECRET_KEY = "sk-acme-secret-0123456789abcdef";
    private static final String PLAIN_KEY = "sk-globex-plain-0123456789abcdef";

    /** The stack file: acme's key set with --secret, globex's without. */
    private static StackFile stackFile() throws Exception {
        return StackFile.of(new Yaml(new SafeConstructor(new LoaderOptions())).load("""
                config:
                  llm-gateway:clients:
                    acme:
                      plan: standard
                      apiKey:
                        secure: AAABAGm9V2hhdCBpcyBlbmNyeXB0ZWQ=
                    globex:
                      plan: standard
                      apiKey: %s
                """.formatted(PLAIN_KEY)), "Pulumi.test.yaml");
    }

    /** What `pulumi up` hands the program for that file: both values decrypted, clients marked secret. */
    private static Map<String, Object> engineValues() {
        return set(set(valid(), "clients.acme.apiKey", SECRET_KEY), "clients.globex", map("plan", "standard", "apiKey", PLAIN_KEY));
    }

    @Test
    void aPlainTextApiKeyNextToASecretOneIsRefused_perValue() throws Exception {
        List<String> problems = problems(engineValues(), Secrets.of(Set.of("clients"), stackFile()), Optional.empty());
        assertThat(problems).containsExactly("clients.globex.apiKey: is stored in plain text; API keys must be secrets. "
                + "Remove it and run: pulumi config set --secret --path 'clients.globex.apiKey' <key>");
        assertThat(String.join("\n", problems)).doesNotContain(PLAIN_KEY).doesNotContain(SECRET_KEY);
    }

    @Test
    void theLocalGatewaysPath_aPlainKeyInTheFileIsRefusedAndASecureOneIsKeptEncrypted() throws Exception {
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> {
            StackFile file = stackFile();
            Map<String, Object> values = new LinkedHashMap<>(valid());
            values.put("clients", file.values().get("clients"));
            ConfigLoader.load(values, Secrets.of(file), Optional.empty());
        });
        assertThat(error.problems()).containsExactly("clients.globex.apiKey: is stored in plain text; API keys must be "
                + "secrets. Remove it and run: pulumi config set --secret --path 'clients.globex.apiKey' <key>");
        assertThat(error.getMessage()).doesNotContain(PLAIN_KEY);

        StackFile secureOnly = StackFile.of(new Yaml(new SafeConstructor(new LoaderOptions())).load(
                "config:\n  llm-gateway:clients:\n    acme:\n      plan: standard\n      apiKey:\n        secure: AAAB\n"),
                "Pulumi.test.yaml");
        Map<String, Object> values = new LinkedHashMap<>(valid());
        values.put("clients", secureOnly.values().get("clients"));
        ConfigLoader.Result result = ConfigLoader.load(values, Secrets.of(secureOnly), Optional.empty());
        assertThat(result.config().clients().get("acme").key()).isInstanceOf(ClientKey.Encrypted.class);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void aKeyTheStackFileDoesNotSetIsAcceptedOnPulumisMark_withAWarning() throws Exception {
        Map<String, Object> values = set(engineValues(), "clients.initech", map("plan", "standard", "apiKey",
                "sk-initech-from-esc-0123456789"));
        values = set(values, "clients.globex", map("plan", "standard"));
        StackFile file = StackFile.of(new Yaml(new SafeConstructor(new LoaderOptions())).load(
                "config:\n  llm-gateway:clients:\n    acme:\n      plan: standard\n      apiKey:\n        secure: AAAB\n"),
                "Pulumi.test.yaml");
        ConfigLoader.Result result = ConfigLoader.load(values, Secrets.of(Set.of("clients"), file), Optional.empty());
        assertThat(result.config().clients().get("initech").key()).isInstanceOf(ClientKey.Supplied.class);
        assertThat(result.warnings()).containsExactly("clients: clients.initech.apiKey not set in Pulumi.test.yaml (from "
                + "a Pulumi ESC environment?), so whether each is itself a secret could not be checked; accepted because "
                + "Pulumi holds 'clients' as a secret");
    }

    @Test
    void withoutAStackFileAKeyIsAcceptedOnPulumisMark_withAWarningThatSaysWhy() {
        ConfigLoader.Result result = ConfigLoader.load(engineValues(),
                Secrets.withoutStackFile(Set.of("clients"), "Pulumi.dev.yaml was not found"), Optional.empty());
        assertThat(result.warnings()).containsExactly("clients: could not check that each apiKey was itself set as a "
                + "secret: Pulumi.dev.yaml was not found. Accepted clients.acme.apiKey, clients.globex.apiKey only because "
                + "Pulumi holds 'clients' as a secret, which one secret leaf is enough for; set each with: "
                + "pulumi config set --secret --path 'clients.<name>.apiKey' <key>");
    }

    @Test
    void aKeySetOneLevelTooHighIsRefusedWithThePathItBelongsAt_withoutShowingIt() {
        List<String> problems = problems(set(valid(), "clients.acme", SECRET_KEY), Set.of("clients"));
        assertThat(problems).containsExactly("clients.acme: must be an object {plan, enabled, apiKey, description}, got "
                + "a string (not shown). If it is the client's API key, it belongs at clients.acme.apiKey: "
                + "pulumi config set --secret --path 'clients.acme.apiKey' <key>");
        assertThat(String.join("\n", problems)).doesNotContain(SECRET_KEY);
    }

    @Test
    void aPlanNameWhereAClientIsExpectedPointsAtThePlanKey() {
        assertThat(problems(set(valid(), "clients.acme", "standard"))).containsExactly("clients.acme: must be an object "
                + "{plan, enabled, apiKey, description}, got a string (not shown). To put the client on plan 'standard', "
                + "set clients.acme.plan instead");
    }
}
