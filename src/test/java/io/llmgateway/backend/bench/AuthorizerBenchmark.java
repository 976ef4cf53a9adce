package io.llmgateway.backend.bench;

import io.llmgateway.backend.authorizer.ApiKeyAuthorizer;
import io.llmgateway.infra.LambdaArchive;
import io.llmgateway.testing.ChildJvm;
import io.llmgateway.testing.ExtractedZip;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cold and warm cost of the API-key authorizer, on its built archive. Not a test: run it on demand
 * (the compile phase builds the archive first):
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -DmainClass=io.llmgateway.backend.bench.AuthorizerBenchmark [-DmainArgs=RUNS]
 * </pre>
 *
 * <p>RUNS times (default 9), alternately, a fresh JVM on the authorizer archive's classpath with the
 * flags the stack gives the function answers one REQUEST event ({@link AuthorizerProbe}), and a fresh
 * JVM on default flags prints one line ({@link HelloProbe}), the floor. The cold first-response time
 * is wall time from spawning the process to the moment the answer (or the line) is in hand, so it
 * counts JVM start-up; medians are compared (goal: authorizer &le; 3 &times; the floor). Then, in this
 * JVM, the warm time per call (goal: p99 &le; 0.2 ms).
 */
public final class AuthorizerBenchmark {

    private static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

    private AuthorizerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].trim()) : 9;
        Path zip = LambdaArchive.authorizer().zip();
        if (!Files.exists(zip)) {
            throw new IllegalStateException(zip + " is missing: run `mvn compile` first");
        }
        Map<String, String> env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        Map<String, String> lambdaEnv = Map.of("PATH", env.get("PATH"), "JAVA_TOOL_OPTIONS", String.join(" ", LAMBDA_FLAGS));
        List<long[]> authorizer = new ArrayList<>();
        List<long[]> floor = new ArrayList<>();
        try (ExtractedZip archive = ExtractedZip.of(zip)) {
            List<Path> classpath = archive.classpathWith(AuthorizerProbe.class, HelloProbe.class, ProbeMetrics.class);
            ChildJvm.run(classpath, List.of(), lambdaEnv, AuthorizerProbe.class.getName());
            ChildJvm.run(classpath, List.of(), env, HelloProbe.class.getName());
            for (int i = 0; i < runs; i++) {
                authorizer.add(measure(ChildJvm.run(classpath, List.of(), lambdaEnv, AuthorizerProbe.class.getName()),
                        "usageIdentifierKey"));
                floor.add(measure(ChildJvm.run(classpath, List.of(), env, HelloProbe.class.getName()), "hello"));
            }
        }
        long authorizerWall = median(authorizer, 0);
        long floorWall = median(floor, 0);
        System.out.printf("Authorizer cold start, median of %d (wall = process spawn to first response; CPU = process CPU time):%n", runs);
        System.out.printf("  authorizer (archive, %s): wall %d ms, CPU %d ms; wall per run %s%n", String.join(" ", LAMBDA_FLAGS),
                authorizerWall, median(authorizer, 1), authorizer.stream().map(r -> r[0]).toList());
        System.out.printf("  floor (bare main printing one line, default flags): wall %d ms, CPU %d ms; wall per run %s%n",
                floorWall, median(floor, 1), floor.stream().map(r -> r[0]).toList());
        System.out.printf("  ratio authorizer/floor: %.2f (goal <= 3)%n", (double) authorizerWall / floorWall);
        warm();
        System.out.printf("Archive: %s, %,d bytes%n", zip.getFileName(), Files.size(zip));
    }

    /** [wall from spawn to first response, process CPU]. */
    private static long[] measure(ChildJvm.Result result, String expected) {
        if (result.exitCode() != 0 || result.responses().isEmpty() || !result.responses().get(0).contains(expected)) {
            throw new IllegalStateException("probe failed: exit " + result.exitCode() + "\n" + result.stdout() + "\n" + result.stderr());
        }
        Map<String, Long> metrics = result.metrics();
        return new long[] {metrics.get("respondedAtMs") - result.spawnedAtMs(), metrics.get("cpuMs")};
    }

    private static long median(List<long[]> runs, int index) {
        long[] values = runs.stream().mapToLong(r -> r[index]).sorted().toArray();
        return values[values.length / 2];
    }

    private static void warm() throws Exception {
        ApiKeyAuthorizer authorizer = new ApiKeyAuthorizer(line -> { });
        byte[] event = AuthorizerProbe.EVENT.getBytes(StandardCharsets.UTF_8);
        int warmup = 50_000;
        int measured = 50_000;
        long[] nanos = WarmTimer.sortedNanos(warmup, measured, i ->
                authorizer.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(512), null));
        System.out.printf("Authorizer warm time per call (%,d calls after %,d warm-up): %s (goal p99 <= 0.2 ms)%n",
                measured, warmup, WarmTimer.summary(nanos));
    }
}
