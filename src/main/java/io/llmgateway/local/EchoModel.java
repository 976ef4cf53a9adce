package io.llmgateway.local;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeServiceClientConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseMetrics;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * The local gateway's built-in model: a {@link BedrockRuntimeClient} that answers Converse calls
 * by echoing the last user message, so the real backend handler runs unchanged. Everything is
 * deterministic: a text of n characters counts as ceil(n / 4) tokens, {@code maxTokens} cuts the
 * answer (stop reason max_tokens), and a stop sequence ends it (stop_sequence). For client testing
 * it can add latency and fail a chosen share of calls with Bedrock's ServiceUnavailableException.
 */
public final class EchoModel implements BedrockRuntimeClient {

    private final Duration latency;
    private final double failureRate;
    private final Random random;

    /**
     * @param latency     added to every call
     * @param failureRate share of calls, 0 to 1, that fail as Bedrock's ServiceUnavailableException
     * @param seed        seed for choosing the failing calls, so a run can be repeated
     */
    public EchoModel(Duration latency, double failureRate, long seed) {
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failure rate must be between 0 and 1, got " + failureRate);
        }
        this.latency = latency;
        this.failureRate = failureRate;
        this.random = new Random(seed);
    }

    public EchoModel() {
        this(Duration.ZERO, 0, 0);
    }

    /** Tokens of a text, the same way every time. */
    static int tokens(String text) {
        return (text.length() + 3) / 4;
    }

    @Override
    public ConverseResponse converse(ConverseRequest request) {
        if (!latency.isZero()) {
            try {
                Thread.sleep(latency.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean fail;
        synchronized (random) {
            fail = failureRate > 0 && random.nextDouble() < failureRate;
        }
        if (fail) {
            throw ServiceUnavailableException.builder()
                    .message("The local echo model failed this call on purpose (--fail-rate).")
                    .statusCode(503)
                    .build();
        }
        int inputTokens = request.system().stream().map(SystemContentBlock::text).filter(t -> t != null)
                .mapToInt(EchoModel::tokens).sum()
                + request.messages().stream().flatMap(m -> m.content().stream()).map(ContentBlock::text)
                .filter(t -> t != null).mapToInt(EchoModel::tokens).sum();

        String reply = "Echo from " + request.modelId() + ": " + lastUserText(request.messages());
        StopReason stopReason = StopReason.END_TURN;
        List<String> stops = request.inferenceConfig() == null ? List.of() : request.inferenceConfig().stopSequences();
        for (String stop : stops) {
            int at = reply.indexOf(stop);
            if (stop.length() > 0 && at >= 0) {
                reply = reply.substring(0, at);
                stopReason = StopReason.STOP_SEQUENCE;
            }
        }
        Integer maxTokens = request.inferenceConfig() == null ? null : request.inferenceConfig().maxTokens();
        if (maxTokens != null && tokens(reply) > maxTokens) {
            reply = reply.substring(0, Math.min(reply.length(), maxTokens * 4));
            stopReason = StopReason.MAX_TOKENS;
        }
        int outputTokens = tokens(reply);
        return ConverseResponse.builder()
                .output(ConverseOutput.builder()
                        .message(Message.builder().role(ConversationRole.ASSISTANT).content(ContentBlock.fromText(reply)).build())
                        .build())
                .stopReason(stopReason)
                .usage(TokenUsage.builder().inputTokens(inputTokens).outputTokens(outputTokens)
                        .totalTokens(inputTokens + outputTokens).build())
                .metrics(ConverseMetrics.builder().latencyMs(latency.toMillis()).build())
                .build();
    }

    private static String lastUserText(List<Message> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            Message m = messages.get(i);
            if (m.role() == ConversationRole.USER) {
                StringBuilder text = new StringBuilder();
                m.content().stream().map(ContentBlock::text).filter(t -> t != null).forEach(t -> {
                    if (text.length() > 0) {
                        text.append('\n');
                    }
                    text.append(t);
                });
                return text.toString();
            }
        }
        return "";
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public BedrockRuntimeServiceClientConfiguration serviceClientConfiguration() {
        return BedrockRuntimeServiceClientConfiguration.builder().build();
    }

    @Override
    public void close() {
    }
}
