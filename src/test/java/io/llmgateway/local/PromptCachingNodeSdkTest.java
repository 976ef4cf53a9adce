package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.common.OwnThread;
import io.llmgateway.config.StackConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prompt caching as a client sees it: the official OpenAI Node SDK (pinned in {@code src/test/openai-node})
 * sends the same long system prompt, marked with {@code cache_control}, twice to the local gateway, whose
 * echo model emulates Bedrock's cache; then once more streamed with {@code include_usage}.
 */
class PromptCachingNodeSdkTest {

    static final Path PACKAGE = StreamingAcceptanceTest.PACKAGE;

    TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        StackConfig config = TestConfigs.config(Map.of("standard", Map.of("throttle", throttle(1000, 1000))), Map.of());
        gw = TestGateway.start(config);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theSameMarkedSystemPromptTwice_isCachedTheSecondTime() throws Exception {
        StreamingAcceptanceTest.install();
        ProcessBuilder node = new ProcessBuilder(List.of("node", PACKAGE.resolve("prompt-caching.mjs").toString()))
                .redirectErrorStream(true);
        node.environment().put("GATEWAY_URL", "http://127.0.0.1:" + gw.port() + "/test/v1");
        node.environment().put("GATEWAY_KEY", gw.key("standard-client"));
        node.environment().put("MODEL", "echo");
        Process process = node.start();
        CompletableFuture<String> output = OwnThread.readAll("node-output", process.getInputStream());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        assertThat(process.exitValue()).as(output.join()).isZero();
        String last = output.join().strip().lines().reduce((a, b) -> b).orElseThrow();
        Map<String, Object> usages = Json.readObject(last);
        Map<String, Object> first = (Map<String, Object>) usages.get("first");
        Map<String, Object> second = (Map<String, Object>) usages.get("second");
        Map<String, Object> streamed = (Map<String, Object>) usages.get("streamed");

        assertThat(cached(first)).isZero();
        assertThat(written(first)).isPositive();
        assertThat(cached(second)).isPositive().isEqualTo(written(first));
        assertThat(written(second)).isZero();
        for (Map<String, Object> usage : List.of(first, second, streamed)) {
            assertThat(number(usage, "prompt_tokens")).isGreaterThanOrEqualTo(cached(usage) + written(usage));
            assertThat(number(usage, "total_tokens"))
                    .isEqualTo(number(usage, "prompt_tokens") + number(usage, "completion_tokens"));
        }
        assertThat(number(second, "prompt_tokens")).isEqualTo(number(first, "prompt_tokens"));
        assertThat(streamed).isEqualTo(second);
    }

    private static long cached(Map<String, Object> usage) {
        return number(details(usage), "cached_tokens");
    }

    private static long written(Map<String, Object> usage) {
        return number(details(usage), "cache_write_tokens");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> details(Map<String, Object> usage) {
        return (Map<String, Object>) usage.get("prompt_tokens_details");
    }

    private static long number(Map<String, Object> map, String key) {
        return ((Number) map.get(key)).longValue();
    }
}
