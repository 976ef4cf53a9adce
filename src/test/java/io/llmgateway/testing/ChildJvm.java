package io.llmgateway.testing;

import io.llmgateway.common.OwnThread;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
        return start(classpath, jvmFlags, env, mainClass, args).awaitExit();
    }

    /**
     * Starts the main class and returns at once, for a child that runs until it is stopped (a server).
     * Its output goes to pipes, as when a command's output is redirected to a file.
     */
    public static Started start(List<Path> classpath, List<String> jvmFlags, Map<String, String> env, String mainClass,
                                String... args) throws IOException {
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
        return new Started(mainClass, process, new Output(process.getInputStream()), new Output(process.getErrorStream()),
                spawned, spawnedAtMs);
    }

    /** A child that was started and may still run. Closing it kills it if it still runs. */
    public static final class Started implements AutoCloseable {
        private final String mainClass;
        private final Process process;
        private final Output out;
        private final Output err;
        private final long spawned;
        private final long spawnedAtMs;

        private Started(String mainClass, Process process, Output out, Output err, long spawned, long spawnedAtMs) {
            this.mainClass = mainClass;
            this.process = process;
            this.out = out;
            this.err = err;
            this.spawned = spawned;
            this.spawnedAtMs = spawnedAtMs;
        }

        /**
         * Waits until standard output holds {@code text}, or the child exits.
         *
         * @return standard output so far
         * @throws IllegalStateException when the child exits first, or hangs
         */
        public String awaitOutput(String text) throws InterruptedException {
            if (!out.await(text)) {
                throw new IllegalStateException(mainClass + " did not print '" + text + "'\nstdout:\n" + out.text()
                        + "\nstderr:\n" + err.text());
            }
            return out.text();
        }

        /** Asks the child to stop, as Ctrl-C or a kill does (its shutdown hooks run), and waits for it. */
        public Result stop() throws IOException, InterruptedException {
            // The handle, not Process.destroy(), which closes the pipes before the child's last words.
            process.toHandle().destroy();
            return awaitExit();
        }

        private Result awaitExit() throws IOException, InterruptedException {
            if (!process.waitFor(HANG_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(mainClass + " did not exit within " + HANG_SECONDS + " s");
            }
            try {
                return new Result(process.exitValue(), out.all(), err.all(), (System.nanoTime() - spawned) / 1_000_000,
                        spawnedAtMs);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("cannot read the output of " + mainClass, e);
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** One output stream, drained on a thread of its own: a child blocks once a pipe nobody drains is full. */
    private static final class Output {
        private final StringBuffer text = new StringBuffer();
        private final CompletableFuture<String> done;

        Output(InputStream stream) {
            done = OwnThread.supply("child-jvm-output", () -> {
                try (InputStreamReader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                    char[] buffer = new char[8192];
                    for (int n; (n = reader.read(buffer)) >= 0; ) {
                        synchronized (this) {
                            text.append(buffer, 0, n);
                            notifyAll();
                        }
                    }
                    return text.toString();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    synchronized (this) {
                        notifyAll();
                    }
                }
            });
        }

        String text() {
            return text.toString();
        }

        /** True once the text holds {@code expected}; false when the stream ends without it. */
        synchronized boolean await(String expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
            while (text.indexOf(expected) < 0) {
                if (done.isDone() || System.nanoTime() > deadline) {
                    return text.indexOf(expected) >= 0;
                }
                wait(1_000);
            }
            return true;
        }

        String all() throws ExecutionException, TimeoutException, InterruptedException {
            return done.get(HANG_SECONDS, TimeUnit.SECONDS);
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
