package io.llmgateway.backend.bench;

import io.llmgateway.local.RuntimeApiEmulator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A runtime client in a fresh JVM against its own Runtime API emulator, as Lambda starts one: the
 * JVM options the managed runtime uses, Lambda's reserved environment variables, the handler. Closing
 * closes the emulator, which ends the child's runtime, then waits for the child.
 */
final class ChildRuntime implements AutoCloseable {

    /** The managed java21 runtime's JIT and GC options (Lambda developer guide, "Customize Java runtime startup behavior"). */
    static final List<String> JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC");

    final RuntimeApiEmulator emulator;
    private final Process process;
    private final Path output;
    private final long spawnedNanos;
    private final long firstNextNanos;

    private ChildRuntime(RuntimeApiEmulator emulator, Process process, Path output, long spawnedNanos,
                         long firstNextNanos) {
        this.emulator = emulator;
        this.process = process;
        this.output = output;
        this.spawnedNanos = spawnedNanos;
        this.firstNextNanos = firstNextNanos;
    }

    /**
     * Spawns {@code mainClass handler} and waits for its first {@code GET next}.
     *
     * @param options JVM options after {@link #JVM_FLAGS}
     * @param env     variables beside Lambda's reserved ones (region, credentials, the function's settings)
     */
    static ChildRuntime start(List<String> classpath, List<String> options, String mainClass, String handler,
                              Map<String, String> env) throws IOException, InterruptedException {
        RuntimeApiEmulator emulator = RuntimeApiEmulator.start();
        Path taskRoot = Files.createTempDirectory("bench-task");
        Path output = taskRoot.resolve("out.txt");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(options);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(mainClass);
        command.add(handler);
        ProcessBuilder builder = new ProcessBuilder(command).directory(taskRoot.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> environment = new LinkedHashMap<>(env);
        environment.putAll(Map.of("AWS_LAMBDA_RUNTIME_API", emulator.address(), "AWS_LAMBDA_FUNCTION_NAME", "bench",
                "AWS_LAMBDA_FUNCTION_VERSION", "1", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024",
                "AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/bench", "AWS_LAMBDA_LOG_STREAM_NAME", "bench",
                "_HANDLER", handler));
        builder.environment().clear();
        builder.environment().putAll(environment);
        long spawned = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            emulator.close();
            throw e;
        }
        ChildRuntime child = new ChildRuntime(emulator, process, output, spawned,
                emulator.awaitFirstNext(Duration.ofSeconds(60)));
        if (child.firstNextNanos < 0) {
            String seen = child.output();
            child.close();
            throw new IllegalStateException(mainClass + " never asked for an invocation:\n" + seen);
        }
        return child;
    }

    /** ms from spawning the JVM to its first {@code GET next}: init done. */
    double startMillis() {
        return (firstNextNanos - spawnedNanos) / 1e6;
    }

    /** What the child wrote (standard output and error). */
    String output() throws IOException {
        return Files.readString(output);
    }

    @Override
    public void close() throws IOException {
        try {
            emulator.close();
        } finally {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
