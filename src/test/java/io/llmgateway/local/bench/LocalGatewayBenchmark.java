package io.llmgateway.local.bench;

import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.StackConfig;
import io.llmgateway.common.Json;
import io.llmgateway.local.LocalGateway;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Load on the local gateway with the built-in model, from a small open-loop generator on
 * keep-alive connections (latency counts from each request's scheduled time, so a stalled server
 * cannot hide its queueing). Prints requests per second, client latency, the gateway's own time per
 * request (access-log responseLatency minus integrationLatency), and the limit accuracy at five
 * times a plan's rate in real time: the one real-time check of the limits, which the test suite drives
 * from a fake clock instead. The argument is the seconds per measured run (default 10).
 *
 * <pre>mvn -B -q test-compile exec:java -Dexec.classpathScope=test -DmainClass=io.llmgateway.local.bench.LocalGatewayBenchmark -DmainArgs=10</pre>
 */
public final class LocalGatewayBenchmark {

    /** The bench client's key, supplied in its config as a stack would supply it. */
    static final String KEY = "bench-key-0123456789abcdef";

    static final String BODY = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the benefits of token buckets.\"}]}";

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        System.out.println("local gateway benchmark (" + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ")");

        AccessLog log = new AccessLog();
        try (LocalGateway gateway = start(config(100_000, 100_000), log)) {
            String key = KEY;
            String path = gateway.baseUrl().getPath() + "/chat/completions";
            run(gateway, path, key, 500, 3, 8); // warm-up
            log.clear();
            Result fixed = run(gateway, path, key, 1000, seconds, 16);
            System.out.printf("open loop at 1000 req/s for %d s: %d requests, %.0f req/s achieved, %d non-200%n",
                    seconds, fixed.latenciesNanos.length, fixed.throughput, fixed.errors);
            System.out.printf("  client latency  p50 %.3f ms  p99 %.3f ms  max %.3f ms%n",
                    pct(fixed.latenciesNanos, 50) / 1e6, pct(fixed.latenciesNanos, 99) / 1e6, pct(fixed.latenciesNanos, 100) / 1e6);
            double[] overhead = log.overheadMillis();
            double[] integration = log.integrationMillis();
            System.out.printf("  gateway's own time (responseLatency - integrationLatency)  p50 %.3f ms  p99 %.3f ms  (n=%d)%n",
                    pct(overhead, 50), pct(overhead, 99), overhead.length);
            System.out.printf("  backend handler + echo model (integrationLatency)         p50 %.3f ms  p99 %.3f ms%n",
                    pct(integration, 50), pct(integration, 99));
            Result closed = run(gateway, path, key, 0, 5, 8);
            System.out.printf("closed loop, 8 connections, 5 s: %.0f req/s, p50 %.3f ms, p99 %.3f ms%n",
                    closed.throughput, pct(closed.latenciesNanos, 50) / 1e6, pct(closed.latenciesNanos, 99) / 1e6);
        }

        double rate = 100;
        int burst = 100;
        int accuracySeconds = seconds;
        try (LocalGateway gateway = start(config(rate, burst), new AccessLog())) {
            String key = KEY;
            String path = gateway.baseUrl().getPath() + "/models";
            Result limited = run(gateway, path, key, (int) (rate * 5), accuracySeconds, 8);
            double expected = rate * limited.elapsedSeconds + burst;
            System.out.printf("limit accuracy: rate %.0f, burst %d, offered %.0f req/s for %.2f s: accepted %d, expected %.0f (r*T+b), ratio %.4f%n",
                    rate, burst, rate * 5, limited.elapsedSeconds, limited.ok, expected, limited.ok / expected);
        }
    }

    static StackConfig config(double rate, int burst) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("stageName", "bench");
        values.put("stageRateLimit", "10000");
        values.put("stageBurstLimit", "5000");
        values.put("models", Map.of("echo", "amazon.nova-micro-v1:0"));
        values.put("plans", Map.of("bench", Map.of("throttle", Map.of("rateLimit", rate, "burstLimit", burst))));
        values.put("clients", Map.of("bench", Map.of("plan", "bench", "apiKey", KEY)));
        return ConfigLoader.load(values, Set.of("clients")).config(); // the key as a secret, as the stack holds it
    }

    /** The echo model on the real clock; the functions' own log lines are dropped, the access log is kept. */
    static LocalGateway start(StackConfig config, AccessLog log) throws IOException {
        return LocalGateway.builder(config).accessLog(log::add).start();
    }

    record Result(long[] latenciesNanos, int ok, int errors, double throughput, double elapsedSeconds) {
    }

    /**
     * @param rate 0 for closed loop (each connection sends as soon as its last answer arrived)
     */
    static Result run(LocalGateway gateway, String path, String key, int rate, int seconds, int connections) throws Exception {
        byte[] request = ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY.getBytes(StandardCharsets.UTF_8).length
                + "\r\n\r\n" + BODY).getBytes(StandardCharsets.UTF_8);
        if (path.endsWith("/models")) {
            request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key + "\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8);
        }
        byte[] bytes = request;
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long start = System.nanoTime() + 50_000_000L;
        long end = start + seconds * 1_000_000_000L;
        long[] lastSent = new long[connections];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            Thread t = new Thread(() -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.baseUrl().getPort())) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    long interval = rate == 0 ? 0 : 1_000_000_000L * connections / rate;
                    long scheduled = start + (rate == 0 ? 0 : interval * connection / connections);
                    while (true) {
                        long now = System.nanoTime();
                        if (rate == 0) {
                            scheduled = now;
                        } else if (scheduled > now) {
                            long wait = scheduled - now;
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                        if (scheduled >= end) {
                            break;
                        }
                        lastSent[connection] = Math.max(System.nanoTime(), scheduled);
                        out.write(bytes);
                        out.flush();
                        int status = readResponse(in);
                        latencies.add(System.nanoTime() - scheduled);
                        (status == 200 ? ok : errors).incrementAndGet();
                        scheduled += interval;
                    }
                } catch (IOException | InterruptedException e) {
                    throw new RuntimeException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long lastSend = Arrays.stream(lastSent).max().orElse(end);
        double elapsed = (Math.min(end, lastSend) - start) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Result(sorted, ok.get(), errors.get(), sorted.length / ((end - start) / 1e9), elapsed);
    }

    /** Reads one HTTP/1.1 response with a Content-Length (or none) and returns its status. */
    static int readResponse(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        int length = 0;
        String header;
        while (!(header = line(in)).isEmpty()) {
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                length = Integer.parseInt(header.substring(colon + 1).trim());
            }
        }
        in.readNBytes(length);
        return status;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b < 0 && line.size() == 0) {
            throw new IOException("connection closed");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)];
    }

    /** Collects the gateway's access-log lines. */
    static final class AccessLog {
        private final ConcurrentLinkedQueue<String> lines = new ConcurrentLinkedQueue<>();

        void add(String line) {
            lines.add(line);
        }

        void clear() {
            lines.clear();
        }

        double[] overheadMillis() throws IOException {
            return values(true);
        }

        double[] integrationMillis() throws IOException {
            return values(false);
        }

        private double[] values(boolean overhead) throws IOException {
            List<Double> values = new ArrayList<>();
            for (String line : lines) {
                Map<String, Object> entry = Json.readObject(line);
                Object response = entry.get("responseLatency");
                Object integration = entry.get("integrationLatency");
                if (response instanceof Number r && integration instanceof Number i) {
                    values.add(overhead ? r.doubleValue() - i.doubleValue() : i.doubleValue());
                }
            }
            return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }
    }
}
