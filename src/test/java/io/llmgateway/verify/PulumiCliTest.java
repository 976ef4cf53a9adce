package io.llmgateway.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.common.OwnThread;
import io.llmgateway.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The stack's outputs through a scripted CLI: tests never need Pulumi. */
class PulumiCliTest {

    private final List<List<String>> commands = new ArrayList<>();

    private PulumiCli.Runner cli(Map<String, PulumiCli.Result> answers) {
        return command -> {
            commands.add(command);
            PulumiCli.Result result = answers.get(String.join(" ", command));
            if (result == null) {
                throw new AssertionError("unexpected command " + command);
            }
            return result;
        };
    }

    private static final String OUTPUTS = "pulumi stack output --json --show-secrets";

    @Test
    void outputs_giveTheBaseUrlAndKeysInOrder_andTheSelectedStacksName() throws Exception {
        PulumiCli.Outputs outputs = PulumiCli.outputs(cli(Map.of(
                OUTPUTS, new PulumiCli.Result(0, "{\"apiId\":\"abc\",\"baseUrl\":\"https://abc.example/dev/v1\","
                        + "\"apiKeys\":{\"zeta\":\"sk-zeta-0123456789abcdef\",\"acme\":\"sk-acme-0123456789abcdef\"}}", ""),
                "pulumi stack --show-name", new PulumiCli.Result(0, "dev\n", ""))), null);

        assertThat(outputs.stack()).isEqualTo("dev");
        assertThat(outputs.baseUrl()).isEqualTo("https://abc.example/dev/v1");
        assertThat(outputs.apiKeys()).containsExactly(Map.entry("zeta", "sk-zeta-0123456789abcdef"),
                Map.entry("acme", "sk-acme-0123456789abcdef"));
        assertThat(outputs.toString()).doesNotContain("sk-zeta", "sk-acme");
        assertThat(commands).containsExactly(List.of("pulumi", "stack", "output", "--json", "--show-secrets"),
                List.of("pulumi", "stack", "--show-name"));
    }

    /**
     * A CLI that fills its stderr pipe (1 MB) before it closes stdout: both pipes must be drained at
     * once. Run in a JVM whose common pool has two threads, both kept busy, so a reader queued there
     * could never run. (With fewer than two, CompletableFuture gives each async task a thread of its
     * own, which hides the fault on a two-core machine.)
     */
    @Test
    void aCliThatWritesAMegabyteToStderrBeforeClosingStdout_isReadToTheEnd() throws Exception {
        ChildJvm.Result result = ChildJvm.run(List.of(Path.of("target", "classes"), Path.of("target", "test-classes")),
                List.of("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2"), Map.of("PATH", System.getenv("PATH")),
                NoisyCliProbe.class.getName());

        assertThat(result.stdout()).contains("exit=0 stdout={} stderr=1048576");
        assertThat(result.exitCode()).isZero();
    }

    /** Occupies the common pool, then runs a fake CLI through {@link PulumiCli#PROCESS}. */
    static final class NoisyCliProbe {
        public static void main(String[] args) throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < ForkJoinPool.getCommonPoolParallelism(); i++) {
                ForkJoinPool.commonPool().execute(() -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            CompletableFuture<PulumiCli.Result> run = OwnThread.supply("probe", () -> PulumiCli.PROCESS.run(
                    List.of("sh", "-c", "head -c 1048576 /dev/zero | tr '\\0' e >&2; printf '{}'")));
            try {
                PulumiCli.Result result = run.get(20, TimeUnit.SECONDS);
                System.out.println("exit=" + result.exitCode() + " stdout=" + result.stdout() + " stderr="
                        + result.stderr().chars().filter(c -> c == 'e').count());
                System.exit(0);
            } catch (TimeoutException e) {
                System.out.println("no answer within 20 s: the pipes were not drained");
                System.exit(1);
            }
        }
    }

    @Test
    void aNamedStack_isPassedToTheCli() throws Exception {
        PulumiCli.Outputs outputs = PulumiCli.outputs(cli(Map.of(OUTPUTS + " --stack my-org/prod", new PulumiCli.Result(0,
                "{\"baseUrl\":\"https://x/prod/v1\",\"apiKeys\":{\"a\":\"sk-a-0123456789abcdefgh\"}}", ""))), "my-org/prod");

        assertThat(outputs.stack()).isEqualTo("my-org/prod");
        assertThat(commands).hasSize(1);
    }

    @Test
    void withoutTheCli_theErrorSaysWhatToPassInstead() {
        PulumiCli.Runner missing = command -> {
            throw new IOException("Cannot run program \"pulumi\": error=2, No such file or directory");
        };

        assertThatThrownBy(() -> PulumiCli.outputs(missing, null)).isInstanceOf(VerifyException.class)
                .hasMessageStartingWith("no --base-url and --api-key given, and the Pulumi CLI could not run")
                .hasMessageContaining("Pass --base-url URL --api-key KEY");
    }

    @Test
    void aFailingCli_isReportedWithItsFirstErrorLine() {
        assertThatThrownBy(() -> PulumiCli.outputs(cli(Map.of(OUTPUTS, new PulumiCli.Result(255, "",
                "error: no stack selected; please use `pulumi stack select`\nmore\n"))), null))
                .hasMessage("`pulumi stack output --json --show-secrets` failed (exit 255): error: no stack selected;"
                        + " please use `pulumi stack select`. Log in (`pulumi login`) and select the stack"
                        + " (`pulumi stack select NAME`), or pass --stack NAME");
    }

    @Test
    void outputsThatAreNotTheStacks_areRefusedWithoutShowingAKey() {
        assertThatThrownBy(() -> PulumiCli.outputs(cli(Map.of(OUTPUTS, new PulumiCli.Result(0, "{}", ""))), null))
                .hasMessageStartingWith("the stack has no baseUrl output");
        assertThatThrownBy(() -> PulumiCli.outputs(cli(Map.of(OUTPUTS, new PulumiCli.Result(0,
                "{\"baseUrl\":\"https://x/v1\",\"apiKeys\":{\"acme\":\"[secret]\"}}", ""))), null))
                .hasMessageStartingWith("the apiKeys output holds no readable key for client 'acme'");
        assertThatThrownBy(() -> PulumiCli.outputs(cli(Map.of(OUTPUTS, new PulumiCli.Result(0, "not json", ""))), null))
                .hasMessageStartingWith("`pulumi stack output --json --show-secrets` did not print a JSON object");
    }
}
