package io.llmgateway.backend.runtime;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The runtime client sits below the handlers: the backend may build on it, it builds on nothing of the
 * project but the shared JSON codec, and on no AWS SDK client (it talks to the Runtime API itself).
 */
class RuntimeLayeringTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.llmgateway");

    @Test
    void runtime_importsOnlyCommon_andNoAwsSdk() {
        // Every other backend package, the ones added later included: none is listed by name.
        noClasses().that().resideInAPackage("io.llmgateway.backend.runtime..")
                .should().dependOnClassesThat(resideInAPackage("io.llmgateway.backend..")
                        .and(resideOutsideOfPackage("io.llmgateway.backend.runtime..")))
                .orShould().dependOnClassesThat().resideInAnyPackage("io.llmgateway.contract..",
                        "io.llmgateway.config..", "io.llmgateway.infra..", "io.llmgateway.local..",
                        "software.amazon.awssdk..", "com.pulumi..")
                .check(MAIN);
    }
}
