package io.llmgateway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command against the local gateway, the same check CI runs in {@code mvn -B verify}: every check
 * passes, embeddings and the limit probes included, and a broken backend fails with the right messages.
 */
class LocalGatewayVerifyTest {

    /**
     * Two plans with the same rate (so the backend sends x-ratelimit-limit-requests): the checks'
     * client has a burst that outlasts the run on a clock that stands still, the probe's client a
     * small burst and a quota of 20 a day.
     */
    static final String STACK = """
            config:
              aws:region: eu-west-1
              llm-gateway:stageName: verify
              llm-gateway:stageRateLimit: "10000"
              llm-gateway:stageBurstLimit: "5000"
              llm-gateway:models:
                echo-chat: amazon.nova-micro-v1:0
                echo-embed: amazon.titan-embed-text-v2:0
              llm-gateway:plans:
                standard:
                  throttle:
                    rateLimit: 1
                    burstLimit: 1000
                probe:
                  throttle:
                    rateLimit: 1
                    burstLimit: 5
                  quota:
                    limit: 20
                    period: DAY
                    offset: 0
              llm-gateway:clients:
                app:
                  plan: standard
                prober:
                  plan: probe
            """;

    @TempDir
    Path directory;

    private final FakeTime time = new FakeTime();

    private record Output(int exitCode, String out, String err) {
    }

    private Output verify(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        VerifyCommand.Environment env = new VerifyCommand.Environment(
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                command -> {
                    throw new IOException("no Pulumi CLI in tests");
                }, time, directory);
        int code = VerifyCommand.run(args.toArray(String[]::new), env);
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The table's line of a check. */
    private static String line(String out, Check check) {
        return out.lines().filter(l -> l.startsWith(check.label() + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no line for " + check.label() + " in\n" + out));
    }

    private static String result(String out, Check check) {
        return line(out, check).substring(VerifyReport.NAME_WIDTH, VerifyReport.NAME_WIDTH + VerifyReport.RESULT_WIDTH).trim();
    }

    @Test
    void everyServedCheckPasses_limitProbesIncluded() throws Exception {
        try (LocalGatewayFixture gateway = LocalGatewayFixture.start(directory, STACK, 0, time)) {
            Map<String, String> keys = gateway.apiKeys();
            Output run = verify(List.of("--base-url", gateway.baseUrl(), "--api-key", keys.get("app"),
                    "--client", "app", "--config", gateway.stackFile().toString(),
                    "--probe-limits", "--probe-client", "prober", "--probe-api-key", keys.get("prober"), "--i-know"));

            List<String> notPassing = new ArrayList<>();
            for (Check check : Check.values()) {
                if (!result(run.out(), check).equals("PASS")) {
                    notPassing.add(line(run.out(), check));
                }
            }
            assertThat(notPassing).as(run.out()).isEmpty();
            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(line(run.out(), Check.EMBEDDINGS)).contains("echo-embed: 1024 dimensions (base64)");
            assertThat(line(run.out(), Check.LIMITS_THROTTLE)).contains("accepted 5 of 12 in 0.00 s;",
                    "plan 'probe' (/v1/models/GET: 1/s, burst 5) allows 5 + 1/s x 0.00 s = 5.0 (ratio 1.00); 7 x 429"
                            + " with Retry-After 1");
            // 14 hours to the next UTC day, less the 16 s the probe waited on the fake clock.
            assertThat(line(run.out(), Check.LIMITS_QUOTA)).contains("insufficient_quota after 15 more accepted"
                    + " (20 per day), Retry-After 50384, x-should-retry false");
            assertThat(line(run.out(), Check.HEADER_RATE_LIMIT)).contains("x-ratelimit-limit-requests 60 on"
                    + " GET /v1/models, GET /v1/models/echo-chat, POST /v1/chat/completions, POST /v1/responses,"
                    + " POST /v1/embeddings"
                    + " (as the plan says)");
            assertThat(line(run.out(), Check.HEADER_REQUEST_ID)).contains("with x-amzn-RequestId only");
            assertThat(run.out()).contains("  Client     app, key " + VerifyReport.mask(keys.get("app")) + " (--api-key)",
                    "  Probe      prober, key " + VerifyReport.mask(keys.get("prober")) + "; plan 'probe'",
                    "  Model      echo-chat (the first chat model listed; --model NAME to choose)")
                    .doesNotContain(keys.get("app"), keys.get("prober"));
            // The quota probe waited out each throttle on the fake clock: before each of the 15 accepted
            // requests and before the refused one.
            assertThat(time.sleeps).hasSize(16).containsOnly(Duration.ofSeconds(1));
        }
    }

    @Test
    void backendThatAlwaysFails_failsTheModelChecksWithTheGatewaysOwn503() throws Exception {
        try (LocalGatewayFixture gateway = LocalGatewayFixture.start(directory, STACK, 1.0, time)) {
            Output run = verify(List.of("--base-url", gateway.baseUrl(), "--api-key", gateway.apiKeys().get("app"),
                    "--retries", "1"));

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(line(run.out(), Check.CHAT)).contains("FAIL", "503 service_unavailable");
            assertThat(line(run.out(), Check.CHAT_STREAM)).contains("FAIL", "503 service_unavailable");
            assertThat(run.out()).contains("got       503 service_unavailable: 'The model is temporarily unavailable."
                    + " Please retry after the number of seconds i...'");
            assertThat(line(run.out(), Check.MODELS_LIST)).contains("PASS");
            assertThat(line(run.out(), Check.HEADER_RETRY_AFTER)).contains("PASS", "503 Retry-After 5");
            assertThat(run.out()).contains("FAIL: ", " requests were retried after a 429 or 503.");
            assertThat(time.sleeps).isNotEmpty().containsOnly(Duration.ofSeconds(5));
        }
    }
}
