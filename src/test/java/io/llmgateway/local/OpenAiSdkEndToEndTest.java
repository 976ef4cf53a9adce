package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.quota;
import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.config.StackFile;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK, configured with nothing but {@code baseUrl} and {@code apiKey},
 * against the running local gateway: the same authorizer, backend handler and gateway responses
 * the stack deploys.
 */
class OpenAiSdkEndToEndTest {

    static LocalGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        GatewayConfig config = TestConfigs.config(Map.of(
                "standard", Map.of("throttle", throttle(1000, 1000)),
                "tiny", Map.of("throttle", throttle(0.5, 1)),
                "tiny-retry", Map.of("throttle", throttle(0.5, 1)),
                "metered", Map.of("throttle", throttle(1000, 1000), "quota", quota(2, "MONTH", 0))), Map.of());
        gateway = LocalGateway.start(config, new EchoModel(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                LocalClock.SYSTEM, new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** A client as a user configures it: nothing but the base URL and the key. */
    static OpenAIClient defaultClient(String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl().toString()).apiKey(apiKey).build();
    }

    /** With retries off, so a test sees the first answer. */
    static OpenAIClient client(String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl(gateway.baseUrl().toString()).apiKey(apiKey).maxRetries(0).build();
    }

    static ChatCompletionCreateParams hello() {
        return ChatCompletionCreateParams.builder().model("echo").addUserMessage("Hello, gateway").build();
    }

    @Test
    void chatCompletion_answers() {
        ChatCompletion completion = defaultClient(gateway.apiKeys().get("standard-client")).chat().completions().create(hello());

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
        try (StreamResponse<ChatCompletionChunk> stream =
                     client(gateway.apiKeys().get("standard-client")).chat().completions().createStreaming(params)) {
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
        List<Model> models = client(gateway.apiKeys().get("standard-client")).models().list().data();

        assertThat(models).extracting(Model::id).containsExactly("echo");
        assertThat(models.get(0).ownedBy()).isEqualTo("amazon");
    }

    @Test
    void badKey_raisesUnauthorizedException() {
        UnauthorizedException e = catchThrowableOfType(UnauthorizedException.class,
                () -> client("wrong-key-wrong-key-wrong-key").chat().completions().create(hello()));

        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.code()).hasValue("invalid_api_key");
    }

    @Test
    void rateLimitedKey_raisesRateLimitExceptionWithRetryAfter() {
        OpenAIClient tiny = client(gateway.apiKeys().get("tiny-client"));
        tiny.chat().completions().create(hello());

        RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> tiny.chat().completions().create(hello()));

        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.code()).hasValue("rate_limit_exceeded");
        assertThat(e.headers().values("Retry-After")).containsExactly("2");
    }

    @Test
    void rateLimitedClientWithDefaultRetries_waitsRetryAfterAndSucceeds() {
        OpenAIClient tiny = defaultClient(gateway.apiKeys().get("tiny-retry-client"));
        tiny.chat().completions().create(hello());
        long started = System.nanoTime();

        // The bucket (0.5 per second, burst 1) is empty: the gateway answers 429 with Retry-After: 2,
        // and the SDK's own retry waits that long and tries again.
        ChatCompletion completion = tiny.chat().completions().create(hello());

        assertThat(completion.choices()).hasSize(1);
        assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(1_500);
    }

    @Test
    void exhaustedQuota_raisesRateLimitExceptionWithInsufficientQuota() {
        OpenAIClient metered = client(gateway.apiKeys().get("metered-client"));
        metered.models().list();
        metered.models().list();

        RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> metered.chat().completions().create(hello()));

        assertThat(e.code()).hasValue("insufficient_quota");
        assertThat(e.type()).hasValue("insufficient_quota");
        assertThat(Long.parseLong(e.headers().values("Retry-After").get(0))).isPositive().isLessThanOrEqualTo(31L * 24 * 3600);
    }

    @Test
    void theRepositorysDevStack_servesAChatCompletion() throws Exception {
        GatewayConfig dev = StackFile.read(Path.of("Pulumi.dev.yaml")).load().config();
        try (LocalGateway devGateway = LocalGateway.start(dev, new EchoModel(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), LocalClock.SYSTEM,
                new PrintStream(OutputStream.nullOutputStream()))) {
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(devGateway.baseUrl().toString())
                    .apiKey(devGateway.apiKeys().get("demo")).maxRetries(0).build();
            ChatCompletion completion = client.chat().completions().create(
                    ChatCompletionCreateParams.builder().model("nova-micro").addUserMessage("ping").build());

            assertThat(completion.choices().get(0).message().content()).hasValue("Echo from amazon.nova-micro-v1:0: ping");
        }
    }
}
