package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.ACCOUNT;
import static io.llmgateway.infra.testing.AwsTypes.ALIAS;
import static io.llmgateway.infra.testing.AwsTypes.AUTHORIZER;
import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static io.llmgateway.infra.testing.AwsTypes.INTEGRATION;
import static io.llmgateway.infra.testing.AwsTypes.INTEGRATION_RESPONSE;
import static io.llmgateway.infra.testing.AwsTypes.LOG_GROUP;
import static io.llmgateway.infra.testing.AwsTypes.METHOD;
import static io.llmgateway.infra.testing.AwsTypes.METHOD_RESPONSE;
import static io.llmgateway.infra.testing.AwsTypes.METHOD_SETTINGS;
import static io.llmgateway.infra.testing.AwsTypes.PERMISSION;
import static io.llmgateway.infra.testing.AwsTypes.RESOURCE;
import static io.llmgateway.infra.testing.AwsTypes.RESPONSE;
import static io.llmgateway.infra.testing.AwsTypes.REST_API;
import static io.llmgateway.infra.testing.AwsTypes.REST_API_POLICY;
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
import io.llmgateway.infra.testing.ImportedApi;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST API's wiring, on both repository stacks: the RestApi, its OpenAPI document and what surrounds it. */
class OpenAiRestApiTest {

    static Stream<Named<StackRun>> stacks() {
        return StackRuns.both();
    }

    /** Every run of the suite that declares an API: no part of it may be a resource of its own. */
    static Stream<Named<StackRun>> everyVariant() {
        return Stream.of(Named.of("dev", StackRuns.dev()), Named.of("prod", StackRuns.prod()),
                Named.of("dev+cors", StackRuns.devWithCors()), Named.of("dev+private", StackRuns.devPrivate()),
                Named.of("dev+streaming", StackRuns.devWithStreaming()),
                Named.of("dev+customDomain", StackRuns.devWithCustomDomain()));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theApiIsRegionalAndTakesItsUsagePlanKeysFromTheAuthorizer(StackRun run) {
        Registered api = run.one(REST_API, "api-rest");
        assertThat(api.inputs()).containsEntry("apiKeySource", "AUTHORIZER")
                .containsEntry("endpointConfiguration", Map.of("types", "REGIONAL"))
                .containsEntry("name", "llm-gateway-" + run.engineConfig().stack())
                .doesNotContainKey("putRestApiMode");
        // The import resets what the document leaves out, so it says the same (the provider sets the arguments back).
        ImportedApi document = ImportedApi.of(run);
        assertThat(document.document()).containsEntry("openapi", "3.0.1")
                .containsEntry("x-amazon-apigateway-api-key-source", "AUTHORIZER");
        assertThat(document.object("info")).containsEntry("title", api.inputs().get("name"))
                .containsEntry("description", api.inputs().get("description"));
    }

    @ParameterizedTest
    @MethodSource("everyVariant")
    void theWholeApiIsTheRestApisDocument_noPartOfItIsAResourceOfItsOwn(StackRun run) {
        // An overwrite import deletes whatever the document leaves out, so these would vanish at the next change.
        assertThat(run.resources()).extracting(Registered::type).doesNotContain(RESOURCE, METHOD, INTEGRATION,
                AUTHORIZER, RESPONSE, METHOD_RESPONSE, INTEGRATION_RESPONSE, REST_API_POLICY);
        assertThat(run.ofType(REST_API)).singleElement();
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theDocumentHasExactlyTheRoutesAndHealth(StackRun run) {
        List<String> expected = new ArrayList<>();
        for (Route route : Route.served(false)) {
            expected.add(route.method() + " " + route.path());
        }
        expected.add("GET /health");
        assertThat(ImportedApi.of(run).operationNames()).containsExactlyElementsOf(expected);
    }

    @ParameterizedTest
    @MethodSource("everyVariant")
    void everyRouteRequiresTheAuthorizerAndAnApiKey_onlyOptionsAndHealthDoNot(StackRun run) {
        ImportedApi document = ImportedApi.of(run);
        for (ImportedApi.Operation operation : document.operations()) {
            boolean open = operation.method().equals("OPTIONS") || operation.path().equals("/health");
            if (open) {
                assertThat(operation.security()).as(operation.method() + " " + operation.path()).isNull();
            } else {
                assertThat(operation.security()).as(operation.method() + " " + operation.path())
                        .isEqualTo(List.of(Map.of("api-key-authorizer", List.of(), "api_key", List.of())));
            }
        }
        // With no security at the document's root, an operation without its own has none.
        assertThat(document.document()).doesNotContainKey("security");
        Map<String, Map<String, Object>> schemes = document.securitySchemes();
        assertThat(schemes.keySet()).containsExactly("api_key", "api-key-authorizer");
        // What API Gateway reads as apiKeyRequired: an apiKey scheme on the x-api-key header.
        assertThat(schemes.get("api_key")).isEqualTo(Map.of("type", "apiKey", "name", "x-api-key", "in", "header"));
        assertThat(schemes.get("api-key-authorizer")).containsEntry("type", "apiKey")
                .containsEntry("x-amazon-apigateway-authtype", "custom");
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void everyRouteButChatIsABufferedLambdaProxyOnTheBackendAlias_chatStreamsByDefault(StackRun run) {
        Registered alias = run.one(ALIAS, "backend-alias");
        assertThat((String) alias.state().get("invokeArn")).endsWith(":function:" + alias.string("functionName")
                + ":live/invocations");
        ImportedApi document = ImportedApi.of(run);
        assertThat((String) document.operation(Route.CHAT_COMPLETIONS).integration().get("uri")).startsWith("arn:aws:apigateway:")
                .endsWith(":lambda:path/2021-11-15/functions/" + alias.state().get("arn") + "/response-streaming-invocations");
        assertThat(document.operation(Route.CHAT_COMPLETIONS).integration())
                .containsEntry("timeoutInMillis", 300_000)
                .containsEntry("responseTransferMode", "STREAM");
        for (Route route : Route.served(false)) {
            if (route.streams()) {
                continue;
            }
            assertThat(document.operation(route).integration()).as(route.toString()).isEqualTo(Map.of(
                    "type", "aws_proxy",
                    "httpMethod", "POST",
                    "uri", alias.state().get("invokeArn"),
                    "passthroughBehavior", "when_no_match",
                    "timeoutInMillis", run.config().api().integrationTimeoutMs(),
                    "responseTransferMode", "BUFFERED"));
        }
    }

    @Test
    void aPathParameterIsDeclaredOnEveryOperationOfItsPath() {
        List<Map<String, Object>> model = List.of(
                Map.of("name", "model", "in", "path", "required", true, "schema", Map.of("type", "string")));
        ImportedApi document = ImportedApi.of(StackRuns.devWithCors());
        assertThat(document.operation(Route.MODEL).body().get("parameters")).isEqualTo(model);
        assertThat(document.operation("OPTIONS", Route.MODEL.path()).body().get("parameters")).isEqualTo(model);
        assertThat(document.operation(Route.MODELS).body()).doesNotContainKey("parameters");
        assertThat(document.operation("OPTIONS", Route.MODELS.path()).body()).doesNotContainKey("parameters");
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
                executionArn + "/*/POST/v1/embeddings", executionArn + "/*/POST/v1/responses");
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void byDefaultTheAuthorizerRunsOnEveryRequestWithAnAlwaysPresentIdentitySource(StackRun run) {
        assertThat(authorizer(run)).isEqualTo(Map.of(
                "type", "request",
                "authorizerUri", run.one(FUNCTION, "authorizer-function").state().get("invokeArn"),
                "identitySource", "context.httpMethod",
                "authorizerResultTtlInSeconds", 0));
    }

    @Test
    void withCachingTheAuthorizerResultIsKeyedOnTheAuthorizationHeader() {
        assertThat(authorizer(StackRuns.devWithAuthorizerCache()))
                .containsEntry("type", "request")
                .containsEntry("identitySource", "method.request.header.Authorization")
                .containsEntry("authorizerResultTtlInSeconds", 300);
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void apiGatewayMayInvokeTheAuthorizerFunctionOnlyAsAnAuthorizerOfThisApi(StackRun run) {
        String function = (String) run.one(FUNCTION, "authorizer-function").state().get("name");
        List<Registered> permissions = run.ofType(PERMISSION).stream()
                .filter(p -> function.equals(p.inputs().get("function"))).toList();
        // The import creates the authorizer, so its id is unknown here: every authorizer of this API.
        assertThat(permissions).singleElement().satisfies(p -> assertThat(p.inputs())
                .containsEntry("action", "lambda:InvokeFunction")
                .containsEntry("principal", "apigateway.amazonaws.com")
                .containsEntry("sourceArn", executionArn(run) + "/authorizers/*")
                .doesNotContainKey("qualifier"));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void everyGatewayResponseOfTheContractIsInTheDocumentAsOpenAiJson(StackRun run) throws Exception {
        List<GatewayResponse> expected = run.config().gatewayResponses();
        Map<String, Map<String, Object>> declared = ImportedApi.of(run).gatewayResponses();
        assertThat(declared.keySet()).containsExactlyElementsOf(expected.stream().map(GatewayResponse::responseType).toList());
        for (GatewayResponse response : expected) {
            Map<String, Object> entry = declared.get(response.responseType());
            assertThat(entry.get("statusCode"))
                    .isEqualTo(response.statusCode() == null ? null : response.statusCode().toString());
            assertThat(entry.get("responseParameters"))
                    .isEqualTo(response.responseParameters().isEmpty() ? null : response.responseParameters());
            assertThat(entry.get("responseTemplates")).isEqualTo(Map.of("application/json", response.bodyTemplate()));
            // What API Gateway renders: $context.error.messageString expands to a quoted string.
            String rendered = response.bodyTemplate().replace("$context.error.messageString", "\"Forbidden\"");
            assertThat(Json.readObject(rendered)).containsKey("error");
        }
    }

    @ParameterizedTest
    @MethodSource("stacks")
    @SuppressWarnings("unchecked")
    void bothTooManyRequestsResponsesCarryRetryAfter(StackRun run) {
        Map<String, Map<String, Object>> responses = ImportedApi.of(run).gatewayResponses();
        for (String type : List.of(GatewayResponses.THROTTLED, GatewayResponses.QUOTA_EXCEEDED)) {
            assertThat(responses.get(type).get("statusCode")).isEqualTo("429");
            Map<String, String> parameters = (Map<String, String>) responses.get(type).get("responseParameters");
            assertThat(parameters.get("gatewayresponse.header.Retry-After")).matches("'[1-9][0-9]*'");
        }
        assertThat(((Map<?, ?>) responses.get(GatewayResponses.THROTTLED).get("responseParameters"))
                .get("gatewayresponse.header.Retry-After")).isEqualTo("'1'");
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theDeploymentIsTriggeredByTheDocumentsHashAndWaitsForTheApiAndThePermissions(StackRun run) {
        Registered deployment = run.one(DEPLOYMENT, "api-deployment");
        String body = ImportedApi.of(run).json();
        assertThat(deployment.inputs()).doesNotContainKey("stageName")
                .containsEntry("restApi", AwsMocks.REST_API_ID)
                .containsEntry("triggers", Map.of("openApiSha256", OpenApiDocument.sha256(body)));
        assertThat(OpenApiDocument.sha256(body)).matches("[0-9a-f]{64}");
        Set<String> dependencies = new HashSet<>(run.request(DEPLOYMENT, "api-deployment").dependencies());
        assertThat(dependencies).contains(run.request(REST_API, "api-rest").urn());
        assertThat(dependencies).containsAll(run.requests(r -> r.type().equals(PERMISSION) && r.name().startsWith("api-"))
                .stream().map(StackRun.Request::urn).toList());
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
                "~1v1~1embeddings/POST", "~1v1~1responses/POST");
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> authorizer(StackRun run) {
        return (Map<String, Object>) ImportedApi.of(run).securitySchemes().get("api-key-authorizer")
                .get("x-amazon-apigateway-authorizer");
    }

    private static String executionArn(StackRun run) {
        return (String) run.one(REST_API, "api-rest").state().get("executionArn");
    }
}
