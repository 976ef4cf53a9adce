package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.config.StackFile;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocalGatewayMainTest {

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
    }

    @Test
    void badFlags_nameTheFlagAndWhatIsAllowed() {
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--port", "70000"}))
                .hasMessage("--port: '70000' is not an integer from 0 to 65535");
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--backend", "openai"}))
                .hasMessage("--backend: 'openai' is not allowed; use echo or bedrock");
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--fail-rate", "1.5"}))
                .hasMessage("--fail-rate: '1.5' is not a number from 0 to 1");
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--stack", "nope"}))
                .hasMessageContaining("stack file Pulumi.nope.yaml not found");
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--verbose", "yes"}))
                .hasMessage("unknown option --verbose");
        assertThatThrownBy(() -> LocalGatewayMain.parse(new String[] {"--port"}))
                .hasMessage("--port needs a value");
    }

    @Test
    void help_returnsNoOptions() {
        assertThat(LocalGatewayMain.parse(new String[] {"--help"})).isNull();
    }

    @Test
    void banner_showsTheBaseUrlConfigPlansAndHowToUseTheKeys() throws Exception {
        LocalGatewayMain.Options options = LocalGatewayMain.parse(new String[] {"--port", "0"});
        try (LocalGateway gateway = LocalGateway.builder(StackFile.read(options.stackFile()).load().config()).start()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LocalGatewayMain.banner(new PrintStream(out, true, StandardCharsets.UTF_8), options, gateway);
            String banner = out.toString(StandardCharsets.UTF_8);
            String key = gateway.apiKeys().get("demo");

            assertThat(banner).contains("Base URL      " + gateway.baseUrl())
                    .contains("Pulumi.dev.yaml (stage 'dev')")
                    .contains("nova-micro -> amazon.nova-micro-v1:0")
                    .contains("dev: 2 req/s, burst 5, quota 500/DAY")
                    .contains("demo (plan dev")
                    .contains(key)
                    .contains("Authorization: Bearer " + key)
                    .contains("OpenAI(base_url=\"" + gateway.baseUrl() + "\"");
        }
    }
}
