package io.llmgateway.backend.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.llmgateway.backend.runtime.HttpHandler;
import io.llmgateway.backend.runtime.HttpWire;
import io.llmgateway.backend.runtime.ResponseMode;
import io.llmgateway.backend.runtime.ResponseModes;
import io.llmgateway.backend.runtime.RuntimeApi;
import io.llmgateway.backend.runtime.RuntimeLoop;
import io.llmgateway.backend.runtime.RuntimeMain;
import io.llmgateway.backend.runtime.CheckpointHooks;
import io.llmgateway.local.RuntimeApiEmulator;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The runtime client's own costs (io.llmgateway.backend.runtime), against the Runtime API emulator on
 * loopback. Not a test: run it on demand.
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -DmainClass=io.llmgateway.backend.bench.RuntimeClientBenchmark [-DmainArgs=RUNS]
 * </pre>
 *
 * <ul>
 *   <li><b>per streamed chunk</b> (in this JVM): a STREAMED handler writes and flushes 20,000 SSE-sized
 *       chunks (120 bytes); the time its write-and-flush loop takes, per chunk, against the floor: the same
 *       bytes, chunk-framed, written and flushed on a plain loopback socket to a reader that discards them.</li>
 *   <li><b>per buffered invocation</b> and <b>start-up</b> (fresh JVMs, the function's flags
 *       {@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -XX:+UseSerialGC}): the same trivial
 *       {@code RequestStreamHandler} under AWS's Java runtime interface client ({@value #RIC_MAIN}, the
 *       client the managed java21 runtime runs) and under {@code RuntimeMain}. Start-up is from spawning the
 *       JVM to its first {@code GET /runtime/invocation/next} (the handler built); per invocation is the
 *       round trip the emulator sees, from handing over the event to receiving the response, over 2,000
 *       invocations after 500 to warm up.</li>
 * </ul>
 * RUNS (default 3) rounds alternate the two clients; medians are printed.
 */
public final class RuntimeClientBenchmark {

    static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final int CHUNKS = 20_000;
    private static final byte[] CHUNK = ("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok\"}}]}\n\n").getBytes(StandardCharsets.UTF_8);
    private static final int WARM_UP = 500;
    private static final int INVOCATIONS = 2_000;

    private RuntimeClientBenchmark() {
    }

    /** The handler both clients run: a small JSON answer. */
    public static final class Echo implements RequestStreamHandler {
        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
            int length = input.readAllBytes().length;
            output.write(("{\"statusCode\":200,\"body\":\"" + length + "\"}").getBytes(StandardCharsets.UTF_8));
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Double> clientChunk = new ArrayList<>();
        List<Double> rawChunk = new ArrayList<>();
        List<Double> ricStart = new ArrayList<>();
        List<Double> ownStart = new ArrayList<>();
        List<Double> ricInvocation = new ArrayList<>();
        List<Double> ownInvocation = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            clientChunk.add(streamedChunkNanos());
            rawChunk.add(rawSocketChunkNanos());
            double[] ric = childJvm(true);
            double[] own = childJvm(false);
            ricStart.add(ric[0]);
            ricInvocation.add(ric[1]);
            ownStart.add(own[0]);
            ownInvocation.add(own[1]);
        }
        System.out.printf("runtime client benchmark, %d runs, medians%n", runs);
        System.out.printf("  per streamed chunk (%d B, write + flush): client %.1f us, raw loopback socket %.1f us,"
                + " ratio %.2f%n", CHUNK.length, median(clientChunk) / 1e3, median(rawChunk) / 1e3,
                median(clientChunk) / median(rawChunk));
        System.out.printf("  start-up to first next: AWS runtime interface client %.0f ms, this client %.0f ms,"
                + " ratio %.2f%n", median(ricStart), median(ownStart), median(ownStart) / median(ricStart));
        System.out.printf("  per buffered invocation (round trip at the Runtime API): AWS runtime interface client"
                + " %.0f us, this client %.0f us, ratio %.2f%n", median(ricInvocation), median(ownInvocation),
                median(ownInvocation) / median(ricInvocation));
    }

    /** Nanoseconds per write-and-flush of one chunk in a STREAMED handler. */
    private static double streamedChunkNanos() throws Exception {
        long[] measured = new long[1];
        HttpHandler handler = (invocation, response) -> {
            int count = invocation.event().length == 1 ? 2_000 : CHUNKS;
            OutputStream body = response.body();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                body.write(CHUNK);
                body.flush();
            }
            measured[0] = (System.nanoTime() - start) / count;
        };
        try (RuntimeApiEmulator emulator = RuntimeApiEmulator.start()) {
            Thread loop = new Thread(() -> new RuntimeLoop(new RuntimeApi(emulator.address()), line -> { })
                    .run(() -> new RuntimeLoop.Function(handler, ResponseModes.always(ResponseMode.STREAMED)), false,
                            CheckpointHooks.NONE), "bench-runtime-loop");
            loop.setDaemon(true);
            loop.start();
            emulator.enqueue(new byte[] {'w'}).awaitOutcome(); // warm-up
            emulator.enqueue(new byte[] {'{', '}'}).awaitOutcome();
            return measured[0];
        }
    }

    /** The floor: chunk-framed bytes written and flushed on a plain loopback socket to a draining reader. */
    private static double rawSocketChunkNanos() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread drain = new Thread(() -> {
                try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // done
                }
            }, "bench-drain");
            drain.setDaemon(true);
            drain.start();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                socket.setTcpNoDelay(true);
                OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
                for (int i = 0; i < 2_000; i++) {
                    HttpWire.writeChunk(out, CHUNK, 0, CHUNK.length);
                    out.flush();
                }
                long start = System.nanoTime();
                for (int i = 0; i < CHUNKS; i++) {
                    HttpWire.writeChunk(out, CHUNK, 0, CHUNK.length);
                    out.flush();
                }
                return (double) (System.nanoTime() - start) / CHUNKS;
            }
        }
    }

    /** {start-up ms, per-invocation us} of one client in a fresh JVM. */
    private static double[] childJvm(boolean awsClient) throws Exception {
        List<String> classpath = classpathEntries().stream()
                .filter(entry -> entry.endsWith("test-classes") || entry.endsWith("classes")
                        || entry.contains("aws-lambda-java") || entry.contains("crac")
                        || entry.contains("jackson-core") || entry.contains("jackson-jr") || entry.contains("utils-lite"))
                .filter(entry -> awsClient ? !entry.endsWith(File.separator + "classes") : !entry.contains("runtime-interface"))
                .toList();
        try (ChildRuntime child = ChildRuntime.start(classpath, List.of(), awsClient ? RIC_MAIN : RuntimeMain.class.getName(),
                Echo.class.getName() + "::handleRequest", Map.of("AWS_REGION", "eu-central-1"))) {
            byte[] event = "{\"httpMethod\":\"GET\",\"path\":\"/v1/models\"}".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < WARM_UP; i++) {
                child.emulator.enqueue(event).awaitOutcome();
            }
            long start = System.nanoTime();
            for (int i = 0; i < INVOCATIONS; i++) {
                child.emulator.enqueue(event).awaitOutcome();
            }
            double perInvocationMicros = (System.nanoTime() - start) / 1e3 / INVOCATIONS;
            if (!child.emulator.violations().isEmpty()) {
                throw new IllegalStateException("protocol violations: " + child.emulator.violations());
            }
            return new double[] {child.startMillis(), perInvocationMicros};
        }
    }

    /** This JVM's classpath: exec:java puts the project's on a URLClassLoader, a plain JVM on java.class.path. */
    static List<String> classpathEntries() throws Exception {
        if (Thread.currentThread().getContextClassLoader() instanceof java.net.URLClassLoader loader
                && loader.getURLs().length > 0) {
            List<String> entries = new ArrayList<>();
            for (java.net.URL url : loader.getURLs()) {
                entries.add(Path.of(url.toURI()).toString());
            }
            return entries;
        }
        return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
    }
}
