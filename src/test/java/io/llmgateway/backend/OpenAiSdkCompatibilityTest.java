package io.llmgateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * The official OpenAI Java SDK, in plain and streaming mode, against the handler behind a loopback HTTP
 * front that turns each request into a REST proxy event, as API Gateway does.
 */
class OpenAiSdkCompatibilityTest {

    private static final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private static HttpServer front;
    private static OpenAIClient openAi;

    @BeforeAll
    static void start() throws IOException {
        FakeBedrock bedrock = new FakeBedrock(request -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            return FakeBedrock.response("Hello there, friend.", StopReason.END_TURN, 12, 5);
        });
        BackendHandler handler = new BackendHandler(bedrock, TestSettings.settings(), TestEvents.clock(),
                line -> { });
        front = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        front.createContext("/", exchange -> serve(handler, exchange));
        front.start();
        openAi = OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + front.getAddress().getPort() + "/v1")
                .apiKey("sk-test")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    @AfterAll
    static void stop() {
        openAi.close();
        front.stop(0);
    }

    @BeforeEach
    void reset() {
        failure.set(null);
    }

    private static void serve(BackendHandler handler, HttpExchange exchange) throws IOException {
        byte[] event = ProxyEvent.forRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath())
                .header("Content-Type", "application/json")
                .body(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                .requestId(UUID.randomUUID().toString())
                .requestTimeEpoch(TestEvents.REQUEST_TIME_EPOCH)
                .apiKey("key-id", null)
                .toJson();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, TestContext.fresh());
        ProxyResponse response = ProxyResponse.read(out.toByteArray());
        byte[] body = response.body();
        response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
        exchange.sendResponseHeaders(response.statusCode(), body.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(body);
        }
    }

    private static ChatCompletionCreateParams.Builder params(String model) {
        return ChatCompletionCreateParams.builder().model(model).addSystemMessage("Be brief.").addUserMessage("Hi!")
                .maxCompletionTokens(50).temperature(0.3);
    }

    @Test
    void sdk_chatCompletion_readsMessageFinishReasonAndUsage() {
        ChatCompletion completion = openAi.chat().completions().create(params("claude-haiku").build());

        assertThat(completion.id()).startsWith("chatcmpl-");
        assertThat(completion.model()).isEqualTo("claude-haiku");
        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).contains("Hello there, friend.");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(completion.usage().orElseThrow().totalTokens()).isEqualTo(17);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(12);
    }

    @Test
    void sdk_streamingWithUsage_yieldsTheTextAndAFinalUsageChunk() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(
                params("nova-pro").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                        .build())) {
            stream.stream().forEach(chunks::add);
        }

        String text = chunks.stream().flatMap(c -> c.choices().stream())
                .map(choice -> choice.delta().content().orElse("")).collect(Collectors.joining());
        assertThat(text).isEqualTo("Hello there, friend.");
        assertThat(chunks.stream().flatMap(c -> c.choices().stream()).map(c -> c.finishReason())
                .filter(java.util.Optional::isPresent).map(java.util.Optional::get).toList())
                .containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(chunks.get(chunks.size() - 1).usage().orElseThrow().completionTokens()).isEqualTo(5);
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.model()).isEqualTo("nova-pro"));
    }

    @Test
    void sdk_listModels_returnsTheConfiguredAliases() {
        List<Model> models = openAi.models().list().data();

        Map<String, String> owners = new LinkedHashMap<>();
        models.forEach(m -> owners.put(m.id(), m.ownedBy()));
        assertThat(owners).containsExactly(Map.entry("claude-haiku", "anthropic"), Map.entry("nova-pro", "amazon"),
                Map.entry("titan-embed", "amazon"), Map.entry("cohere-embed", "cohere"));
    }

    @Test
    void sdk_unknownModel_raisesNotFoundWithOpenAisErrorFields() {
        assertThatThrownBy(() -> openAi.chat().completions().create(params("gpt-4o").build()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.code()).contains("model_not_found");
                    assertThat(e.param()).contains("model");
                    assertThat(e.type()).contains("invalid_request_error");
                });
    }

    @Test
    void sdk_bedrockThrottled_raisesRateLimitWithRetryAfter() {
        failure.set(ThrottlingException.builder().statusCode(429)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build());

        assertThatThrownBy(() -> openAi.chat().completions().create(params("claude-haiku").build()))
                .isInstanceOfSatisfying(RateLimitException.class, e -> {
                    assertThat(e.code()).contains("rate_limit_exceeded");
                    assertThat(e.headers().values("Retry-After")).containsExactly("5");
                });
    }

    @Test
    void sdk_unsupportedParameter_raisesBadRequestNamingIt() {
        assertThatThrownBy(() -> openAi.chat().completions().create(params("claude-haiku").n(3).build()))
                .isInstanceOfSatisfying(OpenAIServiceException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.code()).contains("unsupported_parameter");
                    assertThat(e.param()).contains("n");
                });
    }
}
