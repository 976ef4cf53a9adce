package io.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A codebase a newcomer can hold in their head: no main source file so long that it hides its
 * sections, and no two main classes that one simple name could mean.
 */
class SourceShapeTest {

    /** The most lines a main source file may have. */
    static final int MAX_LINES = 500;
    private static final Path MAIN = Path.of("src/main/java");

    @Test
    void noMainSourceFile_isOverTheLimit() throws IOException {
        Map<String, Long> tooLong = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                long lines;
                try (Stream<String> text = Files.lines(file)) {
                    lines = text.count();
                }
                if (lines > MAX_LINES) {
                    tooLong.put(MAIN.relativize(file).toString(), lines);
                }
            }
        }
        assertThat(tooLong).as("main source files over %d lines: split them along what they do", MAX_LINES)
                .isEmpty();
    }

    @Test
    void noTwoMainClasses_shareASimpleName() {
        JavaClasses main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.llmgateway");
        Map<String, List<String>> byName = main.stream()
                .filter(JavaClass::isTopLevelClass)
                .collect(Collectors.groupingBy(JavaClass::getSimpleName, TreeMap::new,
                        Collectors.mapping(JavaClass::getName, Collectors.toList())));
        byName.values().removeIf(names -> names.size() < 2);

        assertThat(byName).as("main classes that share a simple name").isEmpty();
    }
}
