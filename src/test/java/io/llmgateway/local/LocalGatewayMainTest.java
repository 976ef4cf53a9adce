package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.config.CapacityReport;
import io.llmgateway.config.StackFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The command line: parsing, the banner, and the one-line errors that stop a start (exit code 2). No real AWS. */
class LocalGatewayMainTest {

    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path dir;

    /** What one start printed, and how it ended. */
    record Run(LocalGatewayMain.Running running, int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** A start with standard output not a terminal, as under a log pipeline; keys kept in the test's directory. */
    Run run(Map<String, String> variables, AwsCredentialsProvider credentials, String... args) {
        return run(false, variables, credentials, args);
    }

    Run run(boolean interactive, Map<String, String> variables, AwsCredentialsProvider credentials, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LocalGatewayMain.Environment environment = new LocalGatewayMain.Environment(variables, () -> credentials,
                Clock.fixed(NOW, ZoneOffset.UTC), interactive);
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--keys-file")) {
            all.addAll(List.of("--keys-file", dir.resolve("keys.json").toString()));
        }
        LocalGatewayMain.Running running = null;
        int code = 0;
        try {
            running = LocalGatewayMain.start(all.toArray(String[]::new), environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
        } catch (LocalGatewayMain.Exit e) {
            code = e.code();
        }
        if (running != null) {
            running.close();
        }
        return new Run(running, code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static AwsCredentialsProvider provider(AwsCredentials credentials) {
        return StaticCredentialsProvider.create(credentials);
    }

    static final AwsCredentialsProvider LONG_TERM = provider(AwsBasicCredentials.create("AKIDEXAMPLE", "secretsecret"));

    static final AwsCredentialsProvider NONE = () -> {
        throw SdkClientException.create("Unable to load credentials from any of the providers in the chain "
                + "AwsCredentialsProviderChain(credentialsProviders=[...]) : [...]");
    };

    @Test
    void defaults_loadTheDevStackOnPort8080WithTheEchoModel() {
        LocalGatewayMain.Options options = LocalGatewayMain.parse(new String[0]);

        assertThat(options.port()).isEqualTo(8080);
        assertThat(options.stackFile()).isEqualTo(Path.of("Pulumi.dev.yaml"));
        assertThat(options.backend()).isEqualTo("echo");
    }

    @Test
    void flags_areParsed() {
        LocalGatewayMain.Options options = LocalGatewayMain.parse(new String[] {"--port", "0", "--stack", "prod",
                "--latency-ms", "250", "--fail-rate", "0.25", "--backend", "bedrock", "--region", "eu-west-1"});

        assertThat(options).isEqualTo(new LocalGatewayMain.Options(0, Path.of("Pulumi.prod.yaml"), "bedrock", "eu-west-1", 250, 0.25));
        assertThat(options.tokenDelayMs()).isZero();
        assertThat(LocalGatewayMain.parse(new String[] {"--token-delay-ms", "50"}).tokenDelayMs()).isEqualTo(50);
    }

    @Test
    void badFlags_nameTheFlagAndWhatIsAllowed() {
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--port", "70000"}))
                .hasMessage("--port: '70000' is not an integer from 0 to 65535");
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--backend", "openai"}))
                .hasMessage("--backend: 'openai' is not allowed; use echo or bedrock");
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--fail-rate", "1.5"}))
                .hasMessage("--fail-rate: '1.5' is not a number from 0 to 1");
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--token-delay-ms", "-5"}))
                .hasMessage("--token-delay-ms: '-5' is not an integer from 0 to 60000");
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--token-delay-ms", "fast"}))
                .hasMessage("--token-delay-ms: 'fast' is not an integer from 0 to 60000");
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--stack", "nope"}))
                .hasMessageContaining("stack file Pulumi.nope.yaml not found");
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--verbose", "yes"}))
                .hasMessage("unknown option --verbose");
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--port"}))
                .hasMessage("--port needs a value");
    }

    @Test
    void aBadFlag_isOneLineOnStderr_andExitCode2() {
        Run run = run(Map.of(), LONG_TERM, "--port", "nope");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("error: --port: 'nope' is not an integer from 0 to 65535 (--help lists the options)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void help_printsTheUsage_andStartsNothing() {
        Run run = run(Map.of(), LONG_TERM, "--help");

        assertThat(run.running()).isNull();
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(LocalGatewayMain.USAGE);
    }

    @Test
    void aPortInUse_isOneLineOnStderr_andExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();

            Run run = run(Map.of(), LONG_TERM, "--port", Integer.toString(port));

            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.errLines()).containsExactly("error: port " + port + " on 127.0.0.1 is in use; pass --port N (0 picks a free port)");
        }
    }

    @Test
    void bedrockWithoutARegion_isOneLineOnStderr_andExitCode2() throws Exception {
        Path stack = stackWithout("aws:region");

        Run run = run(Map.of(), LONG_TERM, "--port", "0", "--backend", "bedrock", "--config", stack.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("error: --backend bedrock needs a Region: pass --region NAME or set aws:region in " + stack);
    }

    @Test
    void bedrockWithoutARegionInTheStack_takesAwsRegionFromTheEnvironment() throws Exception {
        Run run = run(Map.of("AWS_REGION", "eu-west-1"), LONG_TERM, "--port", "0", "--backend", "bedrock",
                "--config", stackWithout("aws:region").toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Backend       Amazon Bedrock in eu-west-1");
    }

    @Test
    void anUnknownRegion_isOneLineNamingWhereItCameFrom_andExitCode2() throws Exception {
        Run flag = run(Map.of(), LONG_TERM, "--port", "0", "--backend", "bedrock", "--region", "eu-wst-1");
        Path stack = dir.resolve("Pulumi.typo.yaml");
        Files.writeString(stack, Files.readString(Path.of("Pulumi.dev.yaml")).replace("aws:region: us-east-1", "aws:region: us-esat-1"));
        Run config = run(Map.of(), LONG_TERM, "--port", "0", "--backend", "bedrock", "--config", stack.toString());

        assertThat(flag.exitCode()).isEqualTo(2);
        assertThat(flag.errLines()).singleElement().asString()
                .startsWith("error: --region: 'eu-wst-1' is not an AWS Region this SDK knows (for example us-east-1");
        assertThat(config.exitCode()).isEqualTo(2);
        assertThat(config.errLines()).singleElement().asString()
                .startsWith("error: aws:region in " + stack + ": 'us-esat-1' is not an AWS Region this SDK knows");
    }

    @Test
    void bedrockWithoutCredentials_isOneLineOnStderr_andExitCode2() {
        Run run = run(Map.of("AWS_PROFILE", "work"), NONE, "--port", "0", "--backend", "bedrock");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("error: --backend bedrock needs AWS credentials and found none "
                + "(environment, profile 'work', SSO, container or instance role; try aws configure or aws sso login)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void bedrockWithCredentialsThatCannotLoad_saysWhy_inOneLine() {
        AwsCredentialsProvider expiredSso = () -> {
            throw SdkClientException.create("The SSO session associated with this profile has expired or is otherwise invalid.\n"
                    + "To refresh this SSO session run aws sso login with the corresponding profile.");
        };

        Run run = run(Map.of(), expiredSso, "--port", "0", "--backend", "bedrock");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).singleElement().asString()
                .endsWith("; try aws configure or aws sso login): The SSO session associated with this profile has expired or is otherwise invalid...");
    }

    @Test
    void bedrockWithLongTermCredentials_startsWithoutWarnings() {
        Run run = run(Map.of(), LONG_TERM, "--port", "0", "--backend", "bedrock");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("Backend       Amazon Bedrock in us-east-1\n").doesNotContain("WARNING")
                .doesNotContain("secretsecret");
    }

    @Test
    void credentialsAboutToExpire_startButTheBannerWarns() {
        AwsSessionCredentials expiring = AwsSessionCredentials.builder().accessKeyId("ASIAEXAMPLE").secretAccessKey("secretsecret")
                .sessionToken("session-token-value").expirationTime(NOW.plus(Duration.ofMinutes(12)))
                .providerName("TestProvider").build();

        Run run = run(Map.of(), provider(expiring), "--port", "0", "--backend", "bedrock");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("WARNING       the AWS credentials expire at 2026-11-25T10:12:00Z (in 12 min)")
                .doesNotContain("secretsecret").doesNotContain("session-token-value");
    }

    @Test
    void expiredCredentials_andTemporaryCredentialsOfUnknownExpiry_startButTheBannerWarns() {
        AwsSessionCredentials expired = AwsSessionCredentials.builder().accessKeyId("ASIAEXAMPLE").secretAccessKey("s")
                .sessionToken("t").expirationTime(NOW.minusSeconds(60)).build();
        AwsSessionCredentials unknown = AwsSessionCredentials.create("ASIAEXAMPLE", "s", "t");

        Run expiredRun = run(Map.of(), provider(expired), "--port", "0", "--backend", "bedrock");
        Run unknownRun = run(Map.of(), provider(unknown), "--port", "0", "--backend", "bedrock");

        assertThat(expiredRun.out()).contains("WARNING       the AWS credentials expired at 2026-11-25T09:59:00Z");
        assertThat(unknownRun.out()).contains("WARNING       the AWS credentials are temporary (a session token) and their expiry is unknown");
    }

    @Test
    void withCorsTheBannerNamesTheOrigins() throws Exception {
        Path stack = dir.resolve("Pulumi.cors.yaml");
        Files.writeString(stack, Files.readString(Path.of("Pulumi.dev.yaml"))
                + "  llm-gateway:cors:\n    allowedOrigins:\n      - https://app.example.com\n      - http://localhost:3000\n");

        Run run = run(Map.of(), NONE, "--port", "0", "--config", stack.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("CORS          pages from https://app.example.com, http://localhost:3000 may call it");
        assertThat(run(Map.of(), NONE, "--port", "0").out()).doesNotContain("CORS");
    }

    @Test
    void aRegionThatCannotCallAConfiguredInferenceProfile_startsButTheBannerWarns() throws Exception {
        Path stack = dir.resolve("Pulumi.profile.yaml");
        Files.writeString(stack, Files.readString(Path.of("Pulumi.dev.yaml"))
                .replace("nova-micro: amazon.nova-micro-v1:0", "nova-micro: us.amazon.nova-micro-v1:0"));

        Run run = run(Map.of(), LONG_TERM, "--port", "0", "--backend", "bedrock", "--region", "eu-west-1", "--config", stack.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("WARNING       --region eu-west-1 is not the stack's aws:region us-east-1")
                .contains("WARNING       model nova-micro (us.amazon.nova-micro-v1:0) is a 'us' inference profile, which eu-west-1 cannot call");
    }

    @Test
    void banner_showsTheBaseUrlConfigPlansAndHowToUseTheKeys() {
        Run run = run(true, Map.of(), NONE, "--port", "0");

        assertThat(run.exitCode()).isZero();
        LocalGateway gateway = run.running().gateway();
        String key = gateway.apiKeys().get("demo");
        assertThat(gateway.baseUrl().getHost()).isEqualTo("127.0.0.1"); // as the README says, not "localhost"
        assertThat(run.out()).contains("Base URL      " + gateway.baseUrl())
                .contains("Pulumi.dev.yaml (stage 'dev')")
                .contains("Backend       built-in echo model")
                .contains("nova-micro -> amazon.nova-micro-v1:0")
                .contains("dev: 2 req/s, burst 5, quota 500/DAY")
                .contains("demo (plan dev")
                .contains(key)
                .contains("Authorization: Bearer " + key)
                .contains("OpenAI(base_url=\"" + gateway.baseUrl() + "\"")
                .doesNotContain("WARNING");
    }

    /** A restart hands out the same keys: generated once, kept in the (git-ignored) keys file. */
    @Test
    void generatedKeys_surviveARestart_inAKeysFileOnlyItsOwnerReads() throws Exception {
        Path keys = dir.resolve("kept.json");
        Run first = run(Map.of(), NONE, "--port", "0", "--keys-file", keys.toString());
        Run second = run(Map.of(), NONE, "--port", "0", "--keys-file", keys.toString());

        String key = first.running().gateway().apiKeys().get("demo");
        assertThat(second.running().gateway().apiKeys()).containsEntry("demo", key);
        assertThat(second.running().gateway().keys().get(0).id()).isEqualTo(first.running().gateway().keys().get(0).id());
        assertThat(Files.readString(keys)).contains("\"Pulumi.dev.yaml\"", "\"demo\"", key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys))).isEqualTo("rw-------");
        assertThat(first.out()).contains("kept in " + keys.toAbsolutePath() + " under \"Pulumi.dev.yaml\"");
    }

    /** Standard output that is not a terminal may be a log pipeline: key values stay out of it unless asked for. */
    @Test
    void withoutATerminal_keyValuesAreNotPrinted_unlessAskedFor() {
        Run quiet = run(Map.of(), NONE, "--port", "0");
        String key = quiet.running().gateway().apiKeys().get("demo");
        assertThat(quiet.out()).doesNotContain(key).contains("demo (plan dev, key id ").contains(": in the keys file")
                .contains("pass --print-keys to print them").contains("Authorization: Bearer $KEY");

        Run asked = run(Map.of(), NONE, "--port", "0", "--print-keys");
        assertThat(asked.out()).contains(asked.running().gateway().apiKeys().get("demo"));
    }

    @Test
    void banner_printsTheStatusPageAndTheCapacityReportPulumiPreviewPrints() throws Exception {
        Run run = run(Map.of(), NONE, "--port", "0");

        LocalGateway gateway = run.running().gateway();
        CapacityReport report = StackFile.read(Path.of("Pulumi.dev.yaml")).load().capacity();
        assertThat(run.out()).contains("Status page   " + gateway.statusUrl() + " (plans, buckets, quotas, token use, "
                + "refusals)\n").contains("  Capacity\n");
        assertThat(report.lines()).isNotEmpty()
                .allSatisfy(line -> assertThat(run.out()).contains("    " + line + "\n"));
        assertThat(gateway.statusUrl().getPath()).isEqualTo("/");
    }

    private Path stackWithout(String key) throws Exception {
        Path stack = dir.resolve("Pulumi.test.yaml");
        String text = Files.readString(Path.of("Pulumi.dev.yaml")).lines().filter(l -> !l.contains(key + ":"))
                .reduce("", (a, b) -> a + b + "\n");
        Files.writeString(stack, text);
        return stack;
    }
}
