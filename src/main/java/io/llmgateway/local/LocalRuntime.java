package io.llmgateway.local;

import io.llmgateway.backend.BackendHandler;
import io.llmgateway.backend.runtime.CheckpointHooks;
import io.llmgateway.backend.runtime.IntegrationPrelude;
import io.llmgateway.backend.runtime.RuntimeApi;
import io.llmgateway.backend.runtime.RuntimeLoop;
import io.llmgateway.common.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The backend's streaming routes as Lambda runs them behind a STREAM integration: the backend's own
 * runtime client ({@link RuntimeLoop}, the code the {@code llm-gateway-runtime} wrapper starts on
 * Lambda) answering invocations from a {@link RuntimeApiEmulator}, in several execution environments at
 * once. API Gateway's side is here too: it reads the integration-response prelude (status and headers
 * before the 8 NUL bytes; API Gateway developer guide, "Lambda proxy integration format for response
 * streaming"), then passes the body on chunk by chunk, until the stream ends or its integration
 * timeout passes.
 */
final class LocalRuntime implements AutoCloseable {

    /** Execution environments: streams served at once; more wait for a free one, as at Lambda's concurrency limit. */
    static final int ENVIRONMENTS = 16;
    /** How often a wait re-reads the gateway's clock, so a clock a test moves by hand ends it promptly. */
    private static final long POLL_MS = 20;

    private final RuntimeApiEmulator api;
    private final List<RuntimeLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LocalClock clock;
    private final long functionTimeoutMs;

    LocalRuntime(BackendHandler handler, long functionTimeoutMs, LocalClock clock, java.util.function.Consumer<String> log)
            throws IOException {
        this.api = RuntimeApiEmulator.start();
        this.clock = clock;
        this.functionTimeoutMs = functionTimeoutMs;
        for (int i = 0; i < ENVIRONMENTS; i++) {
            RuntimeLoop loop = new RuntimeLoop(new RuntimeApi(api.address()), log);
            Thread thread = new Thread(() -> loop.run(() -> new RuntimeLoop.Function(handler, handler), false,
                    CheckpointHooks.NONE), "local-gateway-runtime-" + i);
            thread.setDaemon(true);
            thread.start();
            loops.add(loop);
            threads.add(thread);
        }
    }

    /** How a streamed invocation began. */
    sealed interface Start {
        /** The prelude was read: the status and headers, and the stream of the body. */
        record Streaming(int status, Map<String, List<String>> headers, Body body) implements Start {
        }

        /** The integration timeout passed before the prelude. */
        record TimedOut() implements Start {
        }

        /** The function failed before its first byte, or wrote no valid prelude. */
        record Failed() implements Start {
        }
    }

    /** The body after the prelude, chunk by chunk. */
    interface Body {
        /** The next chunk; null at the end of the stream (or when the integration timeout ended it). */
        byte[] next() throws InterruptedException;

        /** The client went away: Lambda's stream is closed, as API Gateway closes it. */
        void cancel();
    }

    /** Invokes the function with InvokeWithResponseStream and waits for its prelude. */
    Start invoke(byte[] event, long integrationTimeoutMs) throws InterruptedException {
        long deadline = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(integrationTimeoutMs);
        RuntimeApiEmulator.Call call = api.enqueue(event, clock.wallClock().millis() + functionTimeoutMs, null);
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (true) {
            byte[] chunk = next(call, deadline);
            if (chunk == null) {
                if (clock.nanoTime() - deadline >= 0 && !call.isAnswered()) {
                    call.dropAfterFirstChunk();
                    return new Start.TimedOut();
                }
                return new Start.Failed();
            }
            head.write(chunk, 0, chunk.length);
            byte[] bytes = head.toByteArray();
            int delimiter = delimiter(bytes);
            if (delimiter >= 0) {
                return started(call, deadline, bytes, delimiter);
            }
            if (bytes.length > IntegrationPrelude.DELIMITER_WITHIN) {
                call.dropAfterFirstChunk();
                return new Start.Failed();
            }
        }
    }

    private Start started(RuntimeApiEmulator.Call call, long deadline, byte[] bytes, int delimiter) {
        Map<String, Object> prelude;
        try {
            prelude = Json.readObject(new String(bytes, 0, delimiter, StandardCharsets.UTF_8));
        } catch (IOException e) {
            call.dropAfterFirstChunk();
            return new Start.Failed();
        }
        if (!(prelude.get("statusCode") instanceof Number status)) {
            return new Start.Failed();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (prelude.get("headers") instanceof Map<?, ?> single) {
            single.forEach((name, value) -> headers.put(String.valueOf(name), List.of(String.valueOf(value))));
        }
        if (prelude.get("multiValueHeaders") instanceof Map<?, ?> multi) {
            multi.forEach((name, values) -> headers.put(String.valueOf(name), values instanceof List<?> list
                    ? list.stream().map(String::valueOf).toList() : List.of(String.valueOf(values))));
        }
        byte[] rest = Arrays.copyOfRange(bytes, delimiter + IntegrationPrelude.DELIMITER_LENGTH, bytes.length);
        return new Start.Streaming(status.intValue(), headers, new Body() {
            private byte[] first = rest.length > 0 ? rest : null;

            @Override
            public byte[] next() throws InterruptedException {
                if (first != null) {
                    byte[] chunk = first;
                    first = null;
                    return chunk;
                }
                return LocalRuntime.this.next(call, deadline);
            }

            @Override
            public void cancel() {
                call.dropAfterFirstChunk();
            }
        });
    }

    /** The next chunk, or null at the stream's end or its deadline. */
    private byte[] next(RuntimeApiEmulator.Call call, long deadline) throws InterruptedException {
        while (true) {
            byte[] chunk = call.pollChunk(POLL_MS, TimeUnit.MILLISECONDS);
            if (chunk != null) {
                return chunk;
            }
            if (call.isAnswered()) {
                return call.pollChunk(0, TimeUnit.MILLISECONDS); // the chunks arrive before the answer ends
            }
            if (clock.nanoTime() - deadline >= 0) {
                call.dropAfterFirstChunk(); // API Gateway ends the stream at its timeout
                return null;
            }
        }
    }

    private static int delimiter(byte[] bytes) {
        int zeros = 0;
        for (int i = 0; i < bytes.length; i++) {
            zeros = bytes[i] == 0 ? zeros + 1 : 0;
            if (zeros == IntegrationPrelude.DELIMITER_LENGTH) {
                return i - IntegrationPrelude.DELIMITER_LENGTH + 1;
            }
        }
        return -1;
    }

    /** Stops the runtimes: each ends quietly once the emulator is gone, and close waits (briefly) for them. */
    @Override
    public void close() {
        loops.forEach(RuntimeLoop::stop);
        try {
            api.close();
        } catch (IOException e) {
            // The loops end when their connection does.
        }
        try {
            for (Thread thread : threads) {
                thread.join(RuntimeApiEmulator.PATIENCE.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
