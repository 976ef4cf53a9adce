package io.llmgateway.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import com.pulumi.Config;
import com.pulumi.deployment.internal.DeploymentImpl;
import io.llmgateway.config.ConfigException;
import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.StackConfig;
import io.llmgateway.config.StackRegion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PulumiStackConfigTest {

    private static final String ACME_KEY = "sk-acme-secret-0123456789abcdef";
    private static final String GLOBEX_KEY = "sk-globex-plain-0123456789abcdef";
    /** What the engine passes for a stack with two clients that supply keys: values decrypted, clients marked secret. */
    private static final Map<String, String> TWO_KEYS = Map.of(
            "llm-gateway:models", "{\"m\":\"amazon.nova-micro-v1:0\"}",
            "llm-gateway:plans", "{\"p\":{\"throttle\":{\"rateLimit\":1,\"burstLimit\":1}}}",
            "llm-gateway:clients", "{\"acme\":{\"plan\":\"p\",\"apiKey\":\"" + ACME_KEY + "\"},"
                    + "\"globex\":{\"plan\":\"p\",\"apiKey\":\"" + GLOBEX_KEY + "\"}}");
    private static final PulumiStackConfig.Keys TWO_KEYS_KEYS =
            new PulumiStackConfig.Keys(Set.of("models", "plans", "clients"), Set.of("clients"));
    /** The stack file behind TWO_KEYS, as `pulumi config set --path` writes it: acme's key secure, globex's plain. */
    private static final String TWO_KEYS_FILE = """
            config:
              aws:region: us-east-1
              llm-gateway:models:
                m: amazon.nova-micro-v1:0
              llm-gateway:plans:
                p:
                  throttle:
                    rateLimit: 1
                    burstLimit: 1
              llm-gateway:clients:
                acme:
                  plan: p
                  apiKey:
                    secure: AAABAGm9V2hhdCBpcyBlbmNyeXB0ZWQ=
                globex:
                  plan: p
                  apiKey: %s
            """.formatted(GLOBEX_KEY);

    @TempDir
    Path project;

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
        assertThat(PulumiStackConfig.decode("plans", "{\"a\":{\"throttle\":{\"rateLimit\":0.5}}}"))
                .isEqualTo(Map.of("a", Map.of("throttle", Map.of("rateLimit", 0.5))));
        assertThat(PulumiStackConfig.decode("stageName", "[dev]")).isEqualTo("[dev]");
        assertThat(PulumiStackConfig.decode("lambdaMemoryMb", "512")).isEqualTo("512");
    }

    @Test
    void theEdgeOptionsAreObjectsToo() {
        assertThat(PulumiStackConfig.decode("cors", "{\"allowedOrigins\":[\"https://app.example.com\"]}"))
                .isEqualTo(Map.of("allowedOrigins", List.of("https://app.example.com")));
        assertThat(PulumiStackConfig.decode("waf", "{\"rateLimitPer5Minutes\":500}"))
                .isEqualTo(Map.of("rateLimitPer5Minutes", 500));
        assertThat(PulumiStackConfig.decode("customDomain", "{\"domainName\":\"llm.example.com\"}"))
                .isEqualTo(Map.of("domainName", "llm.example.com"));
        assertThat(PulumiStackConfig.decode("privateApi", "{\"vpcEndpointIds\":[\"vpce-1a2b3c4d\"]}"))
                .isEqualTo(Map.of("vpcEndpointIds", List.of("vpce-1a2b3c4d")));
    }

    @Test
    void aSecretThatIsNotJsonNeverReachesAnErrorMessage() {
        Map<String, String> engine = Map.of(
                "llm-gateway:models", "{\"m\":\"amazon.nova-micro-v1:0\"}",
                "llm-gateway:plans", "{\"p\":{\"throttle\":{\"rateLimit\":1,\"burstLimit\":1}}}",
                "llm-gateway:clients", "sk-not-json-but-secret-0123456789");
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> load(engine,
                new PulumiStackConfig.Keys(Set.of("models", "plans", "clients"), Set.of("clients")), "dev", Map.of()));
        assertThat(error.getMessage()).contains("clients: must be an object").doesNotContain("sk-not-json");
    }

    @Test
    void valuesAreReadThroughPulumisConfig() {
        Map<String, String> engine = Map.of(
                "llm-gateway:models", "{\"m\":\"amazon.nova-micro-v1:0\"}",
                "llm-gateway:plans", "{\"p\":{\"throttle\":{\"rateLimit\":1,\"burstLimit\":1}}}",
                "llm-gateway:clients", "{\"c\":{\"plan\":\"p\",\"enabled\":false}}",
                "llm-gateway:lambdaMemoryMb", "512");
        StackConfig loaded = load(engine, new PulumiStackConfig.Keys(
                Set.of("models", "plans", "clients", "lambdaMemoryMb"), Set.of()), "dev", Map.of()).config();
        assertThat(loaded.lambda().memoryMb()).isEqualTo(512);
        assertThat(loaded.clients().get("c").enabled()).isFalse();
    }

    // ---- the stack file: which apiKey values are themselves secret ----------------------------------

    @Test
    void aPlainTextApiKeyNextToASecretOneIsRefused_fromTheStackFileInTheProjectDirectory() throws Exception {
        writeProject("name: llm-gateway\nruntime: java\n");
        Files.writeString(project.resolve("Pulumi.dev.yaml"), TWO_KEYS_FILE);
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> load(TWO_KEYS, TWO_KEYS_KEYS, "dev", Map.of()));
        assertThat(error.problems()).containsExactly("clients.globex.apiKey: is stored in plain text; API keys must be "
                + "secrets. Remove it and run: pulumi config set --secret --path 'clients.globex.apiKey' <key>");
        assertThat(error.getMessage()).doesNotContain(GLOBEX_KEY).doesNotContain(ACME_KEY);
    }

    @Test
    void theStackFileIsFoundInStackConfigDir_underTheLastSegmentOfAQualifiedStackName() throws Exception {
        writeProject("name: llm-gateway\nruntime: java\nstackConfigDir: stacks\n");
        Files.createDirectories(project.resolve("stacks"));
        Files.writeString(project.resolve("stacks/Pulumi.dev.yaml"), TWO_KEYS_FILE);
        ConfigException error = catchThrowableOfType(ConfigException.class,
                () -> load(TWO_KEYS, TWO_KEYS_KEYS, "acme-org/llm-gateway/dev", Map.of()));
        assertThat(error.problems()).singleElement().asString().startsWith("clients.globex.apiKey: is stored in plain text");
    }

    @Test
    void aProjectFileNamedPulumiYmlMeansStackFilesEndInYml() throws Exception {
        Files.writeString(project.resolve("Pulumi.yml"), "name: llm-gateway\nruntime: java\n");
        Files.writeString(project.resolve("Pulumi.dev.yml"), TWO_KEYS_FILE);
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> load(TWO_KEYS, TWO_KEYS_KEYS, "dev", Map.of()));
        assertThat(error.problems()).singleElement().asString().startsWith("clients.globex.apiKey: is stored in plain text");
    }

    @Test
    void bothSecretKeysAreAccepted_withoutAWarning() throws Exception {
        writeProject("name: llm-gateway\nruntime: java\n");
        Files.writeString(project.resolve("Pulumi.dev.yaml"), TWO_KEYS_FILE.replace("apiKey: " + GLOBEX_KEY,
                "apiKey:\n        secure: AAABAHNlY3VyZSB0b28="));
        ConfigLoader.Result result = load(TWO_KEYS, TWO_KEYS_KEYS, "dev", Map.of());
        assertThat(result.config().clients()).containsOnlyKeys("acme", "globex");
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void withoutTheStackFile_keysAreAcceptedOnPulumisTopLevelMark_withAWarningSayingWhy() throws Exception {
        writeProject("name: llm-gateway\nruntime: java\n");
        ConfigLoader.Result result = load(TWO_KEYS, TWO_KEYS_KEYS, "dev", Map.of());
        assertThat(result.config().clients()).containsOnlyKeys("acme", "globex");
        assertThat(result.warnings()).singleElement().asString()
                .startsWith("clients: could not check that each apiKey was itself set as a secret: ")
                .contains("Pulumi.dev.yaml was not found (pulumi up --config-file, or values from Pulumi ESC?)")
                .contains("Accepted clients.acme.apiKey, clients.globex.apiKey only because Pulumi holds 'clients' as a secret")
                .doesNotContain(ACME_KEY).doesNotContain(GLOBEX_KEY);
    }

    @Test
    void withoutTheStackFile_aKeyUnderAKeyPulumiDoesNotHoldSecretIsRefused() throws Exception {
        writeProject("name: llm-gateway\nruntime: java\n");
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> load(TWO_KEYS,
                new PulumiStackConfig.Keys(TWO_KEYS_KEYS.present(), Set.of()), "dev", Map.of()));
        assertThat(error.problems()).hasSize(2).allMatch(p -> p.contains("is stored in plain text"));
    }

    @Test
    void aStackFileWithKeysTheEngineDidNotPassIsNotTheOneTheConfigCameFrom() throws Exception {
        writeProject("name: llm-gateway\nruntime: java\n");
        Files.writeString(project.resolve("Pulumi.dev.yaml"), TWO_KEYS_FILE + "  llm-gateway:stageName: other\n");
        ConfigLoader.Result result = load(TWO_KEYS, TWO_KEYS_KEYS, "dev", Map.of());
        assertThat(result.warnings()).singleElement().asString()
                .contains("Pulumi.dev.yaml sets keys the engine did not pass (stageName)");
    }

    @Test
    void aKeyTheStackFileDoesNotSetIsAcceptedOnTheTopLevelMark_withAWarning() throws Exception {
        writeProject("name: llm-gateway\nruntime: java\n");
        Files.writeString(project.resolve("Pulumi.dev.yaml"), TWO_KEYS_FILE.replace(
                "      apiKey: " + GLOBEX_KEY + "\n", ""));
        ConfigLoader.Result result = load(TWO_KEYS, TWO_KEYS_KEYS, "dev", Map.of());
        assertThat(result.config().clients()).containsOnlyKeys("acme", "globex");
        assertThat(result.warnings()).singleElement().asString().startsWith("clients: clients.globex.apiKey not set in ")
                .contains("Pulumi.dev.yaml (from a Pulumi ESC environment?)");
    }

    // ---- the Region ---------------------------------------------------------------------------------

    @Test
    void theRegionIsAwsRegion_elseTheVariablesTheProviderFallsBackTo_elseUnknown() {
        Map<String, String> env = Map.of("AWS_REGION", "eu-west-1", "AWS_DEFAULT_REGION", "eu-central-1");
        assertThat(PulumiStackConfig.region(config("aws", Map.of("aws:region", "us-west-2")), env))
                .contains(new StackRegion("us-west-2", "aws:region"));
        assertThat(PulumiStackConfig.region(config("aws", Map.of()), env)).contains(new StackRegion("eu-west-1", "AWS_REGION"));
        assertThat(PulumiStackConfig.region(config("aws", Map.of()), Map.of("AWS_DEFAULT_REGION", "eu-central-1")))
                .contains(new StackRegion("eu-central-1", "AWS_DEFAULT_REGION"));
        assertThat(PulumiStackConfig.region(config("aws", Map.of()), Map.of())).isEmpty();
    }

    @Test
    void aProfileOfAnotherGeographyThanTheRegionIsRefused_underPulumiUp() {
        Map<String, String> engine = new LinkedHashMap<>(Map.of(
                "llm-gateway:models", "{\"haiku\":\"us.anthropic.claude-3-5-haiku-20241022-v1:0\"}",
                "llm-gateway:plans", "{\"p\":{\"throttle\":{\"rateLimit\":1,\"burstLimit\":1}}}",
                "llm-gateway:clients", "{\"c\":{\"plan\":\"p\"}}"));
        PulumiStackConfig.Keys keys = new PulumiStackConfig.Keys(Set.of("models", "plans", "clients"), Set.of());
        ConfigException error = catchThrowableOfType(ConfigException.class,
                () -> load(engine, keys, "dev", Map.of("AWS_REGION", "eu-west-1")));
        assertThat(error.problems()).singleElement().asString()
                .startsWith("models.haiku: 'us.anthropic.claude-3-5-haiku-20241022-v1:0' is a cross-Region inference profile "
                        + "of geography 'us'")
                .contains("the stack deploys to eu-west-1 (AWS_REGION)", "'eu.anthropic.claude-3-5-haiku-20241022-v1:0'");
        // No Region known at all: nothing to check against.
        assertThat(load(engine, keys, "dev", Map.of()).config().models()).containsOnlyKeys("haiku");
    }

    private ConfigLoader.Result load(Map<String, String> engine, PulumiStackConfig.Keys keys, String stack,
                                     Map<String, String> environment) {
        return PulumiStackConfig.load(config("llm-gateway", engine), config("aws", engine), keys, stack, project,
                environment);
    }

    private void writeProject(String text) throws Exception {
        Files.writeString(project.resolve("Pulumi.yaml"), text);
    }

    private static Config config(String namespace, Map<String, String> values) {
        return new Config(new DeploymentImpl.Config(ImmutableMap.copyOf(values), ImmutableSet.of()), namespace);
    }
}
