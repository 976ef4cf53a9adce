package io.llmgateway.local;

import io.llmgateway.backend.runtime.HttpWire;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Lambda Runtime API on a loopback socket, including what AWS's runtime interface emulator cannot
 * do (aws-lambda-runtime-interface-emulator#175): streamed responses, with every chunk handed over as
 * it arrives and the trailers kept. The local gateway runs the backend's real runtime client against it
 * ({@link LocalRuntime}), so a streaming route streams through the code that runs on Lambda; tests
 * enqueue invocations, run a runtime client against {@link #address()} and read each {@link Call}'s
 * outcome. Also the init error path and
 * SnapStart's {@code /runtime/restore/next}, which blocks until {@link #releaseRestore()}.
 *
 * <p>It is strict where Lambda's documentation is: a streamed response must say
 * {@code Lambda-Runtime-Function-Response-Mode: streaming} with chunked transfer coding and declare
 * every trailer it sends in its {@code Trailer} field; an answer must name a pending request id, once.
 * Breaches are answered 400 or 404 and listed in {@link #violations()}.
 */
public final class RuntimeApiEmulator implements AutoCloseable {

    private static final String BASE = "/2018-06-01/runtime";
    /** Long enough for any healthy exchange on loopback, short enough that a broken test ends. */
    public static final Duration PATIENCE = Duration.ofSeconds(10);

    private final ServerSocket server;
    private final BlockingQueue<Call> pending = new LinkedBlockingQueue<>();
    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Report> initErrors = new CopyOnWriteArrayList<>();
    private final List<Report> restoreErrors = new CopyOnWriteArrayList<>();
    private final CountDownLatch restoreRequested = new CountDownLatch(1);
    private final CountDownLatch firstNext = new CountDownLatch(1);
    private volatile long firstNextNanos;
    private final CountDownLatch restoreReleased = new CountDownLatch(1);
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger nextRequests = new AtomicInteger();
    private volatile boolean chunkedEvents;
    private volatile boolean closed;

    private RuntimeApiEmulator() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "runtime-api-emulator");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static RuntimeApiEmulator start() throws IOException {
        return new RuntimeApiEmulator();
    }

    /** The value of {@code AWS_LAMBDA_RUNTIME_API}. */
    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    /** Sends events with chunked transfer coding instead of a Content-Length. */
    public RuntimeApiEmulator chunkedEvents() {
        this.chunkedEvents = true;
        return this;
    }

    /** An invocation with a 30 s deadline from now and no trace header. */
    public Call enqueue(byte[] event) {
        return enqueue(event, System.currentTimeMillis() + 30_000, null);
    }

    public Call enqueue(byte[] event, long deadlineEpochMs, String traceId) {
        Call call = new Call("req-" + ids.incrementAndGet(), event, deadlineEpochMs, traceId);
        calls.put(call.requestId, call);
        pending.add(call);
        return call;
    }

    /** How many {@code GET next} requests arrived (a waiting one included). */
    public int nextRequests() {
        return nextRequests.get();
    }

    /** Waits for the first {@code GET next}: a runtime has finished its init. @return its System.nanoTime, or -1 */
    public long awaitFirstNext(Duration patience) throws InterruptedException {
        return firstNext.await(patience.toMillis(), TimeUnit.MILLISECONDS) ? firstNextNanos : -1;
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    public List<Report> initErrors() {
        return List.copyOf(initErrors);
    }

    public List<Report> restoreErrors() {
        return List.copyOf(restoreErrors);
    }

    /** Waits for the runtime's {@code GET /runtime/restore/next}. */
    public boolean awaitRestoreRequested() throws InterruptedException {
        return restoreRequested.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean restoreRequested() {
        return restoreRequested.getCount() == 0;
    }

    /** Answers {@code /runtime/restore/next}: the snapshot has been "restored". */
    public void releaseRestore() {
        restoreReleased.countDown();
    }

    /** An error posted to an error path: its {@code Lambda-Runtime-Function-Error-Type} and JSON body. */
    public record Report(String errorType, String body) {
    }

    /** How a call was answered. */
    public enum Mode { BUFFERED, STREAMED, ERROR }

    /**
     * One invocation: what the runtime answered, the chunks of a streamed answer as they arrive, and
     * the raw bytes of the answer's request as they came off the socket.
     */
    public static final class Call {
        private final String requestId;
        private final byte[] event;
        private final long deadlineEpochMs;
        private final String traceId;
        private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private final CountDownLatch dropped = new CountDownLatch(1);
        private volatile boolean answered;
        private volatile boolean dropAfterFirstChunk;

        private Call(String requestId, byte[] event, long deadlineEpochMs, String traceId) {
            this.requestId = requestId;
            this.event = event;
            this.deadlineEpochMs = deadlineEpochMs;
            this.traceId = traceId;
        }

        public String requestId() {
            return requestId;
        }

        /** The next chunk of a streamed answer, waiting for it to arrive. */
        public byte[] awaitChunk() throws InterruptedException, TimeoutException {
            byte[] chunk = chunks.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            if (chunk == null) {
                throw new TimeoutException("no chunk from " + requestId + " within " + PATIENCE);
            }
            return chunk;
        }

        /** The next chunk of a streamed answer, or null when none came within the wait. */
        public byte[] pollChunk(long timeout, TimeUnit unit) throws InterruptedException {
            return chunks.poll(timeout, unit);
        }

        /** The complete answer. */
        public Outcome awaitOutcome() throws InterruptedException, TimeoutException {
            try {
                return outcome.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }

        public boolean isAnswered() {
            return outcome.isDone();
        }

        /**
         * Closes the connection of a streamed answer once its first chunk is in, as Lambda would when
         * the caller goes away; the call then has no outcome.
         */
        public Call dropAfterFirstChunk() {
            this.dropAfterFirstChunk = true;
            return this;
        }

        /** Waits until the connection was dropped. */
        public boolean awaitDropped() throws InterruptedException {
            return dropped.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * @param mode     how the runtime answered
     * @param headers  the answer's request header fields
     * @param body     the whole body (for ERROR, the error JSON)
     * @param chunks   a streamed body's chunks, in order
     * @param trailers a streamed body's trailer fields
     * @param raw      the request as it came off the wire: head, framing and body
     */
    public record Outcome(Mode mode, Map<String, List<String>> headers, byte[] body, List<byte[]> chunks,
                          Map<String, List<String>> trailers, byte[] raw) {
        public String header(String name) {
            return HttpWire.first(headers, name);
        }

        public String trailer(String name) {
            return HttpWire.first(trailers, name);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                // Answers go out whole and at once: with Nagle's algorithm a client that keeps its
                // connection would wait for delayed acknowledgements.
                socket.setTcpNoDelay(true);
                connections.add(socket);
                Thread worker = new Thread(() -> serve(socket), "runtime-api-emulator-connection");
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Copies what is read into a buffer, so a request's raw bytes can be kept. */
    private static final class Recording extends FilterInputStream {
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        Recording(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                seen.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                seen.write(b, off, n);
            }
            return n;
        }

        byte[] take() {
            byte[] bytes = seen.toByteArray();
            seen.reset();
            return bytes;
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            Recording in = new Recording(socket.getInputStream());
            // A read returns what has arrived, so a chunk is decoded as soon as its bytes are here. The
            // recording below the buffer holds the raw bytes of the request being served: a client sends
            // the next one only once it has the answer.
            InputStream buffered = new BufferedInputStream(in, 8192);
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
            String requestLine;
            while ((requestLine = HttpWire.readLine(buffered)) != null) {
                String[] parts = requestLine.split(" ");
                Map<String, List<String>> headers = HttpWire.readFields(buffered);
                if (!route(parts[0], parts.length > 1 ? parts[1] : "", headers, buffered, in, out)) {
                    return;
                }
                in.take(); // a client sends its next request only after the answer: the next bytes are its

            }
        } catch (IOException | InterruptedException e) {
            // The runtime or the test closed the connection.
        } finally {
            connections.remove(socket);
        }
    }

    /** @return whether the connection may carry another request */
    private boolean route(String method, String path, Map<String, List<String>> headers, InputStream in,
                          Recording raw, OutputStream out) throws IOException, InterruptedException {
        if (method.equals("GET") && path.equals(BASE + "/invocation/next")) {
            if (nextRequests.incrementAndGet() == 1) {
                firstNextNanos = System.nanoTime();
                firstNext.countDown();
            }
            Call call;
            while ((call = pending.poll(20, TimeUnit.MILLISECONDS)) == null) {
                if (closed) {
                    return false;
                }
            }
            respondEvent(out, call);
            return keepAlive(headers);
        }
        if (method.equals("GET") && path.equals(BASE + "/restore/next")) {
            restoreRequested.countDown();
            restoreReleased.await();
            respond(out, 200, "");
            return keepAlive(headers);
        }
        if (method.equals("POST") && path.equals(BASE + "/init/error")) {
            initErrors.add(report(headers, in));
            respond(out, 202, "{\"status\":\"OK\"}");
            return keepAlive(headers);
        }
        if (method.equals("POST") && path.equals(BASE + "/restore/error")) {
            restoreErrors.add(report(headers, in));
            respond(out, 202, "{\"status\":\"OK\"}");
            return keepAlive(headers);
        }
        if (method.equals("POST") && path.startsWith(BASE + "/invocation/")) {
            String[] segments = path.substring((BASE + "/invocation/").length()).split("/");
            Call call = segments.length == 2 ? calls.get(segments[0]) : null;
            if (call == null || call.answered) {
                HttpWire.readBody(in, headers, false, null, null);
                return refuse(out, 400, "answer for an unknown or answered request: " + path);
            }
            call.answered = true;
            if (segments[1].equals("error")) {
                Report report = report(headers, in);
                call.outcome.complete(new Outcome(Mode.ERROR, headers, report.body().getBytes(StandardCharsets.UTF_8),
                        List.of(), Map.of(), raw.take()));
            } else if (segments[1].equals("response")) {
                if (!answer(call, headers, in, raw, out)) {
                    return false;
                }
            } else {
                return refuse(out, 404, "no such path: " + path);
            }
            respond(out, 202, "{\"status\":\"OK\"}");
            return keepAlive(headers);
        }
        return refuse(out, 404, "no such path: " + method + " " + path);
    }

    private boolean answer(Call call, Map<String, List<String>> headers, InputStream in, Recording raw,
                           OutputStream out) throws IOException {
        boolean streaming = "streaming".equals(HttpWire.first(headers, "Lambda-Runtime-Function-Response-Mode"));
        String encoding = HttpWire.first(headers, "Transfer-Encoding");
        if (streaming && (encoding == null || !encoding.equalsIgnoreCase("chunked"))) {
            return refuse(out, 400, "a streamed response without chunked transfer coding");
        }
        List<byte[]> chunks = Collections.synchronizedList(new ArrayList<>());
        Map<String, List<String>> trailers = HttpWire.newFields();
        byte[] body;
        try {
            body = HttpWire.readBody(in, headers, false, chunk -> {
                chunks.add(chunk);
                call.chunks.add(chunk);
                if (call.dropAfterFirstChunk) {
                    throw new IOException("dropped");
                }
            }, trailers);
        } catch (IOException e) {
            if (call.dropAfterFirstChunk) {
                in.close(); // closes the socket
                call.dropped.countDown();
                return false;
            }
            throw e;
        }
        List<String> declared = new ArrayList<>();
        for (String value : headers.getOrDefault("Trailer", List.of())) {
            for (String name : value.split(",")) {
                declared.add(name.trim().toLowerCase());
            }
        }
        for (String name : trailers.keySet()) {
            if (!declared.contains(name.toLowerCase())) {
                violations.add("trailer " + name + " was not declared in the Trailer field");
            }
        }
        call.outcome.complete(new Outcome(streaming ? Mode.STREAMED : Mode.BUFFERED, headers, body,
                List.copyOf(chunks), trailers, raw.take()));
        return true;
    }

    private static Report report(Map<String, List<String>> headers, InputStream in) throws IOException {
        byte[] body = HttpWire.readBody(in, headers, false, null, null);
        return new Report(HttpWire.first(headers, "Lambda-Runtime-Function-Error-Type"),
                new String(body, StandardCharsets.UTF_8));
    }

    private void respondEvent(OutputStream out, Call call) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Lambda-Runtime-Aws-Request-Id: ").append(call.requestId).append("\r\n")
                .append("Lambda-Runtime-Deadline-Ms: ").append(call.deadlineEpochMs).append("\r\n")
                .append("Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:eu-central-1:123456789012:function:emulated:live\r\n");
        if (call.traceId != null) {
            head.append("Lambda-Runtime-Trace-Id: ").append(call.traceId).append("\r\n");
        }
        if (chunkedEvents) {
            out.write(head.append("Transfer-Encoding: chunked\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            int half = call.event.length / 2;
            HttpWire.writeChunk(out, call.event, 0, half);
            HttpWire.writeChunk(out, call.event, half, call.event.length - half);
            HttpWire.writeLastChunk(out, Map.of());
        } else {
            out.write(head.append("Content-Length: ").append(call.event.length).append("\r\n\r\n").toString()
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(call.event);
        }
        out.flush();
    }

    private static void respond(OutputStream out, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 " + status + " " + (status < 300 ? "OK" : "Refused") + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    private boolean refuse(OutputStream out, int status, String violation) throws IOException {
        violations.add(violation);
        respond(out, status, "{\"errorMessage\":\"" + violation.replace("\"", "'") + "\"}");
        return false;
    }

    private static boolean keepAlive(Map<String, List<String>> headers) {
        return !"close".equalsIgnoreCase(HttpWire.first(headers, "Connection"));
    }

    /** Stops accepting and drops every connection: a runtime waiting for its next invocation sees the end. */
    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        restoreReleased.countDown();
        for (Socket socket : connections) {
            socket.close();
        }
    }
}
