package io.llmgateway.backend.bench;

import com.sun.net.httpserver.HttpServer;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.contract.Route;
import io.llmgateway.infra.LambdaArchive;
import io.llmgateway.testing.ChildJvm;
import io.llmgateway.testing.ExtractedZip;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SnapStart readiness: what is left of a cold start once the snapshot is restored. On Lambda,
 * SnapStart takes init out of the cold start; the first invocation after restore still runs in a JVM
 * that has never served a request, and priming (the handler's CRaC {@code beforeCheckpoint} hook)
 * exists to make that cheap. Not a test: run it on demand (the compile phase builds the archives):
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -DmainClass=io.llmgateway.backend.bench.SnapStartBenchmark [-DmainArgs=RUNS]
 * </pre>
 *
 * <p>In one run, RUNS times (default 9) and alternately, fresh JVMs on each extracted archive with the
 * stack's {@code JAVA_TOOL_OPTIONS} ({@link SnapStartProbe}): the backend primed by its own hook, the
 * backend unprimed, both answering their first chat request from a Bedrock stub on loopback (the JDK's
 * HTTP server, answering at once, so that the second request's time is the handler's, not the stub's); the
 * authorizer primed and unprimed, answering their first event. Reported: medians of init, priming, the
 * first request's wall time and its thread's CPU time, the second request's wall time, the whole cold
 * start (spawning the JVM to the first answer, what a cold start costs without SnapStart), and the ratio
 * primed first request / unprimed first request (goal: a small fraction, &le; 0.2).
 *
 * <p>What this cannot see: Lambda's restore itself (reported by Lambda as Restore Duration), and what
 * restore invalidates (the function's network connections and credentials, which are fetched fresh).
 */
public final class SnapStartBenchmark {

    private static final String ANSWER = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":"
            + "[{\"text\":\"Hello!\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":9,"
            + "\"outputTokens\":2,\"totalTokens\":11},\"metrics\":{\"latencyMs\":1}}";
    private static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");
    private static final List<String> KEYS = List.of("initUs", "primingUs", "firstUs", "firstCpuUs", "secondUs");

    private SnapStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].trim()) : 9;
        Path backendZip = LambdaArchive.backend().zip();
        Path authorizerZip = LambdaArchive.authorizer().zip();
        for (Path zip : List.of(backendZip, authorizerZip)) {
            if (!Files.exists(zip)) {
                throw new IllegalStateException(zip + " is missing: run `mvn compile` first");
            }
        }
        BackendSettings settings = new BackendSettings(
                Map.of("claude-haiku", "anthropic.claude-3-haiku-20240307-v1:0"), 512, 4096, 1 << 20, 29_000,
                Map.of(Route.CHAT_COMPLETIONS.throttlePath(), 2.0));
        // The JDK's own server, answering at once: the first request's cost is then the child's, not the stub's.
        // Without TCP_NODELAY, Nagle's algorithm and delayed ACKs hold a keep-alive answer back by ~40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        byte[] answer = ANSWER.getBytes(StandardCharsets.UTF_8);
        stub.createContext("/model/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        stub.start();
        String stubUrl = "http://127.0.0.1:" + stub.getAddress().getPort();
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        Map<String, String> backendEnv = new LinkedHashMap<>(settings.toEnvironment());
        backendEnv.put("AWS_REGION", "eu-central-1");
        backendEnv.put("AWS_ACCESS_KEY_ID", "AKIDBENCH");
        backendEnv.put("AWS_SECRET_ACCESS_KEY", "bench-secret");
        backendEnv.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", stubUrl);
        backendEnv.put("PATH", path);
        backendEnv.put("JAVA_TOOL_OPTIONS", String.join(" ", LAMBDA_FLAGS));
        Map<String, String> authorizerEnv = Map.of("PATH", path, "JAVA_TOOL_OPTIONS", String.join(" ", LAMBDA_FLAGS));

        Map<String, List<Map<String, Long>>> results = new LinkedHashMap<>();
        try (ExtractedZip backend = ExtractedZip.of(backendZip); ExtractedZip authorizer = ExtractedZip.of(authorizerZip)) {
            List<Path> backendCp = backend.classpathWith(SnapStartProbe.class, HandlerProbe.class, AuthorizerProbe.class);
            List<Path> authorizerCp = authorizer.classpathWith(SnapStartProbe.class, HandlerProbe.class,
                    AuthorizerProbe.class);
            // One unmeasured run of each warms the OS page cache, as on a host that has run the image.
            run(backendCp, backendEnv, "backend", "unprimed", "chat.completion");
            run(authorizerCp, authorizerEnv, "authorizer", "unprimed", "usageIdentifierKey");
            for (int i = 0; i < runs; i++) {
                for (String mode : List.of("primed", "unprimed")) {
                    results.computeIfAbsent("backend " + mode, k -> new ArrayList<>())
                            .add(run(backendCp, backendEnv, "backend", mode, "chat.completion"));
                    results.computeIfAbsent("authorizer " + mode, k -> new ArrayList<>())
                            .add(run(authorizerCp, authorizerEnv, "authorizer", mode, "usageIdentifierKey"));
                }
            }
        } finally {
            stub.stop(0);
        }
        System.out.printf("SnapStart readiness, medians of %d fresh JVMs each (%s), microseconds:%n", runs,
                String.join(" ", LAMBDA_FLAGS));
        System.out.printf("  %-20s %10s %10s %10s %12s %10s %14s%n", "", "init", "priming", "first", "first CPU",
                "second", "spawn->first");
        // The whole cold start only means something unprimed: a primed JVM spent its priming before it.
        results.forEach((name, list) -> System.out.printf("  %-20s %10d %10d %10d %12d %10d %14s%n", name,
                median(list, "initUs"), median(list, "primingUs"), median(list, "firstUs"), median(list, "firstCpuUs"),
                median(list, "secondUs"), name.endsWith("unprimed") ? median(list, "coldMs") + " ms" : "-"));
        for (String function : List.of("backend", "authorizer")) {
            List<Map<String, Long>> primed = results.get(function + " primed");
            List<Map<String, Long>> unprimed = results.get(function + " unprimed");
            System.out.printf("  %s: primed first request / unprimed first request = %.3f (wall), %.3f (CPU); "
                            + "first requests per run, primed %s, unprimed %s%n", function,
                    (double) median(primed, "firstUs") / median(unprimed, "firstUs"),
                    (double) median(primed, "firstCpuUs") / median(unprimed, "firstCpuUs"),
                    primed.stream().map(r -> r.get("firstUs")).toList(),
                    unprimed.stream().map(r -> r.get("firstUs")).toList());
        }
    }

    private static Map<String, Long> run(List<Path> classpath, Map<String, String> env, String function, String mode,
                                         String expected) throws Exception {
        ChildJvm.Result result = ChildJvm.run(classpath, List.of(), env, SnapStartProbe.class.getName(), function, mode);
        if (result.exitCode() != 0 || result.responses().size() != 2
                || !result.responses().stream().allMatch(r -> r.contains(expected))) {
            throw new IllegalStateException(function + " " + mode + " failed: " + result.describe());
        }
        Map<String, Long> metrics = new LinkedHashMap<>(result.metrics());
        if (!metrics.keySet().containsAll(KEYS)) {
            throw new IllegalStateException("incomplete METRICS: " + metrics);
        }
        // The whole cold start without SnapStart: spawning the JVM to the first answer in hand.
        metrics.put("coldMs", metrics.get("respondedAtMs") - result.spawnedAtMs());
        return metrics;
    }

    private static long median(List<Map<String, Long>> runs, String key) {
        long[] values = runs.stream().mapToLong(r -> r.get(key)).sorted().toArray();
        return values[values.length / 2];
    }
}
