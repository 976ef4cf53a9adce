package io.llmgateway.infra.bench;

import io.llmgateway.infra.testing.EngineConfig;
import io.llmgateway.infra.testing.StackRun;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long the program takes on the mocks for the prod config with many clients. A command, not a
 * test (timings on shared CI machines are noise):
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test -DmainClass=io.llmgateway.infra.bench.StackBenchmark
 * </pre>
 *
 * <p>It warms the JVM up with one run of the largest size, then runs Pulumi.prod.yaml three times
 * each with 10, 100 and 1,000 generated clients (spread over its plans) and prints the number of
 * resources and the median and best wall time of each. Other sizes: {@code -DmainArgs="10 5000"}, as for
 * the other benchmarks. The class goes in {@code -DmainClass}: the pom sets the exec plugin's main class
 * from that property, so {@code -Dexec.mainClass} would run the Pulumi program instead.
 * Goal: at most 5 s for 1,000 clients, growing linearly.
 *
 * <p>Most of the time is the Pulumi Java SDK's own (1.36.1): its task loop
 * ({@code DeploymentImpl.DefaultRunner.checkForTasks}) formats the whole map of in-flight tasks into a
 * debug string on every turn, whatever the log level, and on a machine with two processors the
 * common pool has a parallelism of 1, so every async step gets a new thread.
 * {@code MAVEN_OPTS=-Djava.util.concurrent.ForkJoinPool.common.parallelism=2} roughly halves the time
 * there; see docs/benchmarks.md.
 */
public final class StackBenchmark {

    private static final int RUNS = 3;

    private StackBenchmark() {
    }

    public static void main(String[] args) {
        List<Integer> sizes = args.length == 0 ? List.of(10, 100, 1_000)
                : java.util.Arrays.stream(args).map(Integer::parseInt).toList();
        int largest = sizes.stream().max(Integer::compare).orElseThrow();
        System.out.printf("%d processors, common-pool parallelism %d%n", Runtime.getRuntime().availableProcessors(),
                java.util.concurrent.ForkJoinPool.getCommonPoolParallelism());
        StackRun warmUp = StackRun.of(withClients(largest)).throwOnError();
        System.out.printf("warm-up (%,d clients): %,d ms%n", largest, warmUp.millis());
        System.out.printf("%8s %10s %12s %12s %12s%n", "clients", "resources", "median ms", "min ms", "ms/resource");
        for (int clients : sizes) {
            List<Long> times = new ArrayList<>();
            int resources = 0;
            for (int i = 0; i < RUNS; i++) {
                StackRun run = StackRun.of(withClients(clients)).throwOnError();
                resources = run.resources().size();
                times.add(run.millis());
            }
            Collections.sort(times);
            long median = times.get(RUNS / 2);
            System.out.printf("%,8d %10d %12d %12d %12.2f%n", clients, resources, median, times.get(0),
                    (double) median / resources);
        }
    }

    /** Pulumi.prod.yaml with {@code count} clients instead of its own, round-robin over its plans. */
    static EngineConfig withClients(int count) {
        EngineConfig prod = EngineConfig.load("prod");
        List<String> plans = List.copyOf(((Map<?, ?>) prod.values().get("plans")).keySet().stream()
                .map(String::valueOf).toList());
        Map<String, Object> clients = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> client = new LinkedHashMap<>();
            client.put("plan", plans.get(i % plans.size()));
            client.put("description", "Generated client " + i);
            clients.put(String.format("client-%05d", i), client);
        }
        return prod.with("clients", clients);
    }
}
