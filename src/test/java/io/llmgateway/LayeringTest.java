package io.llmgateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md, "Layering", enforced on the compiled main classes. The Lambda zips
 * hold {@code backend}, {@code contract} and {@code common}, so what those import decides what a
 * function can load: one module cannot keep the handler from importing the stack, but this test can.
 */
class LayeringTest {

    private static final String ROOT = "io.llmgateway";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void common_importsNothingOfTheProject() {
        noClasses().that().resideInAPackage(ROOT + ".common..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".contract..", ROOT + ".config..",
                        ROOT + ".infra..", ROOT + ".backend..", ROOT + ".local..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".App")
                .check(MAIN);
    }

    @Test
    void contract_importsOnlyCommon() {
        noClasses().that().resideInAPackage(ROOT + ".contract..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".config..", ROOT + ".infra..",
                        ROOT + ".backend..", ROOT + ".local..")
                .check(MAIN);
    }

    @Test
    void backend_importsOnlyContractAndCommon_andNoPulumiApacheOrNetty() {
        noClasses().that().resideInAPackage(ROOT + ".backend..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".config..", ROOT + ".infra..",
                        ROOT + ".local..", "com.pulumi..", "org.apache.http..", "org.apache.hc..", "io.netty..",
                        "org.yaml..")
                .check(MAIN);
    }

    @Test
    void backendInternal_dependsOnNothingAboveIt() {
        noClasses().that().resideInAPackage(ROOT + ".backend.internal..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".backend", ROOT + ".backend.authorizer..")
                .check(MAIN);
    }

    @Test
    void metering_isAnApiTheHandlerAndTheLocalGatewayShare_belowTheInternals() {
        noClasses().that().resideInAPackage(ROOT + ".backend.metering..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".backend", ROOT + ".backend.internal..",
                        ROOT + ".backend.authorizer..")
                .check(MAIN);
    }

    @Test
    void authorizer_importsNothingOfTheProject_forItsZipHoldsOnlyItself() {
        noClasses().that().resideInAPackage(ROOT + ".backend.authorizer..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".common..", ROOT + ".contract..",
                        ROOT + ".backend", ROOT + ".backend.internal..", "software.amazon.awssdk..")
                .check(MAIN);
    }

    @Test
    void config_importsNoPulumiAndNoComponents() {
        noClasses().that().resideInAPackage(ROOT + ".config..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".infra..", ROOT + ".backend..",
                        ROOT + ".local..", "com.pulumi..")
                .check(MAIN);
    }

    @Test
    void infra_neverReachesTheHandlersOrTheLocalGateway() {
        noClasses().that().resideInAPackage(ROOT + ".infra..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".backend..", ROOT + ".local..")
                .check(MAIN);
    }

    @Test
    void local_usesTheBackendsPublicApiOnly_andNoPulumi() {
        noClasses().that().resideInAPackage(ROOT + ".local..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".infra..", ROOT + ".backend.internal..",
                        "com.pulumi..")
                .check(MAIN);
    }

    /**
     * The deployment check reads the stack file through the one validated config model, and talks to
     * the gateway only as a client does; nothing depends on it, and nothing else uses the OpenAI SDK,
     * which must never reach a Lambda zip.
     */
    @Test
    void verify_isALeafOnConfigContractAndCommon_andAloneUsesTheOpenAiSdk() {
        noClasses().that().resideInAPackage(ROOT + ".verify..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".infra..", ROOT + ".backend..",
                        ROOT + ".local..", "com.pulumi..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".App")
                .check(MAIN);
        noClasses().that().resideOutsideOfPackage(ROOT + ".verify..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".verify..", "com.openai..")
                .check(MAIN);
    }

    @Test
    void packages_haveNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
        slices().matching(ROOT + ".backend.(*)..").should().beFreeOfCycles().check(MAIN);
    }
}
