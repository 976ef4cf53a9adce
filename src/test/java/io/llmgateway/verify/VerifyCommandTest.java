package io.llmgateway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole command: arguments or the stack's outputs in, a table and an exit code out. */
class VerifyCommandTest {

    /** The stub's plan: 10 requests per second, which the stub's x-ratelimit-limit-requests (600 a minute) matches. */
    static final String STACK = """
            config:
              llm-gateway:stageName: stage
              llm-gateway:models:
                stub-chat: amazon.nova-micro-v1:0
              llm-gateway:plans:
                standard:
                  throttle:
                    rateLimit: 10
                    burstLimit: 20
                probe:
                  throttle:
                    rateLimit: 1
                    burstLimit: 5
              llm-gateway:clients:
                retired:
                  plan: standard
                  enabled: false
                app:
                  plan: standard
                prober:
                  plan: probe
            """;

    @TempDir
    Path directory;

    private StubGateway stub;
    private final FakeTime time = new FakeTime();
    private final List<List<String>> pulumiCommands = new ArrayList<>();
    private PulumiCli.Runner pulumi;

    @BeforeEach
    void start() throws IOException {
        stub = StubGateway.start();
        pulumi = command -> {
            throw new IOException("Cannot run program \"pulumi\"");
        };
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private record Output(int exitCode, String out, String err) {
    }

    private Output verify(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PulumiCli.Runner recording = command -> {
            pulumiCommands.add(command);
            return pulumi.run(command);
        };
        int code = VerifyCommand.run(args, new VerifyCommand.Environment(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), recording, time, directory));
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A CLI whose selected stack is "dev", with the stub as baseUrl and a key per client. */
    private void stackOutputs() throws IOException {
        Files.writeString(directory.resolve("Pulumi.dev.yaml"), STACK);
        pulumi = command -> switch (String.join(" ", command)) {
            case "pulumi stack output --json --show-secrets",
                 "pulumi stack output --json --show-secrets --stack dev" -> new PulumiCli.Result(0, "{\"baseUrl\":\"" + stub.baseUrl()
                    + "\",\"apiKeys\":{\"retired\":\"sk-disabled-0123456789abcdef\",\"app\":\"" + StubGateway.KEY
                    + "\",\"prober\":\"" + StubGateway.PROBE_KEY + "\"}}", "");
            case "pulumi stack --show-name" -> new PulumiCli.Result(0, "dev\n", "");
            default -> throw new AssertionError("unexpected " + command);
        };
    }

    @Test
    void passingRun_printsTheTableAndSummary_exitsZero_andNeverTheKey() {
        Output run = verify("--base-url", stub.baseUrl(), "--api-key", StubGateway.KEY);

        assertThat(run.exitCode()).as(run.out()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).startsWith("llm-gateway verify\n  Base URL   " + stub.baseUrl() + "\n"
                + "  Client     key ****WXYZ (--api-key)\n"
                + "  Model      stub-chat (the first chat model listed; --model NAME to choose)\n\n"
                + "CHECK                  RESULT     TIME  DETAIL\n");
        assertThat(run.out().lines().filter(l -> l.matches("[a-z_.]+ +(PASS|FAIL|SKIP) .*"))).hasSize(Check.values().length);
        assertThat(run.out()).endsWith("\nPASS: 15 checks passed, 3 skipped. Tokens used: 76.\n");
        assertThat(run.out()).doesNotContain(StubGateway.KEY);
        assertThat(pulumiCommands).isEmpty();
    }

    @Test
    void failingRun_exitsOne_andSaysWhatFailed() {
        stub.streamedToolIndex = -2;

        Output run = verify("--base-url", stub.baseUrl(), "--api-key", StubGateway.KEY);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("tools.stream           FAIL       0 ms  delta.tool_calls[].index is -2, a negative index\n"
                + "                       expected  200 event stream whose delta.tool_calls have indices from 0,")
                .contains("FAIL: 1 of 18 checks failed, 14 passed, 3 skipped.");
    }

    @Test
    void withoutTarget_theStacksOutputsGiveIt_andTheFirstEnabledClientIsUsed() throws IOException {
        stackOutputs();

        Output run = verify();

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("  Base URL   " + stub.baseUrl() + " (output baseUrl of stack 'dev')\n"
                + "  Client     app, key ****WXYZ (the first enabled client of the apiKeys output; --client NAME to choose)\n"
                + "  Plan       standard (" + directory.resolve("Pulumi.dev.yaml") + ")\n");
        assertThat(run.out()).contains("header.rate_limit      PASS       0 ms  x-ratelimit-limit-requests 600 on"
                + " GET /v1/models, GET /v1/models/stub-chat, POST /v1/chat/completions, POST /v1/responses,"
                + " POST /v1/embeddings (as the plan says)");
        assertThat(run.out()).doesNotContain(StubGateway.KEY, "sk-disabled");
        assertThat(pulumiCommands).containsExactly(List.of("pulumi", "stack", "output", "--json", "--show-secrets"),
                List.of("pulumi", "stack", "--show-name"));
    }

    @Test
    void aClientThePlanDoesNotRate_failsTheRateLimitCheck() throws IOException {
        stackOutputs();
        stub.successHeaders = java.util.Map.of("x-ratelimit-limit-requests", "60");

        Output run = verify("--client", "app");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("header.rate_limit      FAIL", "got       x-ratelimit-limit-requests: 60 on"
                + " models.list 200 (GET /v1/models) does not match the plan: 600 requests per minute");
    }

    @Test
    void limitProbe_runsOnTheDedicatedClientFromTheOutputs_withThePlanFromTheStackFile() throws IOException {
        stackOutputs();

        Output run = verify("--probe-limits", "--probe-client", "prober", "--stack", "dev");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("  Probe      prober, key ****PRBE; plan 'probe' (/v1/models/GET: 1/s, burst 5),"
                + " no quota; 12 requests\n");
        assertThat(run.out()).contains("limits.throttle        PASS       0 ms  accepted 5 of 12 in 0.00 s;",
                "limits.quota           SKIP          -  the plan has no quota",
                "header.retry_after     PASS       0 ms  7 seen: 429 Retry-After 1");
        assertThat(run.out()).doesNotContain(StubGateway.PROBE_KEY);
        assertThat(pulumiCommands).containsExactly(
                List.of("pulumi", "stack", "output", "--json", "--show-secrets", "--stack", "dev"));
    }

    @Test
    void aRefusedProbe_stopsBeforeAnyRequest() {
        Output run = verify("--base-url", stub.baseUrl(), "--api-key", StubGateway.KEY, "--probe-limits",
                "--probe-api-key", StubGateway.PROBE_KEY, "--rate", "10", "--burst", "20", "--quota", "500/DAY");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: --probe-limits sends 60 requests, more than 10% of the quota (500 per"
                + " day). Probe a dedicated client on a plan with a larger quota, or on one with a quota of at most 100"
                + " with --i-know to probe the quota as well\n");
        assertThat(run.out()).isEmpty();
        assertThat(stub.requests).isEmpty();
    }

    @Test
    void theProbeNeedsAClientOfItsOwn() {
        Output run = verify("--base-url", stub.baseUrl(), "--api-key", StubGateway.KEY, "--probe-limits",
                "--probe-api-key", StubGateway.KEY, "--rate", "1", "--burst", "1", "--quota", "none");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: --probe-limits needs a dedicated client, not the one the checks use");
        assertThat(stub.requests).isEmpty();
    }

    @Test
    void anUnknownClient_isNamedWithTheClientsThereAre_butNoKeys() throws IOException {
        stackOutputs();

        Output run = verify("--client", "nobody");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: --client: no client 'nobody' in the apiKeys output; it has retired, app, prober\n");
        assertThat(stub.requests).isEmpty();
    }

    @Test
    void withoutTargetAndWithoutPulumi_theErrorSaysWhatToPass() {
        Output run = verify();

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).startsWith("error: no --base-url and --api-key given, and the Pulumi CLI could not run");
    }

    @Test
    void badOptions_exitTwo_andHelpExitsZero() {
        Output bad = verify("--max-tokens", "lots");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("error: --max-tokens: 'lots' is not an integer from 1 to 4096\n(--help lists the options)\n");
        assertThat(bad.out()).isEmpty();

        Output help = verify("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith(Options.USAGE).contains("\nChecks, in order:\n"
                + "  models.list            GET /models answers a list of model objects; the first chat model is used below\n")
                .endsWith("  limits.quota           --probe-limits --i-know on a small quota: the quota ends in 429"
                        + " insufficient_quota with Retry-After and x-should-retry: false\n");
    }
}
