package io.llmgateway.local;

import io.llmgateway.backend.bedrock.Documents;
import io.llmgateway.common.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStart;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetrics;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamTrace;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/**
 * The echo model's ConverseStream: the answer {@link EchoModel} gives to the same request, delivered
 * as Bedrock streams it (messageStart, per content block its start, deltas and stop, messageStop,
 * metadata with the usage), one output token (four characters, as the echo model counts) per delta,
 * with the model's token delay before each ({@code --token-delay-ms}). Events wait for the reader's
 * demand, and a cancelled stream stops generating, as Bedrock stops when its connection closes.
 */
public final class EchoStreams extends LocalBedrockClient implements BedrockRuntimeAsyncClient {

    private final BedrockRuntimeClient model;
    private final Duration tokenDelay;

    public EchoStreams(EchoModel echo) {
        this(echo, echo.tokenDelay());
    }

    /**
     * @param model      what answers the Converse request each stream is made of: the echo model, or the
     *                   plans' guardrails in front of it ({@link LocalGuardrails})
     * @param tokenDelay the pause before each output token
     */
    EchoStreams(BedrockRuntimeClient model, Duration tokenDelay) {
        this.model = model;
        this.tokenDelay = tokenDelay;
    }

    @Override
    public CompletableFuture<Void> converseStream(ConverseStreamRequest request, ConverseStreamResponseHandler handler) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            List<Supplier<ConverseStreamOutput>> events;
            try {
                events = events(model.converse(converse(request)));
            } catch (RuntimeException e) {
                handler.exceptionOccurred(e);
                done.completeExceptionally(e);
                return;
            }
            handler.responseReceived(ConverseStreamResponse.builder().build());
            handler.onEventStream(SdkPublisher.adapt(new Emitter(events, tokenDelay, handler, done)));
        }, "echo-model-stream");
        thread.setDaemon(true);
        thread.start();
        return done;
    }

    /** The Converse request with the same pieces ({@code ConverseMapping} copies them the other way). */
    static ConverseRequest converse(ConverseStreamRequest stream) {
        ConverseRequest.Builder converse = ConverseRequest.builder().modelId(stream.modelId())
                .inferenceConfig(stream.inferenceConfig()).toolConfig(stream.toolConfig())
                .additionalModelRequestFields(stream.additionalModelRequestFields()).outputConfig(stream.outputConfig());
        if (stream.hasMessages()) {
            converse.messages(stream.messages());
        }
        if (stream.hasSystem()) {
            converse.system(stream.system());
        }
        if (stream.guardrailConfig() != null) {
            converse.guardrailConfig(GuardrailConfiguration.builder()
                    .guardrailIdentifier(stream.guardrailConfig().guardrailIdentifier())
                    .guardrailVersion(stream.guardrailConfig().guardrailVersion())
                    .trace(stream.guardrailConfig().traceAsString()).build());
        }
        return converse.build();
    }

    /** The answer as stream events; a delta event is a token, the others cost no delay. */
    private static List<Supplier<ConverseStreamOutput>> events(ConverseResponse answer) {
        List<Supplier<ConverseStreamOutput>> events = new ArrayList<>();
        events.add(() -> (ConverseStreamOutput) ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT)
                .build());
        List<ContentBlock> blocks = answer.output().message().content();
        for (int i = 0; i < blocks.size(); i++) {
            int index = i;
            ContentBlock block = blocks.get(i);
            if (block.toolUse() != null) {
                events.add(() -> (ConverseStreamOutput) ConverseStreamOutput.contentBlockStartBuilder().contentBlockIndex(index)
                        .start(ContentBlockStart.fromToolUse(ToolUseBlockStart.builder()
                                .toolUseId(block.toolUse().toolUseId()).name(block.toolUse().name()).build()))
                        .build());
                for (String token : tokens(Json.write(Documents.plain(block.toolUse().input())))) {
                    events.add(new Token(() -> ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder().input(token).build()),
                            index));
                }
            } else if (block.reasoningContent() != null && block.reasoningContent().reasoningText() != null) {
                for (String token : tokens(block.reasoningContent().reasoningText().text())) {
                    events.add(new Token(() -> ContentBlockDelta.fromReasoningContent(ReasoningContentBlockDelta.fromText(token)),
                            index));
                }
            } else if (block.text() != null) {
                for (String token : tokens(block.text())) {
                    events.add(new Token(() -> ContentBlockDelta.fromText(token), index));
                }
            }
            events.add(() -> (ConverseStreamOutput) ConverseStreamOutput.contentBlockStopBuilder().contentBlockIndex(index)
                    .build());
        }
        events.add(() -> (ConverseStreamOutput) ConverseStreamOutput.messageStopBuilder().stopReason(answer.stopReason())
                .build());
        ConverseStreamTrace trace = answer.trace() == null ? null
                : ConverseStreamTrace.builder().guardrail(answer.trace().guardrail()).build();
        events.add(() -> (ConverseStreamOutput) ConverseStreamOutput.metadataBuilder().usage(answer.usage())
                .metrics(ConverseStreamMetrics.builder().latencyMs(answer.metrics() == null ? 0L
                        : answer.metrics().latencyMs()).build())
                .trace(trace).build());
        return events;
    }

    /** A delta of one token: the model's token delay comes before it. */
    private record Token(Supplier<ContentBlockDelta> delta, int index) implements Supplier<ConverseStreamOutput> {
        @Override
        public ConverseStreamOutput get() {
            return (ConverseStreamOutput) ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(index)
                    .delta(delta.get()).build();
        }
    }

    /** Four characters a token, as {@link EchoModel#tokens} counts them. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        for (int at = 0; at < text.length(); at += 4) {
            tokens.add(text.substring(at, Math.min(text.length(), at + 4)));
        }
        return tokens;
    }

    /** Emits the events on its own thread as the subscriber asks for them. */
    private static final class Emitter implements Publisher<ConverseStreamOutput> {
        private final List<Supplier<ConverseStreamOutput>> events;
        private final Duration tokenDelay;
        private final ConverseStreamResponseHandler handler;
        private final CompletableFuture<Void> done;

        Emitter(List<Supplier<ConverseStreamOutput>> events, Duration tokenDelay, ConverseStreamResponseHandler handler,
                CompletableFuture<Void> done) {
            this.events = events;
            this.tokenDelay = tokenDelay;
            this.handler = handler;
            this.done = done;
        }

        @Override
        public void subscribe(Subscriber<? super ConverseStreamOutput> subscriber) {
            Object lock = new Object();
            long[] demand = {0};
            boolean[] cancelled = {false};
            subscriber.onSubscribe(new Subscription() {
                @Override
                public void request(long n) {
                    synchronized (lock) {
                        demand[0] = demand[0] + n < 0 ? Long.MAX_VALUE : demand[0] + n;
                        lock.notifyAll();
                    }
                }

                @Override
                public void cancel() {
                    synchronized (lock) {
                        cancelled[0] = true;
                        lock.notifyAll();
                    }
                }
            });
            Thread thread = new Thread(() -> {
                try {
                    for (Supplier<ConverseStreamOutput> event : events) {
                        if (event instanceof Token && !tokenDelay.isZero()) {
                            Thread.sleep(tokenDelay.toMillis());
                        }
                        synchronized (lock) {
                            while (demand[0] == 0 && !cancelled[0]) {
                                lock.wait();
                            }
                            if (cancelled[0]) {
                                done.cancel(false);
                                return;
                            }
                            demand[0]--;
                        }
                        subscriber.onNext(event.get());
                    }
                    subscriber.onComplete();
                    handler.complete();
                    done.complete(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    done.cancel(false);
                }
            }, "echo-model-tokens");
            thread.setDaemon(true);
            thread.start();
        }
    }
}
