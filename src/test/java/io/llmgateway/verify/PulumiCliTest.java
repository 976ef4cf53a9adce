package io.llmgateway.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
