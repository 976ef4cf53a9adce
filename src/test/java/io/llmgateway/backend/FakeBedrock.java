package io.llmgateway.backend;

import java.util.function.Function;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/** An in-process Bedrock that answers at once; no SDK pipeline, no network. */
public final class FakeBedrock implements BedrockRuntimeClient {

    private final Function<ConverseRequest, ConverseResponse> answer;

    public FakeBedrock(Function<ConverseRequest, ConverseResponse> answer) {
        this.answer = answer;
    }

    /** Always answers {@code text} with end_turn and these token counts. */
    public static FakeBedrock answering(String text, int inputTokens, int outputTokens) {
        ConverseResponse response = response(text, StopReason.END_TURN, inputTokens, outputTokens);
        return new FakeBedrock(request -> response);
    }

    public static ConverseResponse response(String text, StopReason stopReason, int inputTokens, int outputTokens) {
        return ConverseResponse.builder()
                .output(ConverseOutput.fromMessage(Message.builder()
                        .role(ConversationRole.ASSISTANT)
                        .content(ContentBlock.fromText(text))
                        .build()))
                .stopReason(stopReason)
                .usage(TokenUsage.builder().inputTokens(inputTokens).outputTokens(outputTokens)
                        .totalTokens(inputTokens + outputTokens).build())
                .build();
    }

    @Override
    public ConverseResponse converse(ConverseRequest request) {
        return answer.apply(request);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
