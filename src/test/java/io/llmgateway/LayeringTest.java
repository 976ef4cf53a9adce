package io.llmgateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.llmgateway.backend.internal.MeteredCalls;
import io.llmgateway.backend.metering.Caller;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import java.time.Instant;
import java.util.List;
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

    /** What every route shares (the request, the answer, the log line, the metered-call template) knows no route. */
    @Test
    void backendInternal_dependsOnNothingAboveIt() {
        noClasses().that().resideInAPackage(ROOT + ".backend.internal..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".backend", ROOT + ".backend.authorizer..",
                        ROOT + ".backend.chat..", ROOT + ".backend.embeddings..")
                .check(MAIN);
    }

    /** Each API surface stands on the shared request path alone: not on the router, nor on another surface. */
    @Test
    void surfaces_standOnTheInternalsAlone_andNotOnEachOther() {
        noClasses().that().resideInAPackage(ROOT + ".backend.chat..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".backend", ROOT + ".backend.authorizer..",
                        ROOT + ".backend.embeddings..", ROOT + ".backend.responses..")
                .check(MAIN);
        noClasses().that().resideInAPackage(ROOT + ".backend.embeddings..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".backend", ROOT + ".backend.authorizer..",
                        ROOT + ".backend.chat..", ROOT + ".backend.responses..")
                .check(MAIN);
    }

    /**
     * The Responses API is served by the chat route's request and Converse mapping (one mapping for both
     * APIs, so a fix or a new Converse feature reaches both): responses builds on chat, never the reverse
     * (above), and on nothing else of the backend's surfaces.
     */
    @Test
    void responses_buildsOnTheChatMapping_andOnNoOtherSurface() {
        noClasses().that().resideInAPackage(ROOT + ".backend.responses..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".backend", ROOT + ".backend.authorizer..",
                        ROOT + ".backend.embeddings..")
                .check(MAIN);
    }

    @Test
    void metering_isAnApiTheHandlerAndTheLocalGatewayShare_belowTheInternals() {
        noClasses().that().resideInAPackage(ROOT + ".backend.metering..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".backend", ROOT + ".backend.internal..",
                        ROOT + ".backend.authorizer..", ROOT + ".backend.chat..", ROOT + ".backend.embeddings..")
                .check(MAIN);
    }

    /**
     * Every request path settles or releases its reservation by construction: tokens are reserved only by
     * the metered-call template, which settles what it reserved on every path ({@code MeteredCallsTest}),
     * and no route, router or handler holds a reservation.
     */
    static final ArchRule ONLY_THE_TEMPLATE_RESERVES = noClasses()
            .that().doNotHaveFullyQualifiedName(MeteredCalls.class.getName())
            .and().resideOutsideOfPackage(ROOT + ".backend.metering..")
            .should().callMethodWhere(DescribedPredicate.describe("Metering.reserve",
                    (JavaMethodCall call) -> call.getName().equals("reserve")
                            && call.getTargetOwner().isAssignableTo(Metering.class)))
            .orShould().dependOnClassesThat().areAssignableTo(Metering.Reservation.class)
            .because("a route that held a reservation could forget to settle it");

    @Test
    void onlyTheMeteredCallTemplate_reservesTokensOrTouchesAReservation() {
        ONLY_THE_TEMPLATE_RESERVES.check(MAIN);
    }

    /** A route that reserves for itself and forgets to settle: the rule above must refuse it. */
    static final class ForgetfulRoute {
        private final Metering metering;

        ForgetfulRoute(Metering metering) {
            this.metering = metering;
        }

        int handle(Caller caller) throws Refusal {
            return metering.reserve(caller, "model", 10, 10, Instant.EPOCH).maxOutputTokens(); // never settled
        }
    }

    /** A route that settles what someone else reserved for it: refused too, for it holds a reservation. */
    static final class SettlingRoute {
        void handle(Metering.Reservation reservation) {
            reservation.release();
        }
    }

    @Test
    void aRouteThatReservesForItself_orHoldsAReservation_breaksTheRule() {
        for (Class<?> route : List.of(ForgetfulRoute.class, SettlingRoute.class)) {
            JavaClasses forgetful = new ClassFileImporter().importClasses(route);
            assertThatThrownBy(() -> ONLY_THE_TEMPLATE_RESERVES.check(forgetful)).as(route.getSimpleName())
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining(route.getSimpleName());
        }
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
                        ROOT + ".backend.chat..", ROOT + ".backend.embeddings..", "com.pulumi..")
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
