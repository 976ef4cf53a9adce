package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.ALIAS;
import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static io.llmgateway.infra.testing.AwsTypes.LOG_GROUP;
import static io.llmgateway.infra.testing.AwsTypes.ROLE;
import static io.llmgateway.infra.testing.AwsTypes.ROLE_POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BedrockModelId;
import io.llmgateway.config.StackConfig;
import io.llmgateway.common.Json;
import io.llmgateway.infra.testing.AwsMocks;
import io.llmgateway.infra.testing.AwsMocks.Registered;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The two Lambda functions, their logs and their IAM, on both repository stacks. */
class BackendFunctionTest {

    static Stream<Named<StackRun>> stacks() {
        return StackRuns.both();
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theBackendIsAJava21Arm64FunctionWithSnapStartOnPublishedVersions(StackRun run) {
        StackConfig config = run.config();
        assertThat(run.one(FUNCTION, "backend-function").inputs())
                .containsEntry("runtime", "java21")
                .containsEntry("architectures", List.of("arm64"))
                .containsEntry("handler", "io.llmgateway.backend.BackendHandler::handleRequest")
                .containsEntry("publish", true)
                .containsEntry("snapStart", Map.of("applyOn", "PublishedVersions"))
                .containsEntry("memorySize", (double) config.lambda().memoryMb())
                .containsEntry("timeout", (double) config.streaming().functionTimeoutSeconds(config.lambda().timeoutSeconds()))
                .containsEntry("reservedConcurrentExecutions", (double) config.lambda().reservedConcurrency());
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theBackendEnvironmentIsTheBackendSettingsPlusTheTokenStorePlusTheJvmFlags(StackRun run) {
        Map<String, String> expected = new LinkedHashMap<>(run.config().backendSettings().toEnvironment());
        expected.putAll(run.config().tokenStoreSettings("llm-gateway-" + run.config().stageName() + "-tokens").toEnvironment());
        // Streaming is on by default: the function runs this project's runtime client, which can stream.
        expected.put("AWS_LAMBDA_EXEC_WRAPPER", "/var/task/llm-gateway-runtime");
        expected.put("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
        assertThat(run.one(FUNCTION, "backend-function").inputs().get("environment"))
                .isEqualTo(Map.of("variables", expected));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theAliasFollowsThePublishedVersion(StackRun run) {
        Registered function = run.one(FUNCTION, "backend-function");
        assertThat(run.one(ALIAS, "backend-alias").inputs())
                .containsEntry("name", "live")
                .containsEntry("functionName", function.state().get("name"))
                .containsEntry("functionVersion", function.state().get("version"));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theAuthorizerIsASmallJava21Arm64FunctionWithTheJvmFlags(StackRun run) {
        assertThat(run.one(FUNCTION, "authorizer-function").inputs())
                .containsEntry("runtime", "java21")
                .containsEntry("architectures", List.of("arm64"))
                .containsEntry("handler", "io.llmgateway.backend.authorizer.ApiKeyAuthorizer::handleRequest")
                .containsEntry("memorySize", 512.0)
                .containsEntry("timeout", 5.0)
                .containsEntry("environment", Map.of("variables",
                        Map.of("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1")));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void eachFunctionLogsToItsOwnGroupWithTheConfiguredRetention(StackRun run) {
        for (String function : List.of("backend", "authorizer")) {
            Registered group = run.one(LOG_GROUP, function + "-logs");
            assertThat(group.inputs()).containsEntry("retentionInDays", (double) run.config().logging().retentionDays());
            assertThat(run.one(FUNCTION, function + "-function").inputs().get("loggingConfig"))
                    .isEqualTo(Map.of("logFormat", "Text", "logGroup", group.state().get("name")));
        }
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void everyLogGroupHasTheConfiguredRetention(StackRun run) {
        assertThat(run.ofType(LOG_GROUP)).isNotEmpty().allSatisfy(group -> assertThat(group.inputs())
                .containsEntry("retentionInDays", (double) run.config().logging().retentionDays()));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void eachFunctionRoleIsAssumableOnlyByLambdaAndWritesOnlyItsOwnLogGroup(StackRun run) throws Exception {
        for (String function : List.of("backend", "authorizer")) {
            Registered role = run.one(ROLE, function + "-role");
            assertThat(Json.readObject(role.string("assumeRolePolicy")).get("Statement")).isEqualTo(List.of(Map.of(
                    "Effect", "Allow", "Action", List.of("sts:AssumeRole"),
                    "Principal", Map.of("Service", "lambda.amazonaws.com"))));
            assertThat(run.one(FUNCTION, function + "-function").inputs()).containsEntry("role", role.state().get("arn"));
            Registered logs = run.one(ROLE_POLICY, function + "-logs-policy");
            assertThat(logs.inputs()).containsEntry("role", role.id());
            assertThat(statements(logs)).singleElement().satisfies(s -> {
                assertThat(s.get("Action")).isEqualTo(List.of("logs:CreateLogStream", "logs:PutLogEvents"));
                assertThat(s.get("Resource")).isEqualTo(List.of(run.one(LOG_GROUP, function + "-logs").state().get("arn") + ":*"));
            });
        }
        assertThat(run.ofType(ROLE_POLICY).stream().filter(p -> p.inputs().get("role").equals(run.one(ROLE, "authorizer-role").id())))
                .as("the authorizer only writes logs").hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void noPolicyOfTheStackHasAWildcardAction(StackRun run) throws Exception {
        List<String> actions = new ArrayList<>();
        for (Registered policy : run.ofType(ROLE_POLICY)) {
            statements(policy).forEach(s -> actions.addAll(strings(s.get("Action"))));
        }
        for (Registered role : run.ofType(ROLE)) {
            statements(role.string("assumeRolePolicy")).forEach(s -> actions.addAll(strings(s.get("Action"))));
        }
        assertThat(actions).isNotEmpty().noneMatch(action -> action.contains("*"));
    }

    @Test
    void onProdTheBackendMayInvokeExactlyTheConfiguredModels() throws Exception {
        StackRun run = StackRuns.prod();
        String profile = "arn:aws:bedrock:us-east-1:" + AwsMocks.ACCOUNT
                + ":inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0";
        List<Map<String, Object>> statements = statements(run.one(ROLE_POLICY, "backend-bedrock-policy"));
        assertThat(statements).allSatisfy(s -> assertThat(s.get("Action"))
                .isEqualTo(List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream")));
        assertThat(resources(statements)).containsExactlyInAnyOrder(
                "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0",
                profile,
                "arn:aws:bedrock:*::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0");
        assertThat(statements).filteredOn(s -> strings(s.get("Resource")).get(0).startsWith("arn:aws:bedrock:*:"))
                .singleElement().satisfies(s -> assertThat(s.get("Condition"))
                        .isEqualTo(Map.of("StringEquals", Map.of("bedrock:InferenceProfileArn", profile))));
    }

    @Test
    void onDevTheBackendMayInvokeOnlyItsChatAndEmbeddingModelsInTheRegion() throws Exception {
        StackRun run = StackRuns.dev();
        Set<String> expected = new TreeSet<>();
        for (BedrockModelId model : run.config().models().values()) {
            expected.add("arn:aws:bedrock:" + AwsMocks.REGION + "::foundation-model/" + model.id());
        }
        assertThat(resources(statements(run.one(ROLE_POLICY, "backend-bedrock-policy"))))
                .containsExactlyElementsOf(expected)
                .containsExactly("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0",
                        "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0");
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static List<Map<String, Object>> statements(Registered policy) throws Exception {
        return statements(policy.string("policy"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(String document) throws Exception {
        return (List<Map<String, Object>>) Json.readObject(document).get("Statement");
    }

    private static List<String> resources(List<Map<String, Object>> statements) {
        return statements.stream().flatMap(s -> strings(s.get("Resource")).stream()).toList();
    }

    private static List<String> strings(Object actionOrResource) {
        return actionOrResource instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(actionOrResource));
    }
}
