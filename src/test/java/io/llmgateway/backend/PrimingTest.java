package io.llmgateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.backend.internal.BedrockStream;
import io.llmgateway.backend.internal.CannedBedrockHttpClient;
import io.llmgateway.backend.internal.LoopbackBedrock;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Route;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

class PrimingTest {

    private static final Message SAY_OK = Message.builder().role(ConversationRole.USER)
            .content(ContentBlock.fromText("Say OK.")).build();

    @Test
    void prime_runsEveryKindOfRequestThroughTheSdkWithoutANetworkOrTheFunctionsClient() {
        // Region and settings only: Priming is never given the function's client or credentials.
        Priming priming = new Priming(TestSettings.settings(), Region.EU_CENTRAL_1, line -> { });

        // chat, streamed chat, a Bedrock ValidationException, an invalid request, a non-JSON body, models
        assertThat(priming.prime()).containsExactly(200, 200, 400, 400, 400, 200, 200, 200);
    }

    @Test
    void beforeCheckpoint_primes_andLogsWhatItSaw() throws IOException {
        List<String> log = new ArrayList<>();
        Priming priming = new Priming(TestSettings.settings(), Region.EU_CENTRAL_1, log::add);

        priming.beforeCheckpoint(null);

        assertThat(log).singleElement().satisfies(line -> assertThat(Json.readObject(line))
                .containsEntry("event", "primed")
                .containsEntry("statuses", List.of(200, 200, 400, 400, 400, 200, 200, 200))
                .containsEntry("transport", "loopback")
                .containsKey("durationMs"));
    }

    /**
     * A streaming function primes its streaming path too: the streamed chat request of the rounds takes
     * ConverseStream on the function's kind of async client, from the loopback's event stream.
     */
    @Test
    void aStreamingFunction_primesConverseStream_fromTheLoopbacksEventStream() throws Exception {
        BackendSettings base = TestSettings.settings();
        BackendSettings streaming = new BackendSettings(base.models(), base.maxTokensDefault(), base.maxTokensCeiling(),
                base.maxRequestBytes(), base.integrationTimeoutMs(), base.planRatePerRoute(), base.corsOrigins(),
                base.maxEmbeddingInputs(), Map.of(Route.CHAT_COMPLETIONS.throttlePath(), 300_000));
        // The same answers as a buffered function's: the streamed requests succeed on ConverseStream.
        assertThat(new Priming(streaming, Region.EU_CENTRAL_1, line -> { }).prime())
                .isEqualTo(new Priming(base, Region.EU_CENTRAL_1, line -> { }).prime())
                .startsWith(200, 200, 400, 400, 400, 200);

        try (LoopbackBedrock loopback = LoopbackBedrock.start();
             BedrockRuntimeAsyncClient streams = BedrockClientFactory.streamingBuilder(Region.EU_CENTRAL_1,
                             StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                     .endpointOverride(loopback.endpoint()).build();
             BedrockStream stream = BedrockStream.open(streams, ConverseStreamRequest.builder()
                     .modelId("amazon.priming-v1:0").messages(SAY_OK).build(), 10_000)) {
            List<String> events = new ArrayList<>();
            for (ConverseStreamOutput event; (event = stream.next()) != null; ) {
                events.add(event.sdkEventType().toString());
            }
            assertThat(events).containsExactly("messageStart", "contentBlockDelta", "contentBlockStop", "messageStop",
                    "metadata");
        }
    }

    @Test
    void theLoopbackBedrock_answersTheRealHttpClient_andLeavesNoSocketOpen() throws Exception {
        java.net.URI endpoint;
        try (LoopbackBedrock loopback = LoopbackBedrock.start();
             BedrockRuntimeClient client = BedrockClientFactory.builder(Region.EU_CENTRAL_1,
                             StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                     .endpointOverride(loopback.endpoint())
                     .build()) {
            endpoint = loopback.endpoint();
            assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");
            assertThat(client.converse(r -> r.modelId("amazon.priming-v1:0").messages(SAY_OK)).stopReason())
                    .isEqualTo(StopReason.END_TURN);
            assertThatThrownBy(() -> client.converse(r -> r.modelId("amazon.priming-invalid-v1:0").messages(SAY_OK)))
                    .isInstanceOf(ValidationException.class);
        }
        // Closed before the snapshot: nothing listens there any more.
        assertThatThrownBy(() -> new java.net.Socket(endpoint.getHost(), endpoint.getPort()).close())
                .isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void cannedHttpClient_givesTheRealSdkAConverseAnswerAndAValidationError() {
        try (BedrockRuntimeClient client = BedrockClientFactory.withoutHttpClient(Region.EU_CENTRAL_1,
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .httpClient(new CannedBedrockHttpClient())
                .build()) {

            var response = client.converse(r -> r.modelId("amazon.priming-v1:0")
                    .messages(SAY_OK));
            assertThat(response.output().message().content()).containsExactly(ContentBlock.fromText("OK"));
            assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
            assertThat(response.usage().totalTokens()).isEqualTo(13);

            assertThatThrownBy(() -> client.converse(r -> r.modelId("amazon.priming-invalid-v1:0")
                    .messages(SAY_OK)))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageContaining("The model rejected the request.");
        }
    }
}
