package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.config.StackConfig;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Token limits through the official OpenAI Java SDK against a running local gateway, on the gateway's
 * fake clock (which starts at 10:00:00 UTC): the SDK reads the remaining-token headers, and gets both
 * kinds of 429, the per-minute one it may retry and the budget one a default client gives up on at
 * once.
 *
 * <p>Each call asks for 100 tokens of a "Hello, gateway" prompt: 10 tokens estimated, so 110 reserved;
 * the echo model reports 4 + 12 = 16 used.
 */
class TokenBudgetsEndToEndTest {

    TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        StackConfig config = TestConfigs.config(Map.of(
                "perminute", Map.of("throttle", throttle(1000, 1000), "tokens", Map.of("perMinute", 200)),
                "budget", Map.of("throttle", throttle(1000, 1000),
                        "tokens", Map.of("budget", Map.of("limit", 150, "period", "DAY")))), Map.of());
        gw = TestGateway.start(config);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    static ChatCompletionCreateParams hello() {
        return ChatCompletionCreateParams.builder().model("echo").addUserMessage("Hello, gateway").maxCompletionTokens(100).build();
    }

    OpenAIClient client(String name, int maxRetries) {
        return OpenAIOkHttpClient.builder().baseUrl(gw.gateway.baseUrl().toString()).apiKey(gw.key(name))
                .maxRetries(maxRetries).build();
    }

    @Test
    void aSuccessfulAnswer_carriesTheKeysRemainingTokens() {
        gw.clock.advance(Duration.ofMillis(15_500));
        HttpResponseFor<ChatCompletion> response = client("perminute-client", 0).chat().completions().withRawResponse()
                .create(hello());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().values("x-ratelimit-limit-tokens")).containsExactly("200");
        assertThat(response.headers().values("x-ratelimit-remaining-tokens")).containsExactly("184");
        assertThat(response.headers().values("x-ratelimit-reset-tokens")).containsExactly("44.5s");
        assertThat(response.parse().usage().orElseThrow().totalTokens()).isEqualTo(16);
    }

    @Test
    void thePerMinuteLimit_isA429OfTypeTokens_withRetryAfterTheNextMinute_andTheNextMinuteServesAgain() {
        OpenAIClient client = client("perminute-client", 0);
        for (int i = 0; i < 6; i++) {
            client.chat().completions().create(hello()); // 16 used each; the 7th would hold 96 + 110 > 200
        }
        gw.clock.advance(Duration.ofSeconds(20));

        RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> client.chat().completions().create(hello()));

        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.type()).hasValue("tokens");
        assertThat(e.code()).hasValue("rate_limit_exceeded");
        assertThat(e.headers().values("Retry-After")).containsExactly("40");
        assertThat(e.headers().values("x-ratelimit-remaining-tokens")).containsExactly("104");
        gw.clock.advance(Duration.ofSeconds(40));
        assertThat(client.chat().completions().create(hello()).choices()).hasSize(1);
    }

    @Test
    void anExhaustedBudget_isInsufficientQuota_andADefaultClientFailsAtOnce_untilMidnight() throws Exception {
        OpenAIClient client = client("budget-client", 2);
        int served = 0;
        RateLimitException e = null;
        while (e == null && served < 20) {
            try {
                client.chat().completions().create(hello());
                served++;
            } catch (RateLimitException refused) {
                e = refused;
            }
        }

        // 150 tokens: 110 reserved then 16 charged each, the later calls clamped to what is left, until
        // the input estimate plus a minimal answer (10 + 16) no longer fits: 8 answers, 128 tokens.
        assertThat(served).isEqualTo(8);
        assertThat(e).isNotNull();
        assertThat(e.type()).hasValue("insufficient_quota");
        assertThat(e.code()).hasValue("insufficient_quota");
        assertThat(e.headers().values("Retry-After")).containsExactly(Long.toString(14 * 3600));
        assertThat(e.headers().values("x-should-retry")).containsExactly("false");
        assertThat(gw.accessLines(served + 1)).hasSize(served + 1);
        assertThat(gw.accessLog).as("the default client did not retry").hasSize(served + 1);

        gw.clock.advance(Duration.ofHours(14));
        assertThat(client.chat().completions().create(hello()).choices()).hasSize(1);
    }
}
