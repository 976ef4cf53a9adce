package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import io.llmgateway.backend.metering.CounterStore;
import io.llmgateway.backend.metering.InMemoryCounterStore;
import io.llmgateway.common.Json;
import io.llmgateway.config.StackConfig;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A USD budget with prompt caching, through the local gateway and its echo model: the same call costs
 * less once its prefix is read from the cache, and each kind of token is charged exactly at its
 * configured price (the counter's {@code used} is in nano-dollars).
 */
class PromptCachingBudgetEndToEndTest {

    /** Per million: input $0.035, output $0.14, cache read $0.00875, cache write $0.04375. */
    private static final long INPUT = 35;
    private static final long OUTPUT = 140;
    private static final long READ_THOUSANDTHS = 8_750;
    private static final long WRITE_THOUSANDTHS = 43_750;

    TestGateway gw;
    final AtomicReference<InMemoryCounterStore> store = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        StackConfig config = TestConfigs.config(Map.of("priced", Map.of("throttle", throttle(1000, 1000),
                        "tokens", Map.of("budget", Map.of("limit", 10, "period", "DAY", "unit", "usd")))),
                Map.of("modelPrices", Map.of("echo", Map.of("inputPerMillion", new BigDecimal("0.035"),
                        "outputPerMillion", new BigDecimal("0.14"), "cacheReadPerMillion", new BigDecimal("0.00875"),
                        "cacheWritePerMillion", new BigDecimal("0.04375")))));
        gw = TestGateway.start(config, new EchoModel(), items -> {
            InMemoryCounterStore created = new InMemoryCounterStore(items);
            store.set(created);
            return created;
        });
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private long used() {
        return store.get().snapshot().values().stream().mapToLong(CounterStore.Counts::used).sum();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> call() throws Exception {
        String body = Json.write(Map.of("model", "echo", "max_tokens", 50, "messages", List.of(
                Map.of("role", "system", "content", List.of(Map.of("type", "text",
                        "text", "Policy: answer briefly. ".repeat(600), "cache_control", Map.of("type", "ephemeral")))),
                Map.of("role", "user", "content", "Hello"))));
        HttpResponse<String> response = gw.send("POST", "/test/v1/chat/completions", body,
                "Authorization", "Bearer " + gw.key("priced-client"), "Content-Type", "application/json");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (Map<String, Object>) Json.readObject(response.body()).get("usage");
    }

    /** The configured prices applied to a reported usage, in nano-dollars. */
    @SuppressWarnings("unchecked")
    private static long cost(Map<String, Object> usage) {
        Map<String, Object> details = (Map<String, Object>) usage.get("prompt_tokens_details");
        long read = ((Number) details.get("cached_tokens")).longValue();
        long written = ((Number) details.get("cache_write_tokens")).longValue();
        long input = ((Number) usage.get("prompt_tokens")).longValue() - read - written;
        long output = ((Number) usage.get("completion_tokens")).longValue();
        return input * INPUT + output * OUTPUT + (read * READ_THOUSANDTHS + written * WRITE_THOUSANDTHS + 999) / 1000;
    }

    /** The official OpenAI Java SDK sends the marker as an extra property and reads both details back. */
    @Test
    void theOpenAiJavaSdk_readsCachedAndCacheWriteTokens() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gw.gateway.baseUrl().toString())
                .apiKey(gw.key("priced-client")).maxRetries(0).build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("echo").maxCompletionTokens(50)
                .addSystemMessageOfArrayOfContentParts(List.of(ChatCompletionContentPartText.builder()
                        .text("Policy: answer briefly. ".repeat(600))
                        .putAdditionalProperty("cache_control", JsonValue.from(Map.of("type", "ephemeral"))).build()))
                .addUserMessage("Hello").build();

        CompletionUsage first = client.chat().completions().create(params).usage().orElseThrow();
        CompletionUsage second = client.chat().completions().create(params).usage().orElseThrow();

        assertThat(first.promptTokensDetails().orElseThrow().cachedTokens()).contains(0L);
        assertThat(first.promptTokensDetails().orElseThrow().cacheWriteTokens()).hasValueSatisfying(
                written -> assertThat(written).isPositive());
        assertThat(second.promptTokensDetails().orElseThrow().cachedTokens())
                .isEqualTo(first.promptTokensDetails().orElseThrow().cacheWriteTokens());
        assertThat(second.promptTokensDetails().orElseThrow().cacheWriteTokens()).contains(0L);
        assertThat(second.totalTokens()).isEqualTo(second.promptTokens() + second.completionTokens());
    }

    @Test
    void theSameCall_costsLessOnceItsPrefixIsCached_exactlyByTheConfiguredPrices() throws Exception {
        Map<String, Object> first = call();
        long afterFirst = used();
        gw.clock.advance(Duration.ofSeconds(40)); // past the first reservation's deadline
        Map<String, Object> second = call();
        long secondCost = used() - afterFirst;

        assertThat(((Map<?, ?>) first.get("prompt_tokens_details")).get("cache_write_tokens")).isNotEqualTo(0);
        assertThat(((Map<?, ?>) second.get("prompt_tokens_details")).get("cached_tokens")).isNotEqualTo(0);
        assertThat(afterFirst).isEqualTo(cost(first));
        assertThat(secondCost).isEqualTo(cost(second)).isLessThan(afterFirst);
        // Without caching the same input would have cost input price throughout.
        long uncached = ((Number) second.get("prompt_tokens")).longValue() * INPUT
                + ((Number) second.get("completion_tokens")).longValue() * OUTPUT;
        assertThat(secondCost).isLessThan(uncached);
    }
}
