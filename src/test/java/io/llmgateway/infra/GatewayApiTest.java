package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.ACCOUNT;
import static io.llmgateway.infra.testing.AwsTypes.ALIAS;
import static io.llmgateway.infra.testing.AwsTypes.AUTHORIZER;
import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static io.llmgateway.infra.testing.AwsTypes.INTEGRATION;
import static io.llmgateway.infra.testing.AwsTypes.LOG_GROUP;
import static io.llmgateway.infra.testing.AwsTypes.METHOD;
import static io.llmgateway.infra.testing.AwsTypes.METHOD_SETTINGS;
import static io.llmgateway.infra.testing.AwsTypes.PERMISSION;
import static io.llmgateway.infra.testing.AwsTypes.RESOURCE;
import static io.llmgateway.infra.testing.AwsTypes.RESPONSE;
import static io.llmgateway.infra.testing.AwsTypes.REST_API;
import static io.llmgateway.infra.testing.AwsTypes.ROLE;
import static io.llmgateway.infra.testing.AwsTypes.ROLE_POLICY_ATTACHMENT;
import static io.llmgateway.infra.testing.AwsTypes.STAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.StackConfig;
import io.llmgateway.contract.GatewayResponse;
import io.llmgateway.contract.GatewayResponses;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Route;
import io.llmgateway.infra.testing.AwsMocks;
import io.llmgateway.infra.testing.AwsMocks.Registered;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST API's wiring, on both repository stacks. */
class GatewayApiTest {

    static Stream<Named<StackRun>> stacks() {
        return StackRuns.both();
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theApiIsRegionalAndTakesItsUsagePlanKeysFromTheAuthorizer(StackRun run) {
        Registered api = run.one(REST_API, "api-rest");
        assertThat(api.inputs()).containsEntry("apiKeySource", "AUTHORIZER")
                .containsEntry("endpointConfiguration", Map.of("types", "REGIONAL"))
                .containsEntry("name", "llm-gateway-" + run.engineConfig().stack());
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void everyRouteIsAKeyRequiredMethodAuthorisedByTheAuthorizer(StackRun run) {
        Registered authorizer = run.one(AUTHORIZER, "api-authorizer");
        // The routes' methods, and GET /health, which takes no key (HealthStackTest).
        assertThat(run.ofType(METHOD)).hasSize(Route.values().length + 1);
        for (Route route : Route.values()) {
            Registered method = method(run, route);
            assertThat(method.inputs())
                    .containsEntry("authorization", "CUSTOM")
                    .containsEntry("authorizerId", authorizer.id())
                    .containsEntry("apiKeyRequired", true)
                    .containsEntry("restApi", AwsMocks.REST_API_ID);
        }
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theResourceTreeFollowsTheRoutePaths(StackRun run) {
        assertThat(run.ofType(RESOURCE).stream().map(r -> path(run, r)).toList())
                .containsExactlyInAnyOrder("/v1", "/v1/chat", "/v1/chat/completions", "/v1/models", "/v1/models/{model}",
                        "/v1/embeddings", "/health");
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void everyMethodIsALambdaProxyOnTheBackendAlias(StackRun run) {
        Registered alias = run.one(ALIAS, "backend-alias");
        assertThat((String) alias.state().get("invokeArn")).endsWith(":function:" + alias.string("functionName")
                + ":live/invocations");
        assertThat(run.ofType(INTEGRATION)).hasSize(Route.values().length + 1); // and GET /health's MOCK
        for (Route route : Route.values()) {
            Registered method = method(run, route);
            Registered integration = run.ofType(INTEGRATION).stream()
                    .filter(i -> i.inputs().get("resourceId").equals(method.inputs().get("resourceId"))
                            && i.inputs().get("httpMethod").equals(route.method()))
                    .findFirst().orElseThrow();
            assertThat(integration.inputs())
                    .containsEntry("type", "AWS_PROXY")
                    .containsEntry("integrationHttpMethod", "POST")
                    .containsEntry("uri", alias.state().get("invokeArn"))
                    .containsEntry("timeoutMilliseconds", (double) run.config().api().integrationTimeoutMs());
        }
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void apiGatewayMayInvokeTheBackendOnlyThroughItsAliasOnThisApisRoutes(StackRun run) {
        String function = (String) run.one(FUNCTION, "backend-function").state().get("name");
        String executionArn = executionArn(run);
        List<Registered> permissions = run.ofType(PERMISSION).stream()
                .filter(p -> function.equals(p.inputs().get("function"))).toList();
        assertThat(permissions).allSatisfy(p -> assertThat(p.inputs())
                .containsEntry("action", "lambda:InvokeFunction")
                .containsEntry("principal", "apigateway.amazonaws.com")
                .containsEntry("qualifier", run.one(ALIAS, "backend-alias").inputs().get("name")));
        assertThat(permissions.stream().map(p -> p.inputs().get("sourceArn")).toList()).containsExactlyInAnyOrder(
                executionArn + "/*/POST/v1/chat/completions",
                executionArn + "/*/GET/v1/models",
                // API Gateway calls with the request's path: a path parameter is any one segment.
                executionArn + "/*/GET/v1/models/*",
                executionArn + "/*/POST/v1/embeddings");
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void byDefaultTheAuthorizerRunsOnEveryRequestWithAnAlwaysPresentIdentitySource(StackRun run) {
        Registered authorizer = run.one(AUTHORIZER, "api-authorizer");
        assertThat(authorizer.inputs())
                .containsEntry("type", "REQUEST")
                .containsEntry("identitySource", "context.httpMethod")
                .containsEntry("authorizerResultTtlInSeconds", 0.0)
                .containsEntry("authorizerUri", run.one(FUNCTION, "authorizer-function").state().get("invokeArn"));
    }

    @Test
    void withCachingTheAuthorizerResultIsKeyedOnTheAuthorizationHeader() {
        Registered authorizer = StackRuns.devWithAuthorizerCache().one(AUTHORIZER, "api-authorizer");
        assertThat(authorizer.inputs())
                .containsEntry("type", "REQUEST")
                .containsEntry("identitySource", "method.request.header.Authorization")
                .containsEntry("authorizerResultTtlInSeconds", 300.0);
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void apiGatewayMayInvokeTheAuthorizerFunctionOnlyAsThisAuthorizer(StackRun run) {
        String function = (String) run.one(FUNCTION, "authorizer-function").state().get("name");
        List<Registered> permissions = run.ofType(PERMISSION).stream()
                .filter(p -> function.equals(p.inputs().get("function"))).toList();
        assertThat(permissions).singleElement().satisfies(p -> assertThat(p.inputs())
                .containsEntry("action", "lambda:InvokeFunction")
                .containsEntry("principal", "apigateway.amazonaws.com")
                .containsEntry("sourceArn", executionArn(run) + "/authorizers/" + run.one(AUTHORIZER, "api-authorizer").id())
                .doesNotContainKey("qualifier"));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void everyGatewayResponseOfTheContractIsDeclaredAsOpenAiJson(StackRun run) throws Exception {
        List<GatewayResponse> expected = run.config().gatewayResponses();
        assertThat(run.ofType(RESPONSE)).hasSize(expected.size());
        for (GatewayResponse response : expected) {
            Registered declared = response(run, response.responseType());
            assertThat(declared.inputs().get("restApiId")).isEqualTo(AwsMocks.REST_API_ID);
            assertThat(declared.inputs().get("statusCode"))
                    .isEqualTo(response.statusCode() == null ? null : response.statusCode().toString());
            assertThat(declared.inputs().get("responseParameters")).isEqualTo(response.responseParameters());
            assertThat(declared.inputs().get("responseTemplates")).isEqualTo(Map.of("application/json", response.bodyTemplate()));
            // What API Gateway renders: $context.error.messageString expands to a quoted string.
            String rendered = response.bodyTemplate().replace("$context.error.messageString", "\"Forbidden\"");
            assertThat(Json.readObject(rendered)).containsKey("error");
        }
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void bothTooManyRequestsResponsesCarryRetryAfter(StackRun run) {
        for (String type : List.of(GatewayResponses.THROTTLED, GatewayResponses.QUOTA_EXCEEDED)) {
            Registered response = response(run, type);
            assertThat(response.inputs().get("statusCode")).isEqualTo("429");
            @SuppressWarnings("unchecked")
            Map<String, String> parameters = (Map<String, String>) response.inputs().get("responseParameters");
            assertThat(parameters.get("gatewayresponse.header.Retry-After")).matches("'[1-9][0-9]*'");
        }
        assertThat(((Map<?, ?>) response(run, GatewayResponses.THROTTLED).inputs().get("responseParameters"))
                .get("gatewayresponse.header.Retry-After")).isEqualTo("'1'");
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theDeploymentHasNoStageNameAndWaitsForEverythingItDeploys(StackRun run) {
        Registered deployment = run.one(DEPLOYMENT, "api-deployment");
        assertThat(deployment.inputs()).doesNotContainKey("stageName")
                .containsEntry("triggers", Map.of(
                        "apiDefinition", ApiDefinition.of(run.config()).fingerprint(),
                        "integrationUri", run.one(ALIAS, "backend-alias").state().get("invokeArn"),
                        "authorizerUri", run.one(FUNCTION, "authorizer-function").state().get("invokeArn")));
        Set<String> dependencies = new HashSet<>(run.request(DEPLOYMENT, "api-deployment").dependencies());
        List<String> deployed = run.requests(r -> r.type().equals(METHOD) || r.type().equals(INTEGRATION)
                || r.type().equals(RESPONSE)).stream().map(StackRun.Request::urn).toList();
        // Each route's method and integration, GET /health's (MOCK), and the gateway responses.
        assertThat(deployed).hasSize(2 * Route.values().length + 2 + run.config().gatewayResponses().size());
        assertThat(dependencies).containsAll(deployed);
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theStageServesTheDeploymentWithTracingAndJsonAccessLogs(StackRun run) throws Exception {
        StackConfig config = run.config();
        Registered stage = run.one(STAGE, "api-stage");
        Registered accessLogs = run.one(LOG_GROUP, "api-access-logs");
        assertThat(stage.inputs())
                .containsEntry("stageName", config.stageName())
                .containsEntry("deployment", run.one(DEPLOYMENT, "api-deployment").id())
                .containsEntry("xrayTracingEnabled", config.logging().tracingEnabled());
        @SuppressWarnings("unchecked")
        Map<String, Object> accessLog = (Map<String, Object>) stage.inputs().get("accessLogSettings");
        assertThat(accessLog.get("destinationArn")).isEqualTo(accessLogs.state().get("arn"));
        Map<String, Object> format = Json.readObject((String) accessLog.get("format"));
        assertThat(format.values()).contains("$context.requestId", "$context.identity.apiKeyId", "$context.status",
                "$context.error.responseType", "$context.integrationLatency", "$context.responseLatency",
                "$context.httpMethod", "$context.resourcePath", "$context.requestTime", "$context.identity.sourceIp",
                "$context.authorizer.error");
        // The key value is a secret; its id is what the logs may carry.
        assertThat(format.values()).doesNotContain("$context.identity.apiKey");
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theStageMethodSettingsCoverEveryMethodAndEachRouteByItsEscapedPath(StackRun run) {
        StackConfig config = run.config();
        List<Registered> settings = run.ofType(METHOD_SETTINGS);
        assertThat(settings.stream().map(s -> s.inputs().get("methodPath")).toList()).containsExactlyInAnyOrder(
                "*/*", "~1v1~1chat~1completions/POST", "~1v1~1models/GET", "~1v1~1models~1{model}/GET",
                "~1v1~1embeddings/POST");
        String stageUrn = run.request(STAGE, "api-stage").urn();
        for (Registered setting : settings) {
            assertThat(setting.inputs()).containsEntry("stageName", config.stageName())
                    .containsEntry("restApi", AwsMocks.REST_API_ID)
                    .containsEntry("settings", Map.of(
                            "metricsEnabled", config.logging().metricsEnabled(),
                            "loggingLevel", config.logging().level(),
                            "dataTraceEnabled", false,
                            "throttlingRateLimit", config.api().stageThrottle().rateLimit(),
                            "throttlingBurstLimit", (double) config.api().stageThrottle().burstLimit()));
            // The stage name comes from the Stage's output, so each setting waits for the stage.
            assertThat(run.request(METHOD_SETTINGS, setting.name()).dependencies()).contains(stageUrn);
        }
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theStageWaitsForTheRegionsCloudWatchRoleWhenTheStackManagesIt(StackRun run) {
        Registered role = run.one(ROLE, "api-cloudwatch-role");
        Registered attachment = run.one(ROLE_POLICY_ATTACHMENT, "api-cloudwatch-policy");
        Registered account = run.one(ACCOUNT, "api-account");
        assertThat((String) role.inputs().get("assumeRolePolicy")).contains("\"Service\":\"apigateway.amazonaws.com\"");
        assertThat(attachment.inputs()).containsEntry("role", role.state().get("name")).containsEntry("policyArn",
                "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs");
        assertThat(account.inputs()).containsEntry("cloudwatchRoleArn", role.state().get("arn"));
        assertThat(run.request(ACCOUNT, "api-account").dependencies())
                .contains(run.request(ROLE_POLICY_ATTACHMENT, "api-cloudwatch-policy").urn());
        assertThat(run.request(STAGE, "api-stage").dependencies()).contains(run.request(ACCOUNT, "api-account").urn());
    }

    @Test
    void withoutManageCloudWatchRoleThereIsNoAccountSettingToWaitFor() {
        StackRun run = StackRuns.devWithoutLoggingSetup();
        assertThat(run.ofType(ACCOUNT)).isEmpty();
        assertThat(run.ofType(ROLE).stream().map(Registered::name)).doesNotContain("api-cloudwatch-role");
        assertThat(run.ofType(STAGE)).hasSize(1);
    }

    @Test
    void executionLogsGoToAPreCreatedGroupWithRetentionOnlyWhenLoggingIsOn() {
        StackRun run = StackRuns.dev();
        Registered group = run.one(LOG_GROUP, "api-execution-logs");
        assertThat(group.inputs()).containsEntry("name", "API-Gateway-Execution-Logs_" + AwsMocks.REST_API_ID + "/dev")
                .containsEntry("retentionInDays", 7.0);
        assertThat(run.request(STAGE, "api-stage").dependencies()).contains(run.request(LOG_GROUP, "api-execution-logs").urn());
        assertThat(StackRuns.devWithoutLoggingSetup().ofType(LOG_GROUP).stream().map(Registered::name))
                .doesNotContain("api-execution-logs");
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static Registered method(StackRun run, Route route) {
        List<Registered> methods = run.ofType(METHOD).stream()
                .filter(m -> route.method().equals(m.inputs().get("httpMethod")))
                .filter(m -> route.path().equals(path(run, resourceById(run, (String) m.inputs().get("resourceId")))))
                .toList();
        assertThat(methods).as("methods for " + route).hasSize(1);
        return methods.get(0);
    }

    private static Registered response(StackRun run, String type) {
        return run.ofType(RESPONSE).stream().filter(r -> type.equals(r.inputs().get("responseType")))
                .reduce((a, b) -> {
                    throw new AssertionError("two gateway responses of type " + type);
                }).orElseThrow(() -> new AssertionError("no gateway response of type " + type));
    }

    private static Registered resourceById(StackRun run, String id) {
        return run.ofType(RESOURCE).stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    /** The resource's full path, walking parentId up to the API's root resource. */
    private static String path(StackRun run, Registered resource) {
        String root = (String) run.one(REST_API, "api-rest").state().get("rootResourceId");
        String parent = (String) resource.inputs().get("parentId");
        String own = "/" + resource.inputs().get("pathPart");
        return parent.equals(root) ? own : path(run, resourceById(run, parent)) + own;
    }

    private static String executionArn(StackRun run) {
        return (String) run.one(REST_API, "api-rest").state().get("executionArn");
    }
}
