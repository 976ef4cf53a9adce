package io.llmgateway.local.bench;

import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.StackConfig;
import io.llmgateway.local.LocalGateway;
import io.llmgateway.local.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hostile clients of issue 23 against the local gateway, with the figures its acceptance names:
 * a well-behaved request's time while 300 connections stall in their headers and while 1,000 sockets
 * sit idle; the answer to a 60 KB header; the heap retained after 3,000 requests with distinct 380 KB
 * Authorization headers; and 200 concurrent 9.8 MB bodies at {@code maxRequestBytes} 10485760 (how
 * they were answered, whether anything ran out of memory, and the heap's peak). Written against the
 * gateway's public API only, so the same command measures any version of it.
 *
 * <pre>
 * mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx2g -cp target/classes:target/test-classes:$(cat target/cp.txt) io.llmgateway.local.bench.HostileClientsBenchmark
 * </pre>
 *
 * An argument names one probe ({@code stalled}, {@code idle}, {@code header}, {@code flood}, {@code bodies}).
 */
public final class HostileClientsBenchmark {

    static final String KEY = "bench-key-0123456789abcdef";
    static final int STALLED = 300;
    static final int IDLE = 1_000;
    static final int HEADER_FLOOD = 3_000;
    /** 380 KB unless {@code -Dflood.kb=N} says otherwise. */
    static final int HEADER_FLOOD_BYTES = Integer.getInteger("flood.kb", 380) * 1024;
    static final int BODIES = 200;
    static final int BODY_BYTES = 9_800_000;
    static final int MAX_REQUEST_BYTES = 10_485_760;

    private static final AtomicInteger OUT_OF_MEMORY = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof OutOfMemoryError) {
                OUT_OF_MEMORY.incrementAndGet();
            }
        });
        Set<String> probes = args.length == 0 ? Set.of("stalled", "idle", "header", "flood", "bodies") : Set.of(args);
        System.out.println("hostile clients against the local gateway (" + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + System.getProperty("java.version") + ", max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB)");
        if (probes.contains("stalled")) {
            stalledHeaders();
        }
        if (probes.contains("idle")) {
            idleSockets();
        }
        if (probes.contains("header")) {
            largeHeader();
        }
        if (probes.contains("flood")) {
            headerFlood();
        }
        if (probes.contains("bodies")) {
            bodyFlood();
        }
        System.exit(0);
    }

    static StackConfig config() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("stageName", "bench");
        values.put("stageRateLimit", "10000");
        values.put("stageBurstLimit", "5000");
        values.put("maxRequestBytes", Integer.toString(MAX_REQUEST_BYTES));
        values.put("authorizerCacheTtlSeconds", "300");
        values.put("models", Map.of("echo", "amazon.nova-micro-v1:0"));
        values.put("plans", Map.of("bench", Map.of("throttle", Map.of("rateLimit", 10000, "burstLimit", 5000))));
        values.put("clients", Map.of("bench", Map.of("plan", "bench", "apiKey", KEY)));
        return ConfigLoader.load(values, Set.of("clients")).config();
    }

    static LocalGateway start() throws IOException {
        return LocalGateway.builder(config()).start();
    }

    /** 300 connections that sent part of their headers and then nothing; then one normal request. */
    static void stalledHeaders() throws Exception {
        try (LocalGateway gateway = start(); Sockets held = new Sockets()) {
            for (int i = 0; i < STALLED; i++) {
                held.open(gateway, "POST " + path(gateway, "/chat/completions") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty");
            }
            Thread.sleep(500);
            Timed answer = normalRequest(gateway, 60_000);
            System.out.printf("stalled headers: %d connections held; a normal request then: %s in %.3f s%n",
                    held.size(), answer.outcome, answer.seconds);
        }
    }

    /** 1,000 sockets that sent nothing; then 20 normal requests, each on a connection of its own. */
    static void idleSockets() throws Exception {
        try (LocalGateway gateway = start(); Sockets held = new Sockets()) {
            int opened = 0;
            for (int i = 0; i < IDLE; i++) {
                if (held.open(gateway, "") != null) {
                    opened++;
                }
            }
            Thread.sleep(500);
            Map<String, Integer> outcomes = new TreeMap<>();
            double worst = 0;
            for (int i = 0; i < 20; i++) {
                Timed answer = normalRequest(gateway, 60_000);
                outcomes.merge(answer.outcome, 1, Integer::sum);
                worst = Math.max(worst, answer.seconds);
            }
            System.out.printf("idle sockets: %d open; 20 normal requests then: %s, slowest %.3f s%n", opened, outcomes, worst);
        }
    }

    /** One request whose headers hold a 60 KB header. */
    static void largeHeader() throws Exception {
        try (LocalGateway gateway = start()) {
            String request = "GET " + path(gateway, "/models") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + KEY + "\r\nX-Padding: " + "a".repeat(60 * 1024) + "\r\nConnection: close\r\n\r\n";
            System.out.println("a 60 KB header: " + exchange(gateway, request.getBytes(StandardCharsets.ISO_8859_1), 30_000));
        }
    }

    /** 3,000 requests with distinct 380 KB Authorization headers, 8 at a time; the heap retained after. */
    static void headerFlood() throws Exception {
        try (LocalGateway gateway = start()) {
            normalRequest(gateway, 10_000);
            long before = retainedHeap();
            Map<String, Integer> outcomes = new ConcurrentHashMap<>();
            ExecutorService clients = Executors.newFixedThreadPool(8);
            for (int i = 0; i < HEADER_FLOOD; i++) {
                clients.execute(() -> {
                    String token = randomToken(HEADER_FLOOD_BYTES);
                    String request = "GET " + path(gateway, "/models") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                            + token + "\r\nConnection: close\r\n\r\n";
                    outcomes.merge(exchange(gateway, request.getBytes(StandardCharsets.ISO_8859_1), 30_000), 1, Integer::sum);
                });
            }
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.MINUTES);
            long after = retainedHeap();
            System.out.printf("header flood: %d requests with distinct %d KB Authorization headers: %s; retained heap "
                    + "%.1f MB before, %.1f MB after (%+.1f MB)%n", HEADER_FLOOD, HEADER_FLOOD_BYTES / 1024,
                    new TreeMap<>(outcomes), before / 1e6, after / 1e6, (after - before) / 1e6);
        }
    }

    /** 200 bodies of 9.8 MB at once; how they were answered, errors out of memory, the heap's peak. */
    static void bodyFlood() throws Exception {
        try (LocalGateway gateway = start()) {
            byte[] body = new byte[BODY_BYTES];
            Arrays.fill(body, (byte) 'a');
            byte[] head = ("POST " + path(gateway, "/chat/completions") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                    + "Bearer " + KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY_BYTES
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            retainedHeap();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            Map<String, Integer> outcomes = new ConcurrentHashMap<>();
            CountDownLatch done = new CountDownLatch(BODIES);
            long started = System.nanoTime();
            for (int i = 0; i < BODIES; i++) {
                Thread client = new Thread(() -> {
                    try {
                        outcomes.merge(exchange(gateway, head, body, 300_000), 1, Integer::sum);
                    } finally {
                        done.countDown();
                    }
                });
                client.setDaemon(true);
                client.start();
            }
            done.await(30, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - started) / 1e9;
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            Timed after = normalRequest(gateway, 60_000);
            System.out.printf("body flood: %d x %.1f MB at once: %s in %.1f s; OutOfMemoryError %d; heap peak %.0f MB "
                    + "(sum of pool peaks); a normal request after: %s%n", BODIES, BODY_BYTES / 1e6, new TreeMap<>(outcomes),
                    seconds, OUT_OF_MEMORY.get(), peak / 1e6, after.outcome);
        }
    }

    record Timed(String outcome, double seconds) {
    }

    static Timed normalRequest(LocalGateway gateway, int timeoutMs) {
        String request = "GET " + path(gateway, "/models") + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
                + "\r\nConnection: close\r\n\r\n";
        long started = System.nanoTime();
        String outcome = exchange(gateway, request.getBytes(StandardCharsets.ISO_8859_1), timeoutMs);
        return new Timed(outcome, (System.nanoTime() - started) / 1e9);
    }

    static String path(LocalGateway gateway, String route) {
        return gateway.baseUrl().getPath() + route;
    }

    static String exchange(LocalGateway gateway, byte[] request, int timeoutMs) {
        return exchange(gateway, request, new byte[0], timeoutMs);
    }

    /** The status line's code, or what went wrong instead (a reset, a timeout, a close without an answer). */
    static String exchange(LocalGateway gateway, byte[] head, byte[] body, int timeoutMs) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.baseUrl().getPort())) {
            socket.setSoTimeout(timeoutMs);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            try {
                out.write(head);
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // The gateway may answer and close before the whole body is sent: read what it said.
            }
            String status = RawHttp.statusLine(in);
            in.transferTo(OutputStream.nullOutputStream());
            return status == null ? "closed without an answer" : status.split(" ")[1];
        } catch (java.net.SocketTimeoutException e) {
            return "no answer within " + timeoutMs / 1000 + " s";
        } catch (IOException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    static String randomToken(int length) {
        char[] chars = new char[length];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < length; i++) {
            chars[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(chars);
    }

    /** Heap in use after full collections: what the gateway keeps. */
    static long retainedHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Open sockets the probe holds, closed at the end. */
    static final class Sockets implements AutoCloseable {
        private final List<Socket> sockets = new ArrayList<>();

        Socket open(LocalGateway gateway, String firstBytes) {
            try {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.baseUrl().getPort());
                if (!firstBytes.isEmpty()) {
                    socket.getOutputStream().write(firstBytes.getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                }
                sockets.add(socket);
                return socket;
            } catch (IOException e) {
                return null;
            }
        }

        int size() {
            return sockets.size();
        }

        @Override
        public void close() {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
