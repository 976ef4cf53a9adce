package io.llmgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StackFileTest {

    private static final StackFile FILE = parse("""
            config:
              aws:region: eu-west-1
              aws:secretKey:
                secure: AAAB
              llm-gateway:stageName: dev
              llm-gateway:models:
                secure: AAAB
              llm-gateway:plans:
                p:
                  throttle:
                    rateLimit: 1
                    burstLimit: 1
                  methodThrottles:
                    /v1/models/GET:
                      rateLimit:
                        secure: AAAB
              llm-gateway:clients:
                acme:
                  plan: p
                  apiKey:
                    secure: AAAB
                globex:
                  plan: p
              llm-gateway:extras:
                - plain
                - secure: AAAB
              llm-gateway:json: '{"acme": {"apiKey": "plain-in-json"}}'
            """);

    private static StackFile parse(String yaml) {
        try {
            return StackFile.parse(yaml, "Pulumi.test.yaml");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void everySecureLeafIsRecordedInPulumiPathSyntax_andOnlyThisProjectsOwn() {
        assertThat(FILE.securePaths()).containsExactly("models",
                "plans.p.methodThrottles[\"/v1/models/GET\"].rateLimit", "clients.acme.apiKey", "extras[1]");
        assertThat(FILE.secretKeys()).containsExactly("models", "plans", "clients", "extras");
    }

    @Test
    void aPathIsSecure_plainOrAbsent_asTheFileSetsIt() {
        assertThat(FILE.held(path("clients", "acme", "apiKey"))).isEqualTo(StackFile.Held.SECURE);
        assertThat(FILE.held(path("clients", "acme", "plan"))).isEqualTo(StackFile.Held.PLAIN);
        assertThat(FILE.held(path("clients", "globex", "apiKey"))).isEqualTo(StackFile.Held.ABSENT);
        assertThat(FILE.held(path("clients", "initech"))).isEqualTo(StackFile.Held.ABSENT);
        assertThat(FILE.held(path("maxTokensDefault"))).isEqualTo(StackFile.Held.ABSENT);
        // Under a secure value, everything is secure: a secret object decrypts to secret leaves.
        assertThat(FILE.held(path("models", "nova"))).isEqualTo(StackFile.Held.SECURE);
        // A whole object kept as one plain JSON text is plain throughout.
        assertThat(FILE.held(path("json", "acme", "apiKey"))).isEqualTo(StackFile.Held.PLAIN);
        assertThat(FILE.held(new KeyPath(List.of("extras", 1)))).isEqualTo(StackFile.Held.SECURE);
        assertThat(FILE.held(new KeyPath(List.of("extras", 0)))).isEqualTo(StackFile.Held.PLAIN);
    }

    /** The Pulumi CLI reads YAML 1.2: only true and false are booleans, as here. */
    @Test
    void yaml11Booleans_areTextAsThePulumiCliReadsThem() {
        StackFile file = parse("""
                config:
                  llm-gateway:clients:
                    no:
                      plan: on
                      enabled: yes
                      description: 2026-01-01
                    y:
                      plan: p
                      enabled: true
                """);

        @SuppressWarnings("unchecked")
        Map<String, Object> clients = (Map<String, Object>) file.values().get("clients");
        assertThat(clients).containsOnlyKeys("no", "y");
        assertThat(clients.get("no")).isEqualTo(Map.of("plan", "on", "enabled", "yes", "description", "2026-01-01"));
        assertThat(clients.get("y")).isEqualTo(Map.of("plan", "p", "enabled", true));
    }

    /** The last of two equal keys would win silently, leaving the first (a plain-text key) in the file. */
    @Test
    void aDuplicateKeyAnywhere_isRefusedWithItsNameAndLine_andNoValue() {
        String plainKey = "sk-plain-0123456789abcdefghij";
        assertThatThrownBy(() -> StackFile.parse("""
                config:
                  llm-gateway:clients:
                    acme:
                      plan: p
                      apiKey: %s
                      apiKey:
                        secure: AAAB
                """.formatted(plainKey), "Pulumi.test.yaml"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Pulumi.test.yaml")
                .hasMessageContaining("duplicate key 'apiKey'")
                .hasMessageContaining("line 6, column 7")
                .hasMessageNotContaining(plainKey)
                .hasMessageNotContaining("AAAB");
        assertThatThrownBy(() -> StackFile.parse("""
                config:
                  aws:region: us-east-1
                  aws:region: eu-west-1
                """, "Pulumi.test.yaml"))
                .hasMessageContaining("duplicate key 'aws:region' at line 3");
    }

    /** SnakeYAML's own message quotes the offending line, which can hold a key in plain text. */
    @Test
    void aSyntaxError_saysFileLineAndColumn_neverTheLinesText() {
        String plainKey = "sk-plain-0123456789abcdefghij";
        assertThatThrownBy(() -> StackFile.parse("""
                config:
                  llm-gateway:clients:
                    acme:
                      apiKey: %s: oops: [
                """.formatted(plainKey), "Pulumi.test.yaml"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("Pulumi.test.yaml is not valid YAML at line 4, column ")
                .hasMessageNotContaining(plainKey)
                .hasMessageNotContaining("oops");
    }

    @Test
    void theRegionIsTheFilesAwsRegion() {
        assertThat(FILE.region()).contains(new StackRegion("eu-west-1", "aws:region"));
        assertThat(parse("config:\n  llm-gateway:stageName: dev\n").region()).isEqualTo(Optional.empty());
    }

    @Test
    void theLocalGatewayLoadChecksProfilesAgainstTheFilesRegion() {
        StackFile file = parse("""
                config:
                  aws:region: eu-west-1
                  llm-gateway:models:
                    haiku: us.anthropic.claude-3-5-haiku-20241022-v1:0
                  llm-gateway:plans:
                    p:
                      throttle: {rateLimit: 1, burstLimit: 1}
                  llm-gateway:clients:
                    c: {plan: p}
                """);
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class, file::load).problems())
                .singleElement().asString().startsWith("models.haiku: 'us.anthropic.claude-3-5-haiku-20241022-v1:0' is a "
                        + "cross-Region inference profile of geography 'us'");
    }

    private static KeyPath path(String... keys) {
        return new KeyPath(List.of((Object[]) keys));
    }
}
