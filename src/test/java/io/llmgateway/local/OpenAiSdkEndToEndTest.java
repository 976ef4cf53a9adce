package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.quota;
import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.Sleeper;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import io.llmgateway.config.StackConfig;
import io.llmgateway.config.StackFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK, configured with nothing but {@code baseUrl} and {@code apiKey},
 * against a running local gateway: the same authorizer, backend handler and gateway responses the
 * stack deploys.
 *
 * <p>How the SDK (openai-java 4.101.0, {@code RetryingHttpClient}) retries, read from its code: it
 * retries 408, 409, 429 and 5xx up to {@code maxRetries} (2) times, but reads {@code X-Should-Retry}
 * first: {@code false} means no retry whatever the status. Its wait is {@code Retry-After-Ms} or
 * {@code Retry-After} (seconds or an HTTP date), capped at 8 s, else an exponential backoff. So a
 * QUOTA_EXCEEDED with only {@code Retry-After: 3600} would cost a default client two 8 s waits before
 * it failed; with {@code x-should-retry: false} it fails on the first answer.
 */
class OpenAiSdkEndToEndTest {

    TestGateway gw;

    @BeforeEach
    void start() throws Exception {
        StackConfig config = TestConfigs.config(Map.of(
                "standard", Map.of("throttle", throttle(1000, 1000)),
                "tiny", Map.of("throttle", throttle(0.5, 1)),
                "metered", Map.of("throttle", throttle(1000, 1000), "quota", quota(2, "MONTH", 0))), Map.of());
        gw = TestGateway.start(config);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    /** A client as a user configures it: nothing but the base URL and the key. */
    OpenAIClient defaultClient(String client) {
        return OpenAIOkHttpClient.builder().baseUrl(gw.gateway.baseUrl().toString()).apiKey(gw.key(client)).build();
    }

    /** Default retries, but its waits move the gateway's clock instead of the test's time, and are recorded. */
    OpenAIClient defaultRetriesOnTheGatewaysClock(String client, List<Duration> sleeps) {
        Sleeper sleeper = new Sleeper() {
            @Override
            public void sleep(Duration duration) {
                sleeps.add(duration);
                gw.clock.advance(duration);
            }

            @Override
            public CompletableFuture<Void> sleepAsync(Duration duration) {
                sleep(duration);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
            }
        };
        return OpenAIOkHttpClient.builder().baseUrl(gw.gateway.baseUrl().toString()).apiKey(gw.key(client))
                .sleeper(sleeper).build();
    }

    /** With retries off, so a test sees the first answer. */
    OpenAIClient noRetries(String client) {
        return OpenAIOkHttpClient.builder().baseUrl(gw.gateway.baseUrl().toString()).apiKey(gw.key(client)).maxRetries(0).build();
    }

    static ChatCompletionCreateParams hello() {
        return ChatCompletionCreateParams.builder().model("echo").addUserMessage("Hello, gateway").build();
    }

    @Test
    void chatCompletion_answers() {
        ChatCompletion completion = defaultClient("standard-client").chat().completions().create(hello());

        assertThat(completion.model()).isEqualTo("echo");
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).hasValue("Echo from amazon.nova-micro-v1:0: Hello, gateway");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage()).hasValueSatisfying(u -> {
            assertThat(u.promptTokens()).isEqualTo(EchoModel.tokens("Hello, gateway"));
            assertThat(u.completionTokens()).isEqualTo(EchoModel.tokens("Echo from amazon.nova-micro-v1:0: Hello, gateway"));
            assertThat(u.totalTokens()).isEqualTo(u.promptTokens() + u.completionTokens());
        });
    }

    @Test
    void streamingCompletion_arrivesAsChunksWithUsage() {
        ChatCompletionCreateParams params = hello().toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks;
        try (StreamResponse<ChatCompletionChunk> stream = noRetries("standard-client").chat().completions().createStreaming(params)) {
            chunks = stream.stream().collect(Collectors.toList());
        }
        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());

        assertThat(text).isEqualTo("Echo from amazon.nova-micro-v1:0: Hello, gateway");
        assertThat(chunks).anySatisfy(c -> assertThat(c.choices()).anySatisfy(choice ->
                assertThat(choice.finishReason()).hasValue(ChatCompletionChunk.Choice.FinishReason.STOP)));
        assertThat(chunks.get(chunks.size() - 1).usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isPositive());
    }

    @Test
    void modelsList_showsTheConfiguredAliases() {
        List<Model> models = noRetries("standard-client").models().list().data();

        assertThat(models).extracting(Model::id).containsExactly("echo");
        assertThat(models.get(0).ownedBy()).isEqualTo("amazon");
    }

    @Test
    void badKey_raisesUnauthorizedException() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(gw.gateway.baseUrl().toString())
                .apiKey("wrong-key-wrong-key-wrong-key").maxRetries(0).build();
        UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class, () -> client.chat().completions().create(hello()));

        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.code()).hasValue("invalid_api_key");
    }

    @Test
    void rateLimitedKey_raisesRateLimitExceptionWithRetryAfter() {
        OpenAIClient tiny = noRetries("tiny-client");
        tiny.chat().completions().create(hello());

        RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> tiny.chat().completions().create(hello()));

        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.code()).hasValue("rate_limit_exceeded");
        assertThat(e.headers().values("Retry-After")).containsExactly("2");
        assertThat(e.headers().values("x-should-retry")).isEmpty();
    }

    @Test
    void rateLimitedClientWithDefaultRetries_waitsRetryAfterAndSucceeds() throws Exception {
        List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
        OpenAIClient tiny = defaultRetriesOnTheGatewaysClock("tiny-client", sleeps);
        tiny.chat().completions().create(hello());

        // The bucket (0.5 per second, burst 1) is empty: the gateway answers 429 with Retry-After: 2,
        // the SDK waits those 2 s (on the gateway's clock here) and its retry gets the refilled token.
        ChatCompletion completion = tiny.chat().completions().create(hello());

        assertThat(completion.choices()).hasSize(1);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
        assertThat(gw.accessLines(3)).extracting(line -> line.get("status")).containsExactly(200, 429, 200);
    }

    @Test
    void exhaustedQuota_aDefaultClientFailsOnTheFirstAnswer_withoutRetrying() throws Exception {
        OpenAIClient metered = defaultClient("metered-client");
        metered.models().list();
        metered.models().list();

        // A retry would wait min(Retry-After, 8 s) first; the bound only detects a hang or a retry.
        RateLimitException e = assertTimeoutPreemptively(Duration.ofSeconds(7), () ->
                catchThrowableOfType(RateLimitException.class, () -> metered.chat().completions().create(hello())));

        assertThat(e.code()).hasValue("insufficient_quota");
        assertThat(e.type()).hasValue("insufficient_quota");
        assertThat(e.headers().values("x-should-retry")).containsExactly("false");
        assertThat(Long.parseLong(e.headers().values("Retry-After").get(0))).isPositive().isLessThanOrEqualTo(31L * 24 * 3600);
        assertThat(gw.accessLines(3)).extracting(line -> line.get("status")).containsExactly(200, 200, 429);
        assertThat(gw.accessLog).hasSize(3); // the gateway saw no retry
    }

    @Test
    void exhaustedQuota_theSdkAsksForNoWait() throws Exception {
        List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());
        OpenAIClient metered = defaultRetriesOnTheGatewaysClock("metered-client", sleeps);
        metered.models().list();
        metered.models().list();

        RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> metered.models().list());

        assertThat(e.code()).hasValue("insufficient_quota");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void theRepositorysDevStack_servesAChatCompletion() throws Exception {
        StackConfig dev = StackFile.read(Path.of("Pulumi.dev.yaml")).load().config();
        try (LocalGateway devGateway = LocalGateway.builder(dev).start()) {
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(devGateway.baseUrl().toString())
                    .apiKey(devGateway.apiKeys().get("demo")).maxRetries(0).build();
            ChatCompletion completion = client.chat().completions().create(
                    ChatCompletionCreateParams.builder().model("nova-micro").addUserMessage("ping").build());

            assertThat(completion.choices().get(0).message().content()).hasValue("Echo from amazon.nova-micro-v1:0: ping");
        }
    }
}
