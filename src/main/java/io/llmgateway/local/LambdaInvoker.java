package io.llmgateway.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.llmgateway.backend.runtime.LambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * API Gateway's Lambda proxy integration: it runs the handler on a thread of its own, as Lambda
 * runs it apart from API Gateway, and stops waiting at the integration timeout, measured on the
 * gateway's clock.
 */
final class LambdaInvoker implements AutoCloseable {

    /** How often a wait re-reads the clock, so a clock a test moves by hand ends it promptly. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** How an invocation ended. */
    sealed interface Result {
        /** @param output the function's output; @param nanos how long it took */
        record Returned(byte[] output, long nanos) implements Result {
        }

        record TimedOut() implements Result {
        }

        record Failed() implements Result {
        }
    }

    private final RequestStreamHandler handler;
    private final String functionName;
    private final int memoryMb;
    private final long functionTimeoutMs;
    private final LocalClock clock;
    private final Consumer<String> functionLog;
    private final ExecutorService threads = Executors.newCachedThreadPool(Threads.daemon("local-gateway-lambda"));

    LambdaInvoker(RequestStreamHandler handler, String functionName, int memoryMb, long functionTimeoutMs,
                  LocalClock clock, Consumer<String> functionLog) {
        this.handler = handler;
        this.functionName = functionName;
        this.memoryMb = memoryMb;
        this.functionTimeoutMs = functionTimeoutMs;
        this.clock = clock;
        this.functionLog = functionLog;
    }

    Result invoke(byte[] event, String requestId, long integrationTimeoutMs) {
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(integrationTimeoutMs);
        long started = System.nanoTime();
        Future<byte[]> invocation = threads.submit(() -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), out,
                    context(requestId, functionName, memoryMb, functionTimeoutMs, clock, functionLog));
            return out.toByteArray();
        });
        try {
            while (true) {
                long remaining = deadline - clock.nanoTime();
                if (remaining <= 0) {
                    invocation.cancel(true);
                    return new Result.TimedOut();
                }
                try {
                    byte[] output = invocation.get(Math.min(remaining, POLL_NANOS), TimeUnit.NANOSECONDS);
                    return new Result.Returned(output, System.nanoTime() - started);
                } catch (TimeoutException e) {
                    // not yet: look at the clock again
                }
            }
        } catch (ExecutionException e) {
            return new Result.Failed();
        } catch (InterruptedException e) {
            invocation.cancel(true);
            Thread.currentThread().interrupt();
            return new Result.Failed();
        }
    }

    /**
     * The Lambda context the local gateway gives a handler: the function's timeout counts down from the
     * invocation on the gateway's clock, and the logger writes to the functions' log sink (CloudWatch Logs
     * on AWS).
     */
    static LambdaContext context(String requestId, String functionName, int memoryMb, long timeoutMillis,
                                 LocalClock clock, Consumer<String> log) {
        long deadlineNanos = clock.nanoTime() + timeoutMillis * 1_000_000L;
        return new LambdaContext(requestId,
                new LambdaContext.Function(functionName, "$LATEST", memoryMb, "/local/" + functionName, "local"),
                "arn:aws:lambda:local:000000000000:function:" + functionName, null,
                () -> (deadlineNanos - clock.nanoTime()) / 1_000_000L, log);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
