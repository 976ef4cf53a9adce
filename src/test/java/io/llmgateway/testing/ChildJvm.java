package io.llmgateway.testing;

import io.llmgateway.common.OwnThread;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A main class run in a fresh JVM (this JVM's {@code java}) on an explicit classpath with exactly the
 * given environment, nothing inherited: how a Lambda host starts a function, without the runtime
 * client. The main prints {@code RESPONSE <json>} lines (and, for benchmarks, a {@code METRICS} line).
 */
public final class ChildJvm {

    /** Only a hang detector: a child that answers takes a few seconds at most. */
    private static final long HANG_SECONDS = 120;

    private ChildJvm() {
    }

    public static Result run(List<Path> classpath, List<String> jvmFlags, Map<String, String> env, String mainClass,
                             String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        long spawnedAtMs = System.currentTimeMillis();
        long spawned = System.nanoTime();
        Process process = builder.start();
        // Each pipe on a thread of its own: a child blocks once a pipe nobody drains is full.
        CompletableFuture<String> out = OwnThread.readAll("child-jvm-stdout", process.getInputStream());
        CompletableFuture<String> err = OwnThread.readAll("child-jvm-stderr", process.getErrorStream());
        if (!process.waitFor(HANG_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(mainClass + " did not exit within " + HANG_SECONDS + " s");
        }
        try {
            return new Result(process.exitValue(), out.get(HANG_SECONDS, TimeUnit.SECONDS),
                    err.get(HANG_SECONDS, TimeUnit.SECONDS), (System.nanoTime() - spawned) / 1_000_000, spawnedAtMs);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot read the output of " + mainClass, e);
        }
    }

    /**
     * A child JVM's outcome.
     *
     * @param wallMs      from spawning the process to its exit
     * @param spawnedAtMs epoch millis just before the process was spawned
     */
    public record Result(int exitCode, String stdout, String stderr, long wallMs, long spawnedAtMs) {

        /** The {@code RESPONSE} lines. */
        public List<String> responses() {
            return stdout.lines().filter(l -> l.startsWith("RESPONSE ")).map(l -> l.substring(9)).toList();
        }

        /** The {@code METRICS} line's numbers. */
        public Map<String, Long> metrics() {
            String line = stdout.lines().filter(l -> l.startsWith("METRICS ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no METRICS line; exit " + exitCode
                            + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr));
            Map<String, Long> metrics = new LinkedHashMap<>();
            for (String pair : line.substring(line.indexOf('{') + 1, line.lastIndexOf('}')).split(",")) {
                String[] kv = pair.split(":");
                metrics.put(kv[0].replace("\"", ""), Long.parseLong(kv[1]));
            }
            return metrics;
        }

        /** For assertion messages. */
        public String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }
}
