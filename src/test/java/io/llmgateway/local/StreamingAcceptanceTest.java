package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.metering.InMemoryCounterStore;
import io.llmgateway.common.Json;
import io.llmgateway.testing.NpmPackage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 19's acceptance: the local gateway with streaming on and the echo model at
 * {@code --token-delay-ms 50}, 40 output tokens, the official OpenAI Node SDK (pinned in
 * src/test/openai-node): the first content arrives within two token delays and 150 ms, content keeps
 * arriving while it is generated, and the total reflects the generation. The chunks go through the
 * backend's own runtime client and a Runtime API emulator, as on Lambda.
 *
 * <p>Bounds are in token delays, measured by the client on arrival. The lower bounds are certain (the
 * model sleeps between tokens); the upper bound on the first content is the issue's, after one
 * warm-up stream so that class loading is not what is measured.
 */
class StreamingAcceptanceTest {

    static final Path PACKAGE = Path.of("src", "test", "openai-node");
    static final long DELAY_MS = 50;
    static final int TOKENS = 40;
    /** The echo model answers "Echo from <model id>: <prompt>"; four characters a token. */
    static final String MODEL_ID = "amazon.nova-micro-v1:0";

    private static LocalGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        install();
        gateway = LocalGateway.builder(TestConfigs.config(Map.of("p", Map.of("throttle", TestConfigs.throttle(100, 100))),
                        Map.of("streaming", Map.of("enabled", true))))
                .model(new EchoModel(Duration.ZERO, 0, 0, Duration.ofMillis(DELAY_MS)))
                .tokenStore(InMemoryCounterStore::new)
                .start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    /** A prompt whose echo is exactly {@code tokens} tokens. */
    static String prompt(int tokens) {
        String prefix = "Echo from " + MODEL_ID + ": ";
        return "x".repeat(tokens * 4 - prefix.length());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theOfficialNodeSdk_seesTheFirstTokenAtOnce_andTheRestAsItIsGenerated() throws Exception {
        stream(prompt(12)); // warm-up: the first stream loads the classes of the whole path
        double bestFirst = Double.MAX_VALUE;
        // On a machine shared by several builds a run can be descheduled; the bound on the first content
        // holds for the best of up to three runs (a buffered stream fails all three by seconds), every
        // other bound for every run.
        for (int attempt = 0; attempt < 3 && bestFirst > 2 * DELAY_MS + 150; attempt++) {
            Map<String, Object> run = stream(prompt(TOKENS));
            List<Number> arrivals = (List<Number>) run.get("arrivals");
            double total = ((Number) run.get("totalMs")).doubleValue();
            assertThat(run.get("content")).isEqualTo("Echo from " + MODEL_ID + ": " + prompt(TOKENS));
            assertThat(run.get("finish")).isEqualTo("stop");
            assertThat((Map<String, Object>) run.get("usage")).containsEntry("completion_tokens", TOKENS);
            // One content chunk per token, as generated.
            assertThat(arrivals).hasSize(TOKENS);
            double first = arrivals.get(0).doubleValue();
            double last = arrivals.get(TOKENS - 1).doubleValue();
            System.out.printf("streamed %d tokens at %d ms: first content %.1f ms, last %.1f ms, total %.1f ms%n",
                    TOKENS, DELAY_MS, first, last, total);
            // Content keeps arriving while generated: half of it is in before the model is two thirds done.
            assertThat(arrivals.get(TOKENS / 2).doubleValue() - first).as("the middle token's arrival after the first")
                    .isLessThan((TOKENS * DELAY_MS) * 2 / 3.0);
            assertThat(last - first).as("the tokens' spread: the model sleeps between them")
                    .isGreaterThanOrEqualTo((TOKENS - 1) * DELAY_MS * 0.95);
            assertThat(total).as("the total reflects the generation").isGreaterThanOrEqualTo(TOKENS * DELAY_MS * 0.95);
            bestFirst = Math.min(bestFirst, first);
        }
        assertThat(bestFirst).as("first content (ms), at most 2 token delays + 150 ms").isLessThanOrEqualTo(2 * DELAY_MS + 150);
    }

    private static Map<String, Object> stream(String prompt) throws IOException, InterruptedException {
        String key = gateway.apiKeys().get("p-client");
        Process process = new ProcessBuilder("node", "stream.mjs", gateway.baseUrl().toString(), key, "echo", prompt)
                .directory(PACKAGE.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node stream.mjs did not finish");
        }
        String text = new String(output, StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as(text).isZero();
        return Json.readObject(text.lines().reduce((a, b) -> b).orElse("{}"));
    }

    /** npm ci of the pinned SDK when it is missing or older than the lockfile ({@link NpmPackage}). */
    static void install() {
        NpmPackage.ensureInstalled(PACKAGE, PACKAGE.resolve("node_modules/openai/package.json"),
                "install Node.js 20 or later with npm (.ci/run does), or run `npm ci --prefix " + PACKAGE + "` yourself");
    }
}
