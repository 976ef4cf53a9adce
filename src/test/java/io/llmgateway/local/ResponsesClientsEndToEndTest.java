package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.llmgateway.config.StackConfig;
import io.llmgateway.testing.NodeScript;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/responses} against the local gateway and its echo model, through the clients users run:
 * the official Node SDK ({@code responses.create}, streaming, a function-tool round trip, text.format
 * json_schema, bad input as its error classes) and the OpenAI Agents SDK running an agent with a function
 * tool to its final answer (both pinned in src/test/openai-clients, run with Node.js), and openai-java
 * in-process with its strict response validation. Streaming is on, so a stream is ConverseStream's events
 * as the echo model generates them, through the backend's own runtime client. Nothing is configured on the
 * clients but the base URL and the key.
 */
class ResponsesClientsEndToEndTest {

    static TestGateway gw;
    static OpenAIClient openAi;
    static String baseUrl;
    static String key;

    @BeforeAll
    static void start() throws Exception {
        StackConfig config = TestConfigs.config(Map.of("standard", Map.of("throttle", throttle(1000, 1000))),
                Map.of("models", Map.of("echo", "amazon.nova-micro-v1:0"), "streaming", Map.of("enabled", true)));
        gw = TestGateway.start(config);
        baseUrl = gw.gateway.baseUrl().toString();
        key = gw.key("standard-client");
        openAi = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(key).maxRetries(0).timeout(TestGateway.HANG)
                .responseValidation(true).build();
    }

    @AfterAll
    static void stop() {
        openAi.close();
        gw.close();
    }

    @Test
    void theOfficialNodeSdk_createsStreamsCallsToolsAndGetsSchemaShapedJson_andBadInputAsItsErrorClasses() {
        NodeScript.Result run = NodeScript.openAiClients("sdk-client.mjs", baseUrl, key, "echo");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("17 passed, 0 failed");
    }

    @Test
    void theAgentsSdk_runsAnAgentWithAFunctionToolToItsFinalAnswer_streamedAndNot() {
        NodeScript.Result run = NodeScript.openAiClients("agents-client.mjs", baseUrl, key, "echo");
        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("2 passed, 0 failed");
    }

    static FunctionTool weather() {
        return FunctionTool.builder().name("get_weather").description("Weather for a city").strict(true)
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .putAdditionalProperty("additionalProperties", JsonValue.from(false))
                        .build())
                .build();
    }

    static String text(Response r) {
        return r.output().stream().flatMap(i -> i.message().stream()).flatMap(m -> m.content().stream())
                .flatMap(c -> c.outputText().stream()).map(ResponseOutputText::text).collect(Collectors.joining());
    }

    @Test
    void openAiJava_createValidatesStrictly_withUsageDetails() {
        Response r = openAi.responses().create(ResponseCreateParams.builder().model("echo").input("Say hello").build());
        r.validate();
        assertThat(text(r)).isEqualTo("Echo from amazon.nova-micro-v1:0: Say hello");
        assertThat(r.status()).contains(ResponseStatus.COMPLETED);
        assertThat(r.usage().orElseThrow().inputTokensDetails().cachedTokens()).isZero();
        assertThat(r.usage().orElseThrow().inputTokensDetails().cacheWriteTokens()).isZero();
        assertThat(r.usage().orElseThrow().outputTokensDetails().reasoningTokens()).isZero();
    }

    @Test
    void openAiJava_streamAccumulatesToTheSameResponse_andAFunctionToolRoundTrip() {
        ResponseAccumulator accumulator = ResponseAccumulator.create();
        try (StreamResponse<ResponseStreamEvent> stream = openAi.responses().createStreaming(ResponseCreateParams
                .builder().model("echo").input("Use get_weather {\"city\": \"Rome\"}").addTool(weather()).build())) {
            stream.stream().forEach(accumulator::accumulate);
        }
        Response first = accumulator.response();
        first.validate();
        // Streamed through ConverseStream, not replayed from one Converse answer.
        assertThat(List.copyOf(gw.functionLog)).anySatisfy(line -> assertThat(line)
                .contains("\"route\":\"POST /v1/responses\"", "\"streamEnd\":\"complete\""));
        ResponseFunctionToolCall call = first.output().stream().flatMap(i -> i.functionCall().stream()).findFirst()
                .orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.arguments()).isEqualTo("{\"city\":\"Rome\"}");

        List<ResponseInputItem> items = List.of(
                ResponseInputItem.ofEasyInputMessage(EasyInputMessage.builder().role(EasyInputMessage.Role.USER)
                        .content("Use get_weather {\"city\": \"Rome\"}").build()),
                ResponseInputItem.ofFunctionCall(call),
                ResponseInputItem.ofFunctionCallOutput(ResponseInputItem.FunctionCallOutput.builder()
                        .callId(call.callId()).output("{\"temp_c\":21}").build()));
        Response second = openAi.responses().create(ResponseCreateParams.builder().model("echo")
                .inputOfResponse(items).addTool(weather()).build());
        second.validate();
        assertThat(text(second)).isEqualTo("Echo from amazon.nova-micro-v1:0: get_weather returned: {\"temp_c\":21}");
    }

    public static class Person {
        public String name;
        public long age;
    }

    @Test
    void openAiJava_structuredOutputParsesIntoAClass() {
        Person person = openAi.responses().create(ResponseCreateParams.builder().model("echo").input("Give me a person")
                        .text(Person.class).build())
                .output().stream().flatMap(i -> i.message().stream()).flatMap(m -> m.content().stream())
                .flatMap(c -> c.outputText().stream()).findFirst().orElseThrow();
        assertThat(person.name).isEqualTo("Give me a person");
    }

    @Test
    void withoutStorage_theStoredResponseRoutesAreApiGatewaysUnknownRoute() {
        com.openai.errors.NotFoundException e = catchThrowableOfType(com.openai.errors.NotFoundException.class,
                () -> openAi.responses().retrieve("resp_123"));
        assertThat(e.statusCode()).isEqualTo(404);
        assertThat(e.getMessage()).contains("This gateway serves POST /v1/chat/completions");
        assertThat(catchThrowableOfType(com.openai.errors.NotFoundException.class,
                () -> openAi.responses().delete("resp_123")).statusCode()).isEqualTo(404);
    }

    @Test
    void openAiJava_getsABadRequestExceptionNamingTheField() {
        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> openAi.responses().create(
                ResponseCreateParams.builder().model("echo").input("x").temperature(7.0).build()));
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.param()).hasValue("temperature");
        assertThat(e.code()).hasValue("invalid_value");
    }
}
