package io.llmgateway.backend.runtime;

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
        noClasses().that().resideInAPackage("io.llmgateway.backend.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("io.llmgateway.backend",
                        "io.llmgateway.backend.internal..", "io.llmgateway.backend.metering..",
                        "io.llmgateway.backend.authorizer..", "io.llmgateway.backend.bedrock..",
                        "io.llmgateway.backend.chat..", "io.llmgateway.backend.embeddings..",
                        "io.llmgateway.contract..", "io.llmgateway.config..", "io.llmgateway.infra..",
                        "io.llmgateway.local..", "software.amazon.awssdk..", "com.pulumi..")
                .check(MAIN);
    }
}
