package io.llmgateway.backend;

import io.llmgateway.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseTrace;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailInvocationMetrics;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTopic;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTopicPolicyAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTraceAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * An in-process Bedrock that answers at once; no SDK pipeline, no network. Embedding calls get
 * {@link #embeddings}: vectors {@code [i + 1, 0.5, ...]} of the asked dimensions for the i-th text of the call.
 */
public final class FakeBedrock implements BedrockRuntimeClient {

    /** Input tokens each embedded text costs, as the fake reports them. */
    public static final int TOKENS_PER_TEXT = 3;

    private final Function<ConverseRequest, ConverseResponse> answer;
    private final Function<InvokeModelRequest, InvokeModelResponse> invoke;

    public FakeBedrock(Function<ConverseRequest, ConverseResponse> answer) {
        this(answer, FakeBedrock::embeddings);
    }

    public FakeBedrock(Function<ConverseRequest, ConverseResponse> answer,
                       Function<InvokeModelRequest, InvokeModelResponse> invoke) {
        this.answer = answer;
        this.invoke = invoke;
    }

    /** Always answers {@code text} with end_turn and these token counts. */
    public static FakeBedrock answering(String text, int inputTokens, int outputTokens) {
        ConverseResponse response = response(text, StopReason.END_TURN, inputTokens, outputTokens);
        return new FakeBedrock(request -> response);
    }

    public static ConverseResponse response(String text, StopReason stopReason, int inputTokens, int outputTokens) {
        return response(List.of(ContentBlock.fromText(text)), stopReason, inputTokens, outputTokens);
    }

    public static ConverseResponse response(List<ContentBlock> content, StopReason stopReason, int inputTokens,
                                            int outputTokens) {
        return ConverseResponse.builder()
                .output(ConverseOutput.fromMessage(Message.builder()
                        .role(ConversationRole.ASSISTANT)
                        .content(content)
                        .build()))
                .stopReason(stopReason)
                .usage(TokenUsage.builder().inputTokens(inputTokens).outputTokens(outputTokens)
                        .totalTokens(inputTokens + outputTokens).build())
                .build();
    }

    /**
     * A guardrail's intervention on the input, as Converse answers it with its trace on: the blocked
     * message as the content, stopReason guardrail_intervened, no tokens, and the trace's input assessment
     * with a denied topic blocked and these text units of the content and topic policies.
     */
    public static ConverseResponse intervened(String guardrailId, String blockedMessage, int unitsPerPolicy) {
        return response(blockedMessage, StopReason.GUARDRAIL_INTERVENED, 0, 0).toBuilder()
                .trace(ConverseTrace.builder().guardrail(GuardrailTraceAssessment.builder()
                        .inputAssessment(Map.of(guardrailId, GuardrailAssessment.builder()
                                .topicPolicy(GuardrailTopicPolicyAssessment.builder().topics(GuardrailTopic.builder()
                                        .name("Investment advice").type("DENY").action("BLOCKED").build()).build())
                                .invocationMetrics(GuardrailInvocationMetrics.builder().usage(GuardrailUsage.builder()
                                        .contentPolicyUnits(unitsPerPolicy).topicPolicyUnits(unitsPerPolicy)
                                        .wordPolicyUnits(unitsPerPolicy).build()).build())
                                .build()))
                        .build()).build())
                .build();
    }

    /**
     * Bedrock's embedding answers, by the body's shape: Titan ({@code inputText}) gets one vector and
     * {@code inputTextTokenCount}; Cohere ({@code texts}) gets {@code embeddings} (by type when
     * {@code embedding_types} was asked for) and the token count in Bedrock's header.
     */
    @SuppressWarnings("unchecked")
    public static InvokeModelResponse embeddings(InvokeModelRequest request) {
        Map<String, Object> body;
        try {
            body = Json.readObject(request.body().asUtf8String());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(200);
        if (body.containsKey("inputText")) {
            int dims = body.get("dimensions") instanceof Number n ? n.intValue() : 1536;
            answer.put("embedding", vector(0, dims));
            answer.put("inputTextTokenCount", TOKENS_PER_TEXT);
        } else {
            List<String> texts = (List<String>) body.get("texts");
            int dims = body.get("output_dimension") instanceof Number n ? n.intValue() : 1024;
            List<List<Double>> vectors = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                vectors.add(vector(i, dims));
            }
            answer.put("id", "e0b5c4a1");
            answer.put("embeddings", body.containsKey("embedding_types") ? Map.of("float", vectors) : vectors);
            answer.put("response_type", body.containsKey("embedding_types") ? "embeddings_by_type" : "embeddings_floats");
            answer.put("texts", texts);
            http.putHeader("X-Amzn-Bedrock-Input-Token-Count", Integer.toString(TOKENS_PER_TEXT * texts.size()));
        }
        InvokeModelResponse.Builder response = InvokeModelResponse.builder()
                .contentType("application/json")
                .body(SdkBytes.fromByteArray(Json.writeBytes(answer)));
        response.sdkHttpResponse(http.build());
        return response.build();
    }

    private static List<Double> vector(int index, int dims) {
        List<Double> vector = new ArrayList<>(dims);
        vector.add(index + 1.0);
        for (int i = 1; i < dims; i++) {
            vector.add(0.5);
        }
        return vector;
    }

    @Override
    public ConverseResponse converse(ConverseRequest request) {
        return answer.apply(request);
    }

    @Override
    public InvokeModelResponse invokeModel(InvokeModelRequest request) {
        return invoke.apply(request);
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }
}
