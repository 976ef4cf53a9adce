package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.chat.completions.StructuredChatCompletion;
import com.openai.models.chat.completions.StructuredChatCompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import io.llmgateway.backend.Images;
import io.llmgateway.common.Json;
import io.llmgateway.config.StackConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Agent-style clients against the local gateway and its echo model: the official OpenAI Java SDK's tool
 * round trip, its stream accumulator on streamed tool calls, its structured outputs parsed into a class,
 * an image, embeddings and models.retrieve; and LangChain4j's OpenAI module running an AI service that
 * uses a tool. Nothing is configured on the clients but the base URL and the key.
 */
class AgentClientsEndToEndTest {

    static final String ECHO_ID = "amazon.nova-micro-v1:0";

    TestGateway gw;
    OpenAIClient openAi;

    @BeforeEach
    void start() throws Exception {
        Map<String, Object> models = new LinkedHashMap<>();
        models.put("echo", ECHO_ID);
        models.put("titan", "amazon.titan-embed-text-v2:0");
        StackConfig config = TestConfigs.config(Map.of("standard", Map.of("throttle", throttle(1000, 1000))),
                Map.of("models", models));
        gw = TestGateway.start(config);
        openAi = OpenAIOkHttpClient.builder().baseUrl(gw.gateway.baseUrl().toString()).apiKey(gw.key("standard-client"))
                .maxRetries(0).timeout(TestGateway.HANG).build();
    }

    @AfterEach
    void stop() {
        openAi.close();
        gw.close();
    }

    static ChatCompletionFunctionTool weather() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name("get_weather")
                .description("The current weather in a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build()).build();
    }

    static ChatCompletionFunctionTool time() {
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_time").build()).build();
    }

    private static final String ASK = "What's the weather in Paris? get_weather {\"city\": \"Paris\"}";

    @Test
    void modelsRetrieve_returnsOneModel_andAnUnknownOneIsNotFound() {
        Model model = openAi.models().retrieve("echo");
        assertThat(model.id()).isEqualTo("echo");
        assertThat(model.ownedBy()).isEqualTo("amazon");

        NotFoundException e = catchThrowableOfType(NotFoundException.class, () -> openAi.models().retrieve("gpt-4o"));
        assertThat(e.code()).hasValue("model_not_found");
    }

    @Test
    void toolRoundTrip_theModelCallsTheTool_theClientSendsTheResult_theModelAnswers() throws Exception {
        ChatCompletionCreateParams first = ChatCompletionCreateParams.builder().model("echo")
                .addUserMessage(ASK).addTool(weather()).addTool(time()).build();

        ChatCompletion called = openAi.chat().completions().create(first);

        ChatCompletion.Choice choice = called.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
        assertThat(calls).hasSize(1);
        ChatCompletionMessageFunctionToolCall call = calls.get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(Json.readObject(call.function().arguments())).isEqualTo(Map.of("city", "Paris"));

        ChatCompletion answered = openAi.chat().completions().create(first.toBuilder()
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("18°C and sunny").build())
                .build());

        assertThat(answered.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(answered.choices().get(0).message().content())
                .hasValue("Echo from " + ECHO_ID + ": get_weather returned: 18°C and sunny");
        assertThat(answered.choices().get(0).message().toolCalls().orElse(List.of())).isEmpty();
    }

    @Test
    void parallelToolCalls_oneForEachToolTheMessageNames_andOneWithParallelToolCallsFalse() {
        ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder().model("echo")
                .addUserMessage("Use get_time and get_weather {\"city\": \"Rome\"}").addTool(weather()).addTool(time());

        List<ChatCompletionMessageToolCall> both = openAi.chat().completions().create(params.build())
                .choices().get(0).message().toolCalls().orElseThrow();
        List<ChatCompletionMessageToolCall> one = openAi.chat().completions().create(params.parallelToolCalls(false).build())
                .choices().get(0).message().toolCalls().orElseThrow();

        assertThat(both).extracting(c -> c.asFunction().function().name()).containsExactly("get_time", "get_weather");
        assertThat(one).extracting(c -> c.asFunction().function().name()).containsExactly("get_time");
    }

    @Test
    void streamedToolCalls_areRebuiltByTheSdksAccumulator() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("echo")
                .addUserMessage("Use get_time and get_weather {\"city\": \"Rome\", \"days\": 3, \"detail\": \"hourly\"}")
                .addTool(weather()).addTool(time()).build();
        ChatCompletion plain = openAi.chat().completions().create(params);

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunks.add(chunk);
                accumulator.accumulate(chunk);
            });
        }
        ChatCompletion rebuilt = accumulator.chatCompletion();

        assertThat(chunks.size()).isGreaterThan(5);
        ChatCompletionMessage message = rebuilt.choices().get(0).message();
        assertThat(message.toolCalls().orElseThrow()).extracting(c -> c.asFunction().id(),
                        c -> c.asFunction().function().name(), c -> c.asFunction().function().arguments())
                .containsExactlyElementsOf(plain.choices().get(0).message().toolCalls().orElseThrow().stream()
                        .map(c -> org.assertj.core.groups.Tuple.tuple(c.asFunction().id(), c.asFunction().function().name(),
                                c.asFunction().function().arguments())).toList());
        assertThat(rebuilt.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    }

    /** What the SDK's structured outputs derive a strict JSON schema from. */
    public static class Forecast {
        public String city;
        public int celsius;
        public boolean sunny;
        public List<String> warnings;
    }

    @Test
    void jsonSchemaOutput_isParsedIntoAClassByTheSdk() {
        StructuredChatCompletionCreateParams<Forecast> params = ChatCompletionCreateParams.builder().model("echo")
                .addUserMessage("Paris").responseFormat(Forecast.class).build();

        StructuredChatCompletion<Forecast> completion = openAi.chat().completions().create(params);

        Forecast forecast = completion.choices().get(0).message().content().orElseThrow();
        assertThat(forecast.city).isEqualTo("Paris");
        assertThat(forecast.celsius).isZero();
        assertThat(forecast.warnings).containsExactly("Paris");
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    @Test
    void anImageMessage_isDescribedByItsFormatAndSize() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("echo")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is this?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url(Images.dataUrl("image/png", Images.PNG)).build()).build())))
                .build();

        assertThat(openAi.chat().completions().create(params).choices().get(0).message().content())
                .hasValue("Echo from " + ECHO_ID + ": What is this? [png image, 1x1 pixels, " + Images.PNG.length + " bytes]");

        BadRequestException remote = catchThrowableOfType(BadRequestException.class, () -> openAi.chat().completions()
                .create(params.toBuilder().messages(List.of()).addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url("https://example.com/cat.png").build()).build()))).build()));
        assertThat(remote.code()).hasValue("unsupported_parameter");
    }

    @Test
    void embeddings_areDeterministicUnitVectors_withTheModelsTokenCount() {
        CreateEmbeddingResponse first = openAi.embeddings().create(EmbeddingCreateParams.builder().model("titan")
                .inputOfArrayOfStrings(List.of("hello", "world")).build());
        CreateEmbeddingResponse again = openAi.embeddings().create(EmbeddingCreateParams.builder().model("titan")
                .input("hello").dimensions(256).build());

        assertThat(first.data()).hasSize(2);
        List<Float> hello = first.data().get(0).embedding();
        assertThat(hello).hasSize(1024);
        assertThat(hello.stream().mapToDouble(f -> f * f).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(first.data().get(1).embedding()).isNotEqualTo(hello);
        assertThat(first.usage().promptTokens()).isEqualTo(EchoModel.tokens("hello") + EchoModel.tokens("world"));
        assertThat(again.data().get(0).embedding()).hasSize(256);
        CreateEmbeddingResponse same = openAi.embeddings().create(EmbeddingCreateParams.builder().model("titan")
                .input("hello").build());
        assertThat(same.data().get(0).embedding()).isEqualTo(hello);
    }

    // ---- LangChain4j

    /** The tool the AI service may call. */
    static final class Calculator {
        final List<String> calls = new ArrayList<>();

        @Tool("Adds two numbers")
        int add(@P(name = "a", value = "the first number") int a, @P(name = "b", value = "the second number") int b) {
            calls.add(a + "+" + b);
            return a + b;
        }
    }

    interface Assistant {
        String chat(String message);
    }

    @Test
    void langChain4jAiService_callsTheToolAndAnswersWithItsResult() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(gw.gateway.baseUrl().toString())
                .apiKey(gw.key("standard-client")).modelName("echo").maxRetries(0).timeout(TestGateway.HANG).build();
        Calculator calculator = new Calculator();
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).tools(calculator).build();

        String answer = assistant.chat("What is 2 plus 3? add {\"a\": 2, \"b\": 3}");

        assertThat(calculator.calls).containsExactly("2+3");
        assertThat(answer).isEqualTo("Echo from " + ECHO_ID + ": add returned: 5");
    }
}
