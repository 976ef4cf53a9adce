package io.llmgateway.infra;

import com.pulumi.asset.FileArchive;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Lambda zip that {@code mvn compile} builds (the assembly plugin is bound to the compile phase,
 * see pom.xml) and the classes it is built from. {@code pulumi up} and {@code pulumi preview} run
 * {@code mvn compile exec:java}, so the zip is normally fresh; {@link #verify()} catches the cases
 * where it is not (a program started some other way, or a build that failed half-way), before
 * anything is declared.
 *
 * @param zip         the archive the function is deployed from
 * @param classesRoot the compiler's output directory
 * @param packed      the directories under {@code classesRoot} the zip packs, as its assembly descriptor
 *                    (src/assembly) includes them; the zip must not be older than any class in them
 * @param excluded    directories under those that the descriptor excludes
 */
public record LambdaArchive(Path zip, Path classesRoot, List<String> packed, List<String> excluded) {

    /** What rebuilds both archives. {@code pulumi up} runs it for you. */
    private static final String BUILD_COMMAND = "mvn -B compile";
    private static final Path CLASSES = Path.of("target", "classes");

    public LambdaArchive {
        Objects.requireNonNull(zip, "zip");
        Objects.requireNonNull(classesRoot, "classesRoot");
        packed = List.copyOf(packed);
        excluded = List.copyOf(excluded);
    }

    /** src/assembly/backend.xml: the handler with the contract and common classes it uses. */
    public static LambdaArchive backend() {
        return new LambdaArchive(Path.of("target", "lambda", "llm-gateway-backend.zip"), CLASSES,
                List.of("io/llmgateway/backend", "io/llmgateway/contract", "io/llmgateway/common"),
                List.of("io/llmgateway/backend/authorizer"));
    }

    /** src/assembly/authorizer.xml: the authorizer alone. */
    public static LambdaArchive authorizer() {
        return new LambdaArchive(Path.of("target", "lambda", "llm-gateway-authorizer.zip"), CLASSES,
                List.of("io/llmgateway/backend/authorizer"), List.of());
    }

    /**
     * @throws IllegalStateException naming the zip and the command that rebuilds it, when the zip
     *                               is missing or older than the newest class it packs
     */
    public void verify() {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("Lambda archive " + zip + " does not exist. Build it with `"
                    + BUILD_COMMAND + "` in the project directory (pulumi up and pulumi preview run it for you).");
        }
        FileTime built = lastModified(zip);
        newestClass().filter(newest -> lastModified(newest).compareTo(built) > 0).ifPresent(newest -> {
            throw new IllegalStateException("Lambda archive " + zip + " (built " + built + ") is older than the classes "
                    + "it packs: " + newest + " was compiled " + lastModified(newest) + ", so it would deploy stale code. "
                    + "Rebuild it with `" + BUILD_COMMAND + "` in the project directory (pulumi up and pulumi preview "
                    + "run it for you).");
        });
    }

    /** The archive for {@code aws.lambda.Function.code}; call {@link #verify()} first. */
    public FileArchive fileArchive() {
        return new FileArchive(zip.toString());
    }

    /** The most recently compiled class in the packed directories, leaving out the excluded ones. */
    private Optional<Path> newestClass() {
        List<Path> skipped = excluded.stream().map(classesRoot::resolve).toList();
        Path newest = null;
        FileTime newestTime = null;
        for (String directory : packed) {
            Path dir = classesRoot.resolve(directory);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (file.getFileName().toString().endsWith(".class") && skipped.stream().noneMatch(file::startsWith)) {
                        FileTime time = lastModified(file);
                        if (newestTime == null || time.compareTo(newestTime) > 0) {
                            newest = file;
                            newestTime = time;
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        return Optional.ofNullable(newest);
    }

    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the modification time of " + file, e);
        }
    }
}
