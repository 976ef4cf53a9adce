package io.llmgateway.infra;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LambdaArchiveTest {

    @TempDir
    Path dir;

    @Test
    void aMissingArchiveFailsNamingTheZipAndTheBuildCommand() {
        LambdaArchive archive = new LambdaArchive(dir.resolve("backend.zip"), dir.resolve("classes"));
        assertThatThrownBy(archive::verify)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(dir.resolve("backend.zip").toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("`mvn -B compile`");
    }

    @Test
    void anArchiveOlderThanItsNewestClassFailsAsStale() throws Exception {
        Path zip = Files.createFile(dir.resolve("backend.zip"));
        Path classes = Files.createDirectories(dir.resolve("classes/io/llmgateway/backend/chat"));
        Path newest = Files.createFile(classes.resolve("Handler.class"));
        Files.setLastModifiedTime(zip, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        Files.setLastModifiedTime(newest, FileTime.from(Instant.parse("2026-01-01T00:00:05Z")));
        assertThatThrownBy(() -> new LambdaArchive(zip, dir.resolve("classes")).verify())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is older than the classes")
                .hasMessageContaining("stale")
                .hasMessageContaining("`mvn -B compile`");
    }

    @Test
    void anArchiveBuiltAfterItsClassesPasses() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path type = Files.createFile(classes.resolve("Handler.class"));
        Path zip = Files.createFile(dir.resolve("backend.zip"));
        Files.setLastModifiedTime(type, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        Files.setLastModifiedTime(zip, FileTime.from(Instant.parse("2026-01-01T00:00:01Z")));
        assertThatCode(() -> new LambdaArchive(zip, classes).verify()).doesNotThrowAnyException();
    }

    @Test
    void anArchiveWithNoCompiledClassesYetPasses() throws Exception {
        Path zip = Files.createFile(dir.resolve("backend.zip"));
        assertThatCode(() -> new LambdaArchive(zip, dir.resolve("no-classes")).verify()).doesNotThrowAnyException();
    }

    @Test
    void theArchivesThisBuildProducedAreFresh() {
        // `mvn verify` runs the compile phase, which rebuilds both zips after the classes.
        assertThatCode(() -> LambdaArchive.backend().verify()).doesNotThrowAnyException();
        assertThatCode(() -> LambdaArchive.authorizer().verify()).doesNotThrowAnyException();
    }
}
