package io.llmgateway.local;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * The echo model, slow on demand: each call waits until the test releases them all, so a test knows
 * requests are in flight without racing the clock.
 */
final class GatedModel extends LocalBedrockClient implements BedrockRuntimeClient {
    private final EchoModel echo = new EchoModel();
    private final Semaphore entered = new Semaphore(0);
    private final CountDownLatch released = new CountDownLatch(1);

    @Override
    public ConverseResponse converse(ConverseRequest request) {
        entered.release();
        try {
            released.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while held", e);
        }
        return echo.converse(request);
    }

    /** Waits (at most the hang detector's time) until a call is inside the model. */
    void awaitCall() throws InterruptedException {
        awaitCalls(1);
    }

    /** Waits (at most the hang detector's time) until {@code n} more calls have reached the model. */
    void awaitCalls(int n) throws InterruptedException {
        if (!entered.tryAcquire(n, TestGateway.HANG.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("fewer than " + n + " calls reached the model");
        }
    }

    void release() {
        released.countDown();
    }

    @Override
    public void close() {
        release();
    }
}
