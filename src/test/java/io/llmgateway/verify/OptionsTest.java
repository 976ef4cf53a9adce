package io.llmgateway.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static Options parse(String... args) {
        return Options.parse(args);
    }

    @Test
    void noArguments_meanTheStacksOutputsAndSmallDefaults() {
        Options o = parse();

        assertThat(o.baseUrl()).isNull();
        assertThat(o.apiKey()).isNull();
        assertThat(o.maxTokens()).isEqualTo(16);
        assertThat(o.toolMaxTokens()).isEqualTo(64);
        assertThat(o.retries()).isEqualTo(3);
        assertThat(o.timeoutSeconds()).isEqualTo(60);
        assertThat(o.probeLimits()).isFalse();
    }

    @Test
    void everyOption_isRead() {
        Options o = parse("--base-url", "https://abc.execute-api.eu-west-1.amazonaws.com/prod/v1/", "--api-key", "k".repeat(20),
                "--client", "acme", "--stack", "my-org/prod", "--config", "Pulumi.prod.yaml", "--model", "nova-micro",
                "--embedding-model", "titan-embed", "--max-tokens", "8", "--tool-max-tokens", "32", "--timeout-seconds", "5",
                "--retries", "0", "--probe-limits", "--probe-client", "probe", "--probe-api-key", "p".repeat(20),
                "--rate", "0.5", "--burst", "2", "--quota", "50/day", "--i-know");

        assertThat(o).isEqualTo(new Options("https://abc.execute-api.eu-west-1.amazonaws.com/prod/v1", "k".repeat(20),
                "acme", "my-org/prod", Path.of("Pulumi.prod.yaml"), "nova-micro", "titan-embed", 8, 32, 5, 0, true, "probe",
                "p".repeat(20), 0.5, 2, new Options.QuotaOption(50, "DAY"), true));
        assertThat(o.stackFileName()).isEqualTo("Pulumi.prod.yaml");
    }

    @Test
    void help_returnsNull() {
        assertThat(parse("--model", "x", "--help")).isNull();
    }

    @Test
    void badValues_nameTheOptionAndWhatIsAllowed_neverEchoingAKey() {
        assertThatThrownBy(() -> parse("--max-tokens", "0")).hasMessage("--max-tokens: '0' is not an integer from 1 to 4096");
        assertThatThrownBy(() -> parse("--base-url", "ftp://x/v1", "--api-key", "k"))
                .hasMessageStartingWith("--base-url: 'ftp://x/v1' is not an http(s) URL");
        assertThatThrownBy(() -> parse("--base-url", "https://x/v1", "--api-key", "secret with space"))
                .hasMessage("--api-key: a key is printable ASCII without spaces");
        assertThatThrownBy(() -> parse("--modle", "x")).hasMessage("unknown option '--modle'; --help lists them");
        assertThatThrownBy(() -> parse("stray")).hasMessage("unexpected argument 'stray'; options start with --");
        assertThatThrownBy(() -> parse("--model")).hasMessage("--model needs a value");
        assertThatThrownBy(() -> parse("--probe-limits", "--probe-client", "p", "--rate", "-1", "--burst", "1",
                "--quota", "none")).hasMessageStartingWith("--rate: '-1' is not a rate above 0");
        assertThatThrownBy(() -> parse("--probe-limits", "--probe-client", "p", "--rate", "1", "--burst", "1",
                "--quota", "5/YEAR")).hasMessage("--quota: period 'YEAR' is not DAY, WEEK or MONTH");
    }

    @Test
    void optionsThatGoTogether_areRequiredTogether() {
        assertThatThrownBy(() -> parse("--base-url", "https://x/v1")).hasMessageStartingWith("--base-url needs --api-key");
        assertThatThrownBy(() -> parse("--api-key", "k".repeat(20))).hasMessageStartingWith("--api-key needs --base-url");
        assertThatThrownBy(() -> parse("--i-know")).hasMessage("--i-know only goes with --probe-limits");
        assertThatThrownBy(() -> parse("--rate", "1")).hasMessageEndingWith("only go with --probe-limits");
        assertThatThrownBy(() -> parse("--probe-limits", "--stack", "dev"))
                .hasMessageStartingWith("--probe-limits needs a dedicated client");
        assertThatThrownBy(() -> parse("--probe-limits", "--probe-api-key", "p".repeat(20), "--rate", "1"))
                .hasMessageStartingWith("--rate, --burst and --quota go together");
        assertThatThrownBy(() -> parse("--probe-limits", "--probe-api-key", "p".repeat(20)))
                .hasMessageStartingWith("--probe-limits needs the probed plan's limits");
    }

    @Test
    void probeWithStackFileOrExplicitLimits_isAccepted() {
        assertThat(parse("--probe-limits", "--probe-client", "probe", "--stack", "dev").probeLimits()).isTrue();
        Options explicit = parse("--probe-limits", "--probe-api-key", "p".repeat(20), "--rate", "2", "--burst", "5",
                "--quota", "none");
        assertThat(explicit.quota()).isEqualTo(Options.QuotaOption.NONE);
        assertThat(parse("--probe-limits", "--probe-api-key", "p".repeat(20), "--rate", "2", "--burst", "5",
                "--quota", "40").quota()).isEqualTo(new Options.QuotaOption(40, "PERIOD"));
    }
}
