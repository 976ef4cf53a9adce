package io.llmgateway.infra;

import com.pulumi.asset.FileArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Lambda zip that {@code mvn compile} builds (the assembly plugin is bound to the compile phase,
 * see pom.xml) and the classes it is built from. {@code pulumi up} and {@code pulumi preview} run
 * {@code mvn compile exec:java}, so the zip is normally fresh; {@link #verify()} catches the cases
 * where it is not (a program started some other way, or a build that failed half-way), before
 * anything is declared.
 *
 * @param zip        the archive the function is deployed from
 * @param classesDir the compiled classes that go into it; the zip must not be older than any of them
 */
public record LambdaArchive(Path zip, Path classesDir) {

    /** What rebuilds both archives. {@code pulumi up} runs it for you. */
    private static final String BUILD_COMMAND = "mvn -B compile";

    public static LambdaArchive backend() {
        return new LambdaArchive(Path.of("target", "lambda", "llm-gateway-backend.zip"),
                Path.of("target", "classes", "io", "llmgateway", "backend"));
    }

    public static LambdaArchive authorizer() {
        return new LambdaArchive(Path.of("target", "lambda", "llm-gateway-authorizer.zip"),
                Path.of("target", "classes", "io", "llmgateway", "backend", "authorizer"));
    }

    /**
     * @throws IllegalStateException naming the zip and the command that rebuilds it, when the zip
     *                               is missing or older than the newest class under {@link #classesDir()}
     */
    public void verify() {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("Lambda archive " + zip + " does not exist. Build it with `"
                    + BUILD_COMMAND + "` in the project directory (pulumi up and pulumi preview run it for you).");
        }
        FileTime built = lastModified(zip);
        newestClass().filter(newest -> newest.compareTo(built) > 0).ifPresent(newest -> {
            throw new IllegalStateException("Lambda archive " + zip + " (built " + built + ") is older than the classes in "
                    + classesDir + " (compiled " + newest + "), so it would deploy stale code. Rebuild it with `"
                    + BUILD_COMMAND + "` in the project directory (pulumi up and pulumi preview run it for you).");
        });
    }

    /** The archive for {@code aws.lambda.Function.code}; call {@link #verify()} first. */
    public FileArchive fileArchive() {
        return new FileArchive(zip.toString());
    }

    private Optional<FileTime> newestClass() {
        if (!Files.isDirectory(classesDir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(classesDir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".class"))
                    .map(LambdaArchive::lastModified)
                    .max(FileTime::compareTo);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + classesDir, e);
        }
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the modification time of " + file, e);
        }
    }
}
