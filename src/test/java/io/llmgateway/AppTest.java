package io.llmgateway;

import static io.llmgateway.infra.testing.AwsTypes.STACK;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.CapacityReport;
import io.llmgateway.config.ConfigException;
import io.llmgateway.infra.LambdaArchive;
import io.llmgateway.infra.testing.EngineConfig;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The program as a whole: its outputs, its structure, and how it fails. */
class AppTest {

    @TempDir
    Path dir;

    static Stream<Named<StackRun>> stacks() {
        return StackRuns.both();
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theStackExportsTheDocumentedOutputs(StackRun run) {
        assertThat(run.outputs().keySet()).containsExactlyInAnyOrder("baseUrl", "chatCompletionsUrl", "modelsUrl", "apiId",
                "stageName", "apiKeyIds", "usagePlanIds", "apiKeys", "backendFunctionName", "accessLogGroupName",
                "tokenTableName", "entitlementsVersion", "capacityReport", "dashboardUrl", "alarmTopicArn");
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theBaseUrlIsWhatOpenAiSdksTakeAsBaseUrl(StackRun run) {
        String stage = run.config().stageName();
        String base = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/" + stage + "/v1";
        assertThat(run.outputValue("baseUrl")).isEqualTo(base);
        assertThat(run.outputValue("chatCompletionsUrl")).isEqualTo(base + "/chat/completions");
        assertThat(run.outputValue("modelsUrl")).isEqualTo(base + "/models");
        assertThat(run.outputValue("apiId")).isEqualTo("a1b2c3d4e5");
        assertThat(run.outputValue("stageName")).isEqualTo(stage);
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void onlyTheKeyValuesAreASecretOutput(StackRun run) {
        run.outputs().forEach((name, output) ->
                assertThat(output.isSecret()).as(name).isEqualTo(name.equals("apiKeys")));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void everyAwsResourceIsTheChildOfAComponentAndEveryComponentOfTheStack(StackRun run) {
        String stackUrn = run.requests(r -> r.type().equals(STACK)).get(0).urn();
        List<String> components = run.requests(r -> r.type().startsWith("llm-gateway:infra:")).stream()
                .map(StackRun.Request::urn).toList();
        assertThat(components).hasSize(6);
        assertThat(run.requests(r -> r.type().startsWith("llm-gateway:infra:")))
                .allSatisfy(r -> assertThat(r.parent()).isEqualTo(stackUrn));
        assertThat(run.requests(r -> r.type().startsWith("aws:"))).isNotEmpty()
                .allSatisfy(r -> assertThat(components).as(r.type() + " " + r.name()).contains(r.parent()));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theProgramAsksTheProviderForPartitionRegionAndAccount(StackRun run) {
        assertThat(run.invokes()).containsExactlyInAnyOrder("aws:index/getPartition:getPartition",
                "aws:index/getRegion:getRegion", "aws:index/getCallerIdentity:getCallerIdentity");
    }

    @Test
    void aBadConfigFailsTheProgramWithEveryProblemBeforeAnyResourceIsRegistered() {
        StackRun run = StackRun.of(EngineConfig.load("dev")
                .with("plans.dev.throttle.rateLimit", 0)
                .with("stageNmae", "dev"));
        ConfigException error = cause(run, ConfigException.class).orElseThrow(
                () -> new AssertionError("expected a ConfigException, got " + run.exceptions()));
        assertThat(error.getMessage()).isEqualTo("Invalid stack config for 'llm-gateway' (2 problems); nothing was created:"
                + "\n  - " + error.problems().get(0) + "\n  - " + error.problems().get(1));
        assertThat(error.problems()).anySatisfy(p -> assertThat(p).startsWith("llm-gateway:stageNmae: unknown key "
                + "(did you mean 'stageName'?)"));
        assertThat(error.problems()).contains("plans.dev.throttle.rateLimit: must be a number > 0 "
                + "(requests per second, fractions allowed), got 0");
        assertNothingDeclared(run);
    }

    @Test
    void configWarningsAreLoggedAsPulumiWarnings() {
        assertThat(StackRuns.devWithOtherPlanLimits().warnings()).contains("plans.dev.throttle: burstLimit 1 is below "
                + "rateLimit 2; more than 1 requests arriving together are throttled even within the rate");
        assertThat(StackRuns.dev().warnings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theCapacityReportIsLoggedAtEveryRun_warningsAsWarnings_andExported(StackRun run) {
        CapacityReport report = CapacityReport.of(run.config());
        assertThat(report.lines()).isNotEmpty();
        assertThat(run.outputValue("capacityReport")).isEqualTo(report.text());
        assertThat(run.logMessages()).containsAll(report.lines().stream().map(CapacityReport.Line::text).toList());
        assertThat(run.warnings()).containsAll(report.warnings());
    }

    @Test
    void theCommittedStacks_carryTheirPlansWithoutACapacityWarning() {
        assertThat(StackRuns.dev().warnings()).isEmpty();
        assertThat(StackRuns.prod().warnings()).isEmpty();
    }

    @Test
    void aReservationBelowWhatThePlansDemand_isACapacityWarningWithTheNumbersAndTheKey() {
        StackRun run = StackRun.of(EngineConfig.load("prod").with("reservedConcurrency", "100"));
        assertThat(run.warnings()).anySatisfy(w -> assertThat(w).startsWith(
                "capacity: the backend needs about 125 concurrent executions, above reservedConcurrency 100"));
    }

    @Test
    void aMissingArchiveFailsTheProgramNamingTheBuildCommandBeforeAnyResourceIsRegistered() {
        StackRun run = StackRun.of(EngineConfig.load("dev"),
                new LambdaArchive(dir.resolve("missing.zip"), dir.resolve("classes"), List.of("io/llmgateway/backend"),
                        List.of()), LambdaArchive.authorizer());
        IllegalStateException error = cause(run, IllegalStateException.class).orElseThrow(
                () -> new AssertionError("expected an IllegalStateException, got " + run.exceptions()));
        assertThat(error.getMessage()).contains("missing.zip does not exist", "`mvn -B compile`");
        assertNothingDeclared(run);
    }

    @Test
    void aStaleArchiveFailsTheProgramNamingTheBuildCommandBeforeAnyResourceIsRegistered() throws Exception {
        Path zip = Files.createFile(dir.resolve("authorizer.zip"));
        Path type = Files.createFile(Files.createDirectories(dir.resolve("classes/io/llmgateway/backend/authorizer"))
                .resolve("ApiKeyAuthorizer.class"));
        Files.setLastModifiedTime(zip, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        Files.setLastModifiedTime(type, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
        StackRun run = StackRun.of(EngineConfig.load("dev"), LambdaArchive.backend(),
                new LambdaArchive(zip, dir.resolve("classes"), List.of("io/llmgateway/backend/authorizer"), List.of()));
        IllegalStateException error = cause(run, IllegalStateException.class).orElseThrow(
                () -> new AssertionError("expected an IllegalStateException, got " + run.exceptions()));
        assertThat(error.getMessage()).contains("authorizer.zip", "is older than the classes", "`mvn -B compile`");
        assertNothingDeclared(run);
    }

    private static void assertNothingDeclared(StackRun run) {
        assertThat(run.resources()).isEmpty();
        assertThat(run.invokes()).isEmpty();
        assertThat(run.requests()).allSatisfy(r -> assertThat(r.type()).isEqualTo(STACK));
    }

    private static <T extends Throwable> Optional<T> cause(StackRun run, Class<T> type) {
        for (Throwable e : run.exceptions()) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (type.isInstance(t)) {
                    return Optional.of(type.cast(t));
                }
            }
        }
        return Optional.empty();
    }
}
