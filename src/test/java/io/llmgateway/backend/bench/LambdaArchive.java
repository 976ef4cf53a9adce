package io.llmgateway.backend.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The built backend archive, extracted the way the Lambda Java runtime lays it out, and fresh JVMs
 * started on it.
 */
public final class LambdaArchive implements AutoCloseable {

    public static final String NAME = "llm-gateway-backend.zip";

    private final Path zip;
    private final Path root;
    private final Path probes;

    private LambdaArchive(Path zip, Path root, Path probes) {
        this.zip = zip;
        this.root = root;
        this.probes = probes;
    }

    /** The authorizer's archive. */
    public static final String AUTHORIZER = "llm-gateway-authorizer.zip";

    /** target/lambda/llm-gateway-backend.zip, as the build left it (found from the test classes' location). */
    public static Path builtZip() {
        return builtZip(NAME);
    }

    /** target/lambda/{@code name}, as the build left it. */
    public static Path builtZip(String name) {
        try {
            Path testClasses = Path.of(LambdaArchive.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return testClasses.getParent().resolve("lambda").resolve(name);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Extracts the zip to a temporary directory, and copies the probe classes beside it. */
    public static LambdaArchive extract(Path zip) throws IOException {
        Path root = Files.createTempDirectory("lambda-archive");
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("entry outside the archive root: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        Path probes = Files.createTempDirectory("lambda-probes");
        Path from = Path.of(classesDir()).resolve("io/llmgateway/backend/bench");
        Path to = Files.createDirectories(probes.resolve("io/llmgateway/backend/bench"));
        try (Stream<Path> classes = Files.list(from)) {
            for (Path c : (Iterable<Path>) classes::iterator) {
                String name = c.getFileName().toString();
                if (name.startsWith("HandlerProbe") || name.startsWith("BaselineProbe") || name.startsWith("ProbeMetrics")
                        || name.startsWith("AuthorizerProbe") || name.startsWith("HelloProbe")) {
                    Files.copy(c, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return new LambdaArchive(zip, root, probes);
    }

    private static String classesDir() {
        try {
            return Path.of(LambdaArchive.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As the Lambda Java runtime orders it: the archive root, then every jar under lib/, then the probes. */
    public String classpath() throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(root.toString());
        try (Stream<Path> jars = Files.list(root.resolve("lib"))) {
            jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
        }
        entries.add(probes.toString());
        return String.join(java.io.File.pathSeparator, entries);
    }

    public Path zip() {
        return zip;
    }

    /**
     * Runs {@code mainClass} in a fresh JVM on the archive's classpath with exactly this environment
     * (nothing inherited), and returns its standard output.
     */
    public Result run(List<String> jvmFlags, Map<String, String> env, String mainClass, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        builder.environment().clear();
        builder.environment().putAll(env);
        long spawnedAtMs = System.currentTimeMillis();
        long spawned = System.nanoTime();
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes());
        String err = new String(process.getErrorStream().readAllBytes());
        int exit = process.waitFor();
        return new Result(exit, out, err, (System.nanoTime() - spawned) / 1_000_000, spawnedAtMs);
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
    }

    @Override
    public void close() {
        for (Path dir : List.of(root, probes)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
