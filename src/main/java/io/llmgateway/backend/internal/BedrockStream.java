package io.llmgateway.backend.internal;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.core.async.SdkPublisher;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;

/**
 * One ConverseStream call, read on the caller's thread (Bedrock API reference, "ConverseStream"): the
 * SDK delivers events on its own threads; they wait here, one requested at a time, until the caller
 * takes them with {@link #next}. Opening waits for the first event, so a call Bedrock refuses (a
 * throttle, a validation error) fails before anything was sent to the client and keeps its HTTP error.
 * The whole call, first event to last, ends within its budget.
 *
 * <p>Surface-neutral: chat completions and the Responses API turn the same events into their own bytes.
 */
public final class BedrockStream implements AutoCloseable {

    /** What the SDK handed over: an event, the end, or a failure. */
    private sealed interface Item {
        record Event(ConverseStreamOutput event) implements Item {
        }

        record End() implements Item {
        }

        record Failure(Throwable cause) implements Item {
        }
    }

    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final long deadlineNanos;
    private final long budgetMs;
    private volatile Subscription subscription;
    private volatile CompletableFuture<Void> call;
    private ConverseStreamOutput first;
    private boolean ended;

    private BedrockStream(long budgetMs) {
        this.budgetMs = budgetMs;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, budgetMs));
    }

    /**
     * Sends the call and waits for its first event.
     *
     * @throws RuntimeException what Bedrock or the SDK threw before the first event (unwrapped), or
     *                          {@link ApiCallTimeoutException} when the budget ran out first
     */
    public static BedrockStream open(BedrockRuntimeAsyncClient client, ConverseStreamRequest request, long budgetMs) {
        BedrockStream stream = new BedrockStream(budgetMs);
        CompletableFuture<Void> call = client.converseStream(request, stream.handler());
        stream.call = call;
        call.whenComplete((ignored, error) -> {
            if (error != null) {
                stream.items.add(new Item.Failure(BedrockErrors.unwrap(error)));
            }
        });
        stream.first = stream.take();
        if (stream.first == null) {
            stream.ended = true;
        }
        return stream;
    }

    /**
     * The next event, or null once the stream has ended.
     *
     * @throws RuntimeException a failure mid-stream (Bedrock's exception event, a lost connection, the
     *                          budget run out)
     */
    public ConverseStreamOutput next() {
        if (first != null) {
            ConverseStreamOutput event = first;
            first = null;
            return event;
        }
        if (ended) {
            return null;
        }
        ConverseStreamOutput event = take();
        if (event == null) {
            ended = true;
        }
        return event;
    }

    private ConverseStreamOutput take() {
        Item item;
        try {
            long left = deadlineNanos - System.nanoTime();
            item = left <= 0 ? items.poll() : items.poll(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Bedrock's stream", e);
        }
        if (item == null) {
            close();
            throw ApiCallTimeoutException.create(budgetMs);
        }
        if (item instanceof Item.Failure failure) {
            close();
            throw failure.cause() instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(failure.cause());
        }
        if (item instanceof Item.End) {
            return null;
        }
        Subscription s = subscription;
        if (s != null) {
            s.request(1);
        }
        return ((Item.Event) item).event();
    }

    /** Stops the call: Bedrock's connection is closed, and no more events come. */
    @Override
    public void close() {
        ended = true;
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        CompletableFuture<Void> c = call;
        if (c != null) {
            c.cancel(true);
        }
    }

    private ConverseStreamResponseHandler handler() {
        return new ConverseStreamResponseHandler() {
            @Override
            public void responseReceived(ConverseStreamResponse response) {
            }

            @Override
            public void onEventStream(SdkPublisher<ConverseStreamOutput> publisher) {
                publisher.subscribe(new Subscriber<ConverseStreamOutput>() {
                    @Override
                    public void onSubscribe(Subscription s) {
                        subscription = s;
                        s.request(1);
                    }

                    @Override
                    public void onNext(ConverseStreamOutput event) {
                        items.add(new Item.Event(event));
                    }

                    @Override
                    public void onError(Throwable t) {
                        items.add(new Item.Failure(BedrockErrors.unwrap(t)));
                    }

                    @Override
                    public void onComplete() {
                        items.add(new Item.End());
                    }
                });
            }

            @Override
            public void exceptionOccurred(Throwable throwable) {
                items.add(new Item.Failure(BedrockErrors.unwrap(throwable)));
            }

            @Override
            public void complete() {
            }
        };
    }
}
