package io.llmgateway.backend.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningTextBlock;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

class ConverseMappingTest {

    private static final ChatRequest PLAIN = new ChatRequest("m", "amazon.nova-micro-v1:0", java.util.List.of(),
            java.util.List.of(new ChatRequest.Turn(ChatRequest.Role.USER, java.util.List.of(new ChatRequest.Text("Hi")))),
            16, null, null, java.util.List.of(), false, false);

    static Stream<Arguments> stopReasons() {
        return Stream.of(
                Arguments.of(StopReason.END_TURN, "stop"),
                Arguments.of(StopReason.STOP_SEQUENCE, "stop"),
                Arguments.of(StopReason.MAX_TOKENS, "length"),
                Arguments.of(StopReason.MODEL_CONTEXT_WINDOW_EXCEEDED, "length"),
                Arguments.of(StopReason.CONTENT_FILTERED, "content_filter"),
                Arguments.of(StopReason.GUARDRAIL_INTERVENED, "content_filter"),
                Arguments.of(StopReason.UNKNOWN_TO_SDK_VERSION, "stop"),
                Arguments.of(null, "stop"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("stopReasons")
    void finishReason_mapsBedrockStopReason(StopReason reason, String finishReason) {
        assertThat(ConverseMapping.finishReason(reason)).isEqualTo(finishReason);
    }

    @Test
    void fromConverse_joinsTextBlocks_andKeepsReasoningApartFromTheContent() {
        ConverseResponse response = ConverseResponse.builder()
                .output(ConverseOutput.fromMessage(Message.builder().role(ConversationRole.ASSISTANT).content(
                        ContentBlock.fromReasoningContent(ReasoningContentBlock.fromReasoningText(
                                ReasoningTextBlock.builder().text("thinking...").build())),
                        ContentBlock.fromText("The answer "),
                        ContentBlock.fromText("is 4.")).build()))
                .stopReason(StopReason.END_TURN)
                .usage(TokenUsage.builder().inputTokens(10).outputTokens(30).totalTokens(40).build())
                .build();

        assertThat(ConverseMapping.fromConverse(response, PLAIN)).isEqualTo(new Completion("The answer is 4.",
                "thinking...", java.util.List.of(), "stop", 10, 30, 40));
    }

    @Test
    void fromConverse_withoutOutputOrUsage_isAnEmptyAnswerWithZeroTokens() {
        assertThat(ConverseMapping.fromConverse(ConverseResponse.builder().build(), PLAIN))
                .isEqualTo(new Completion("", "stop", 0, 0, 0));
    }

    /**
     * The streamed call is the Converse call: every piece the Converse request has (the parser's
     * system, tools, inference settings and reasoning fields, and what other features add there, such as
     * a guardrail) is in the ConverseStream request, and the timeout with it.
     */
    @Test
    void toConverseStream_carriesEveryPieceOfTheConverseRequest() throws Exception {
        ChatRequest chat = new ChatRequestParser(io.llmgateway.backend.TestSettings.settings()).parse(
                io.llmgateway.common.Json.read("{\"model\":\"claude-haiku\",\"temperature\":0.5,\"stop\":[\"END\"],"
                        + "\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi\"}],"
                        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}}]}"),
                io.llmgateway.backend.metering.Metering.Entitlement.EVERYTHING);
        java.time.Duration timeout = java.time.Duration.ofSeconds(42);
        software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest converse = ConverseMapping.toConverse(chat,
                io.llmgateway.backend.internal.ModelTarget.direct(chat.modelId()), timeout);
        software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest stream =
                ConverseMapping.toConverseStream(chat, io.llmgateway.backend.internal.ModelTarget.direct(chat.modelId()),
                        timeout);
        assertThat(stream.modelId()).isEqualTo(converse.modelId());
        assertThat(stream.messages()).isEqualTo(converse.messages());
        assertThat(stream.system()).isEqualTo(converse.system()).isNotEmpty();
        assertThat(stream.inferenceConfig()).isEqualTo(converse.inferenceConfig());
        assertThat(stream.toolConfig()).isEqualTo(converse.toolConfig()).isNotNull();
        assertThat(stream.overrideConfiguration().flatMap(o -> o.apiCallTimeout())).contains(timeout);

        software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest guarded = converse.toBuilder()
                .guardrailConfig(g -> g.guardrailIdentifier("gr-1").guardrailVersion("3").trace("enabled"))
                .additionalModelRequestFields(software.amazon.awssdk.core.document.Document.fromMap(
                        java.util.Map.of("top_k", software.amazon.awssdk.core.document.Document.fromNumber(5))))
                .requestMetadata(java.util.Map.of("plan", "pro"))
                .build();
        software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest streamed = ConverseMapping.streamOf(guarded);
        assertThat(streamed.guardrailConfig().guardrailIdentifier()).isEqualTo("gr-1");
        assertThat(streamed.guardrailConfig().guardrailVersion()).isEqualTo("3");
        assertThat(streamed.guardrailConfig().traceAsString()).isEqualTo("enabled");
        assertThat(streamed.additionalModelRequestFields()).isEqualTo(guarded.additionalModelRequestFields());
        assertThat(streamed.requestMetadata()).isEqualTo(java.util.Map.of("plan", "pro"));
    }
}
