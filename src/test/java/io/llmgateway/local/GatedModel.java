package io.llmgateway.local;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeServiceClientConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * The echo model, slow on demand: each call waits until the test releases it, so a test knows a
 * request is in flight without racing the clock.
 */
final class GatedModel implements BedrockRuntimeClient {
    private final EchoModel echo = new EchoModel();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    @Override
    public ConverseResponse converse(ConverseRequest request) {
        entered.countDown();
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
        if (!entered.await(TestGateway.HANG.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("no call reached the model");
        }
    }

    void release() {
        released.countDown();
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
        release();
    }
}
