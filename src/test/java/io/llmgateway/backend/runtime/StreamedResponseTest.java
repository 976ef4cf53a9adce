package io.llmgateway.backend.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.local.RuntimeApiEmulator;
import io.llmgateway.local.RuntimeApiEmulator.Call;
import io.llmgateway.local.RuntimeApiEmulator.Mode;
import io.llmgateway.local.RuntimeApiEmulator.Outcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link ResponseMode#STREAMED} through the real client against the emulator: the bytes on the wire,
 * their timing relative to the handler, and the two error paths (Lambda developer guide, "Building a
 * custom runtime", "Implementing response streaming in a custom runtime").
 */
class StreamedResponseTest {

    private static final String SSE = "text/event-stream";

    @Test
    void eachFlushReachesTheRuntimeApiBeforeTheHandlerWritesTheNextChunk() throws Exception {
        CountDownLatch firstSeen = new CountDownLatch(1);
        CountDownLatch secondSeen = new CountDownLatch(1);
        HttpHandler handler = (invocation, response) -> {
            response.status(200).header("Content-Type", SSE);
            OutputStream body = response.body();
            body.write(bytes("data: one\n\n"));
            body.flush();
            await(firstSeen);
            body.write(bytes("data: two\n\n"));
            body.flush();
            await(secondSeen);
            body.write(bytes("data: [DONE]\n\n"));
        };
        try (RunningLoop loop = RunningLoop.start(RuntimeApiEmulator.start(), handler, ResponseMode.STREAMED)) {
            Call call = loop.emulator.enqueue(bytes("{}"));

            // The handler is parked until the test has seen each chunk: a client that held chunks back
            // would leave awaitChunk waiting, and the test would fail.
            assertThat(call.awaitChunk()).isEqualTo(concat(
                    IntegrationPrelude.encode(200, Map.of("Content-Type", List.of(SSE))), bytes("data: one\n\n")));
            firstSeen.countDown();
            assertThat(call.awaitChunk()).isEqualTo(bytes("data: two\n\n"));
            assertThat(call.isAnswered()).as("the response is still open while the handler runs").isFalse();
            secondSeen.countDown();

            Outcome outcome = call.awaitOutcome();
            assertThat(outcome.mode()).isEqualTo(Mode.STREAMED);
            assertThat(outcome.header("Lambda-Runtime-Function-Response-Mode")).isEqualTo("streaming");
            assertThat(outcome.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(outcome.header("Content-Type")).isEqualTo(IntegrationPrelude.CONTENT_TYPE);
            assertThat(outcome.header("Trailer"))
                    .isEqualTo("Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body");
            assertThat(outcome.chunks()).hasSize(3);
            assertThat(outcome.chunks().get(2)).isEqualTo(bytes("data: [DONE]\n\n"));
            assertThat(outcome.trailers()).isEmpty();
            assertThat(afterPrelude(outcome.body())).isEqualTo("data: one\n\ndata: two\n\ndata: [DONE]\n\n");
            assertThat(loop.emulator.violations()).isEmpty();
        }
    }

    @Test
    void errorAfterTheFirstByte_endsTheStreamWithTheErrorTrailers_onTheWire_andTheLoopTakesTheNextInvocation()
            throws Exception {
        HttpHandler handler = (invocation, response) -> {
            response.header("Content-Type", SSE);
            response.body().write(bytes("data: partial\n\n"));
            response.body().flush();
            if (new String(invocation.event(), StandardCharsets.UTF_8).contains("fail")) {
                throw new IllegalStateException("Bedrock stream ended early");
            }
        };
        try (RunningLoop loop = RunningLoop.start(RuntimeApiEmulator.start(), handler, ResponseMode.STREAMED)) {
            Outcome failed = loop.emulator.enqueue(bytes("{\"fail\":true}")).awaitOutcome();
            Outcome next = loop.emulator.enqueue(bytes("{}")).awaitOutcome();

            assertThat(failed.mode()).isEqualTo(Mode.STREAMED);
            assertThat(afterPrelude(failed.body())).isEqualTo("data: partial\n\n");
            assertThat(failed.trailer("Lambda-Runtime-Function-Error-Type")).isEqualTo("Runtime.UserException");
            Map<String, Object> error = Json.readObject(new String(
                    Base64.getDecoder().decode(failed.trailer("Lambda-Runtime-Function-Error-Body")), StandardCharsets.UTF_8));
            assertThat(error).containsEntry("errorType", "java.lang.IllegalStateException")
                    .containsEntry("errorMessage", "Bedrock stream ended early");
            assertThat((List<?>) error.get("stackTrace")).isNotEmpty();
            // The framing itself, as it came off the socket: the last chunk, then the trailer section.
            String raw = new String(failed.raw(), StandardCharsets.ISO_8859_1);
            assertThat(raw).startsWith("POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\n")
                    .contains("\r\nTransfer-Encoding: chunked\r\n")
                    .contains(Integer.toHexString("data: partial\n\n".length() + preludeLength(failed.body()))
                            + "\r\n")
                    .endsWith("\r\n0\r\nLambda-Runtime-Function-Error-Type: Runtime.UserException\r\n"
                            + "Lambda-Runtime-Function-Error-Body: " + failed.trailer("Lambda-Runtime-Function-Error-Body")
                            + "\r\n\r\n");

            assertThat(next.mode()).isEqualTo(Mode.STREAMED);
            assertThat(next.trailers()).isEmpty();
            assertThat(loop.emulator.violations()).isEmpty();
            assertThat(loop.log).singleElement().asString().contains("\"event\":\"invocation_failed\"",
                    "\"requestId\":\"req-1\"");
        }
    }

    @Test
    void errorBeforeTheFirstFlush_isAnInvocationError_andNoResponseIsOpened() throws Exception {
        HttpHandler handler = (invocation, response) -> {
            response.status(200).header("Content-Type", SSE);
            response.body().write(bytes("data: never sent\n\n"));
            throw new IllegalArgumentException("model not configured");
        };
        try (RunningLoop loop = RunningLoop.start(RuntimeApiEmulator.start(), handler, ResponseMode.STREAMED)) {
            Outcome outcome = loop.emulator.enqueue(bytes("{}")).awaitOutcome();

            assertThat(outcome.mode()).isEqualTo(Mode.ERROR);
            assertThat(outcome.header("Lambda-Runtime-Function-Error-Type")).isEqualTo("Runtime.UserException");
            assertThat(Json.readObject(outcome.text())).containsEntry("errorType", "java.lang.IllegalArgumentException")
                    .containsEntry("errorMessage", "model not configured");
            assertThat(loop.emulator.violations()).isEmpty();
        }
    }

    @Test
    void aHandlerThatNeverFlushes_sendsThePreludeAndItsWholeBodyWhenItReturns() throws Exception {
        String error = "{\"error\":{\"message\":\"bad request\",\"type\":\"invalid_request_error\"}}";
        HttpHandler handler = (invocation, response) -> {
            response.status(400).header("Content-Type", "application/json").header("x-request-id", "r-1");
            response.body().write(bytes(error));
        };
        try (RunningLoop loop = RunningLoop.start(RuntimeApiEmulator.start(), handler, ResponseMode.STREAMED)) {
            Outcome outcome = loop.emulator.enqueue(bytes("{}")).awaitOutcome();

            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("Content-Type", List.of("application/json"));
            headers.put("x-request-id", List.of("r-1"));
            assertThat(outcome.chunks()).singleElement()
                    .isEqualTo(concat(IntegrationPrelude.encode(400, headers), bytes(error)));
            Map<String, Object> prelude = Json.readObject(new String(outcome.body(), 0, preludeLength(outcome.body()) - 8,
                    StandardCharsets.UTF_8));
            assertThat(prelude).containsEntry("statusCode", 400)
                    .containsEntry("headers", Map.of("Content-Type", "application/json", "x-request-id", "r-1"));
        }
    }

    @Test
    void whenTheConnectionIsDroppedMidStream_theHandlersWriteFails_andNothingMoreIsReported() throws Exception {
        AtomicReference<IOException> seen = new AtomicReference<>();
        CountDownLatch dropped = new CountDownLatch(1);
        HttpHandler handler = (invocation, response) -> {
            OutputStream body = response.body();
            body.write(bytes("data: one\n\n"));
            body.flush();
            if (new String(invocation.event(), StandardCharsets.UTF_8).contains("drop")) {
                await(dropped);
                try {
                    // The peer's close reaches this socket as a reset; a write or two may still be
                    // accepted by the kernel before it does.
                    for (int i = 0; i < 1_000; i++) {
                        body.write(bytes("data: more\n\n"));
                        body.flush();
                        Thread.sleep(1);
                    }
                } catch (IOException e) {
                    seen.set(e);
                }
            }
        };
        try (RunningLoop loop = RunningLoop.start(RuntimeApiEmulator.start(), handler, ResponseMode.STREAMED)) {
            Call dropping = loop.emulator.enqueue(bytes("{\"drop\":true}")).dropAfterFirstChunk();
            assertThat(dropping.awaitDropped()).isTrue();
            dropped.countDown();
            Outcome next = loop.emulator.enqueue(bytes("{}")).awaitOutcome();

            assertThat(seen.get()).isNotNull();
            assertThat(dropping.isAnswered()).isFalse();
            assertThat(next.mode()).isEqualTo(Mode.STREAMED);
            assertThat(loop.emulator.violations()).isEmpty();
            assertThat(loop.log).isEmpty();
        }
    }

    @Test
    void aLargeUnflushedBody_goesOutInChunksOfTheLimit_beforeTheHandlerReturns() throws Exception {
        byte[] big = new byte[StreamedResponse.CHUNK_LIMIT * 2 + 10];
        java.util.Arrays.fill(big, (byte) 'x');
        HttpHandler handler = (invocation, response) -> response.body().write(big);
        try (RunningLoop loop = RunningLoop.start(RuntimeApiEmulator.start(), handler, ResponseMode.STREAMED)) {
            Outcome outcome = loop.emulator.enqueue(bytes("{}")).awaitOutcome();

            assertThat(afterPrelude(outcome.body())).as("the body").isEqualTo(new String(big, StandardCharsets.UTF_8));
            int prelude = IntegrationPrelude.encode(200, Map.of()).length;
            assertThat(outcome.chunks()).extracting(chunk -> chunk.length)
                    .containsExactly(prelude + StreamedResponse.CHUNK_LIMIT, StreamedResponse.CHUNK_LIMIT, 10);
        }
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(RuntimeApiEmulator.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the test did not release the handler");
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(a);
        both.writeBytes(b);
        return both.toByteArray();
    }

    /** The prelude's length with its delimiter: up to and including the first 8 NUL bytes. */
    static int preludeLength(byte[] stream) {
        for (int i = 0; i + 8 <= stream.length; i++) {
            boolean delimiter = true;
            for (int j = 0; j < 8 && delimiter; j++) {
                delimiter = stream[i + j] == 0;
            }
            if (delimiter) {
                return i + 8;
            }
        }
        throw new AssertionError("no 8-NUL delimiter in the stream");
    }

    static String afterPrelude(byte[] stream) {
        int start = preludeLength(stream);
        return new String(stream, start, stream.length - start, StandardCharsets.UTF_8);
    }
}
