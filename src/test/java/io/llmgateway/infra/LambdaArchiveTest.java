package io.llmgateway.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The staleness check the program runs on both zips before it declares anything. */
class LambdaArchiveTest {

    private static final FileTime BUILT = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
    private static final FileTime BEFORE = FileTime.from(Instant.parse("2025-12-31T23:59:00Z"));
    private static final FileTime AFTER = FileTime.from(Instant.parse("2026-01-01T00:00:05Z"));

    @TempDir
    Path dir;

    @Test
    void aMissingArchiveFailsNamingTheZipAndTheBuildCommand() {
        LambdaArchive archive = new LambdaArchive(dir.resolve("backend.zip"), dir.resolve("classes"),
                List.of("io/llmgateway/backend"), List.of());
        assertThatThrownBy(archive::verify)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir.resolve("backend.zip").toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("`mvn -B compile`");
    }

    @Test
    void anArchiveOlderThanItsNewestClassFailsAsStaleNamingThatClass() throws Exception {
        LambdaArchive archive = inTempProject(LambdaArchive.backend());
        Path newest = compiled(archive, "io/llmgateway/backend/internal/Gateway.class", AFTER);
        assertThatThrownBy(archive::verify)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is older than the classes it packs: " + newest)
                .hasMessageContaining("stale")
                .hasMessageContaining("`mvn -B compile`");
    }

    static Stream<String> backendPackedDirectories() throws Exception {
        return descriptor("backend.xml", "include").stream();
    }

    /** contract and common are packed beside the handler: a change there is a change of the function. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backendPackedDirectories")
    void aClassNewerThanTheBackendZipInAnyDirectoryItPacksMakesItStale(String packedDirectory) throws Exception {
        LambdaArchive archive = inTempProject(LambdaArchive.backend());
        Path changed = compiled(archive, packedDirectory + "/Changed.class", AFTER);
        assertThatThrownBy(archive::verify).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is older than the classes it packs: " + changed);
    }

    @Test
    void aNewerAuthorizerClassMakesOnlyTheAuthorizerZipStale() throws Exception {
        LambdaArchive backend = inTempProject(LambdaArchive.backend());
        LambdaArchive authorizer = inTempProject(LambdaArchive.authorizer());
        compiled(backend, "io/llmgateway/backend/authorizer/ApiKeyAuthorizer.class", AFTER);
        assertThatCode(backend::verify).doesNotThrowAnyException();
        assertThatThrownBy(authorizer::verify).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ApiKeyAuthorizer.class");
    }

    @Test
    void anArchiveBuiltAfterItsClassesPasses() throws Exception {
        assertThatCode(inTempProject(LambdaArchive.backend())::verify).doesNotThrowAnyException();
    }

    @Test
    void anArchiveWithNoCompiledClassesYetPasses() throws Exception {
        Path zip = Files.createFile(dir.resolve("backend.zip"));
        assertThatCode(() -> new LambdaArchive(zip, dir.resolve("no-classes"), List.of("io/llmgateway/backend"),
                List.of()).verify()).doesNotThrowAnyException();
    }

    @Test
    void eachArchiveChecksExactlyTheDirectoriesItsAssemblyDescriptorPacks() throws Exception {
        assertThat(LambdaArchive.backend().packed()).containsExactlyInAnyOrderElementsOf(descriptor("backend.xml", "include"));
        assertThat(LambdaArchive.backend().excluded()).containsExactlyInAnyOrderElementsOf(descriptor("backend.xml", "exclude"));
        assertThat(LambdaArchive.authorizer().packed())
                .containsExactlyInAnyOrderElementsOf(descriptor("authorizer.xml", "include"));
        assertThat(LambdaArchive.authorizer().excluded())
                .containsExactlyInAnyOrderElementsOf(descriptor("authorizer.xml", "exclude"));
    }

    @Test
    void theArchivesThisBuildProducedAreFresh() {
        // `mvn verify` runs the compile phase, which rebuilds both zips after the classes.
        assertThatCode(() -> LambdaArchive.backend().verify()).doesNotThrowAnyException();
        assertThatCode(() -> LambdaArchive.authorizer().verify()).doesNotThrowAnyException();
    }

    /**
     * The archive's layout under the temp directory: its zip built at {@link #BUILT}, and one class
     * compiled before that in every directory it packs.
     */
    private LambdaArchive inTempProject(LambdaArchive real) throws Exception {
        LambdaArchive archive = new LambdaArchive(dir.resolve(real.zip()), dir.resolve(real.classesRoot()),
                real.packed(), real.excluded());
        Files.createDirectories(archive.zip().getParent());
        if (!Files.exists(archive.zip())) {
            Files.createFile(archive.zip());
        }
        Files.setLastModifiedTime(archive.zip(), BUILT);
        for (String packed : archive.packed()) {
            compiled(archive, packed + "/Existing.class", BEFORE);
        }
        return archive;
    }

    private static Path compiled(LambdaArchive archive, String classFile, FileTime at) throws Exception {
        Path file = archive.classesRoot().resolve(classFile);
        Files.createDirectories(file.getParent());
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        Files.setLastModifiedTime(file, at);
        return file;
    }

    /** The {@code include} or {@code exclude} directories of the descriptor's file sets ({@code dir/**}). */
    private static List<String> descriptor(String name, String tag) throws Exception {
        Document document = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
                .parse(Path.of("src", "assembly", name).toFile());
        List<String> directories = new ArrayList<>();
        NodeList fileSets = document.getElementsByTagName("fileSet");
        for (int i = 0; i < fileSets.getLength(); i++) {
            NodeList patterns = ((Element) fileSets.item(i)).getElementsByTagName(tag);
            for (int j = 0; j < patterns.getLength(); j++) {
                String pattern = patterns.item(j).getTextContent().strip();
                assertThat(pattern).as("a directory pattern in " + name).endsWith("/**");
                directories.add(pattern.substring(0, pattern.length() - "/**".length()));
            }
        }
        return directories;
    }
}
