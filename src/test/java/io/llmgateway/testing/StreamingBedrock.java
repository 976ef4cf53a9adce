package io.llmgateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmgateway.common.Json;
import io.llmgateway.local.RuntimeApiEmulator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Bedrock's ConverseStream on a loopback socket: each request is answered by the next {@link Script},
 * in the real {@code application/vnd.amazon.eventstream} encoding (the SDK's own encoder,
 * {@code software.amazon.awssdk.eventstream.Message}), one event per HTTP chunk, flushed as it is
 * written, so the real AWS SDK parses what Bedrock would send. A script may wait on a gate between
 * events, so a test can see what reached the client before the model "finished", without timing.
 */
public final class StreamingBedrock implements AutoCloseable {

    private final HttpServer server;
    private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
    /** When set, what answers each request, from its body; else the next script in the queue. */
    private volatile Function<String, Script> scripter;
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<String> bodies = new CopyOnWriteArrayList<>();
    /** Counts down when a write to a client failed: the client closed the stream. */
    private final CountDownLatch clientClosed = new CountDownLatch(1);

    /** What one call is answered with. */
    public static final class Script {
        private final List<Object> steps = new ArrayList<>();
        private int status = 200;
        private String errorType;
        private String errorMessage;

        /** An event: its type and JSON payload. */
        public Script event(String type, Map<String, ?> payload) {
            steps.add(encode("event", type, payload));
            return this;
        }

        /** An exception event mid-stream ({@code :message-type: exception}). */
        public Script exception(String type, String message) {
            steps.add(encode("exception", type, Map.of("message", message)));
            return this;
        }

        /**
         * Text deltas, one every few milliseconds, until the client closes the connection (at most
         * {@link RuntimeApiEmulator#PATIENCE}): a model still generating when its caller goes away.
         */
        public Script deltasUntilClosed(int block, String text) {
            steps.add(new Endless(encode("event", "contentBlockDelta",
                    Map.of("contentBlockIndex", block, "delta", Map.of("text", text)))));
            return this;
        }

        /** Waits this long here (for benchmarks: a model's time between tokens). */
        public Script pause(Duration duration) {
            steps.add(duration);
            return this;
        }

        /** Waits here until the gate opens. */
        public Script gate(CountDownLatch gate) {
            steps.add(gate);
            return this;
        }

        /** An HTTP error before any event, as Bedrock answers a refused call. */
        public static Script refused(int status, String errorType, String message) {
            Script script = new Script();
            script.status = status;
            script.errorType = errorType;
            script.errorMessage = message;
            return script;
        }

        /** A text answer: messageStart, one delta per piece, stop, and the usage. */
        public static Script text(List<String> pieces, int inputTokens, int outputTokens) {
            Script script = new Script().event("messageStart", Map.of("role", "assistant"));
            for (String piece : pieces) {
                script.delta(0, piece);
            }
            return script.event("contentBlockStop", Map.of("contentBlockIndex", 0)).stop("end_turn")
                    .usage(inputTokens, outputTokens);
        }

        public Script delta(int block, String text) {
            return event("contentBlockDelta", Map.of("contentBlockIndex", block, "delta", Map.of("text", text)));
        }

        public Script stop(String reason) {
            return event("messageStop", Map.of("stopReason", reason));
        }

        public Script usage(int inputTokens, int outputTokens) {
            return event("metadata", Map.of("usage", Map.of("inputTokens", inputTokens, "outputTokens", outputTokens,
                    "totalTokens", inputTokens + outputTokens), "metrics", Map.of("latencyMs", 1)));
        }
    }

    private record Endless(byte[] event) {
    }

    private StreamingBedrock() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "streaming-bedrock");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public static StreamingBedrock start() throws IOException {
        return new StreamingBedrock();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public StreamingBedrock enqueue(Script script) {
        scripts.add(script);
        return this;
    }

    /**
     * Answers each request with the script made from its body (the ConverseStream JSON), instead of the
     * queue: for concurrent calls, which arrive in no particular order.
     */
    public StreamingBedrock answerWith(Function<String, Script> scripter) {
        this.scripter = scripter;
        return this;
    }

    /** The request paths, in order ({@code /model/<id>/converse-stream}). */
    public List<String> paths() {
        return List.copyOf(paths);
    }

    /** The request bodies (the ConverseStream JSON), in order. */
    public List<String> bodies() {
        return List.copyOf(bodies);
    }

    public boolean awaitClientClosed() throws InterruptedException {
        return clientClosed.await(RuntimeApiEmulator.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            paths.add(exchange.getRequestURI().getPath());
            String request = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(request);
            Function<String, Script> perRequest = scripter;
            Script script = perRequest != null ? perRequest.apply(request) : scripts.poll();
            if (script == null) {
                script = Script.refused(500, "InternalServerException", "no script left in the test's Bedrock stub");
            }
            exchange.getResponseHeaders().add("x-amzn-RequestId", "00000000-0000-0000-0000-000000000001");
            if (script.status != 200) {
                byte[] body = Json.writeBytes(Map.of("message", script.errorMessage));
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("x-amzn-ErrorType", script.errorType);
                exchange.sendResponseHeaders(script.status, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.amazon.eventstream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            try {
                for (Object step : script.steps) {
                    if (step instanceof CountDownLatch gate) {
                        gate.await(RuntimeApiEmulator.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    } else if (step instanceof Duration pause) {
                        Thread.sleep(pause.toMillis());
                    } else if (step instanceof Endless endless) {
                        long until = System.nanoTime() + RuntimeApiEmulator.PATIENCE.toNanos();
                        while (System.nanoTime() < until) {
                            out.write(endless.event());
                            out.flush();
                            Thread.sleep(5);
                        }
                    } else {
                        out.write((byte[]) step);
                        out.flush();
                    }
                }
                out.close();
            } catch (IOException e) {
                clientClosed.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static byte[] encode(String messageType, String type, Map<String, ?> payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":message-type", HeaderValue.fromString(messageType));
        headers.put(messageType.equals("event") ? ":event-type" : ":exception-type", HeaderValue.fromString(type));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        ByteBuffer buffer = new Message(headers, Json.writeBytes(payload)).toByteBuffer();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
