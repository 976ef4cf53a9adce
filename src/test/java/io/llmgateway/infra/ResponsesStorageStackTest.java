package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.ALIAS;
import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static io.llmgateway.infra.testing.AwsTypes.ROLE_POLICY;
import static io.llmgateway.infra.testing.AwsTypes.TABLE;
import static io.llmgateway.infra.testing.AwsTypes.USAGE_PLAN;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.common.ResponseStoreSettings;
import io.llmgateway.common.TokenStoreSettings;
import io.llmgateway.contract.Route;
import io.llmgateway.infra.testing.AwsMocks;
import io.llmgateway.infra.testing.EngineConfig;
import io.llmgateway.infra.testing.ImportedApi;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * config {@code responses.store}: with it on, the prod stack declares the responses table (on-demand,
 * encrypted, TTL), lets the backend use exactly that table, tells it the days, and serves the three
 * stored-response routes keyed, authorized and throttled like the others; without it none of that exists.
 */
class ResponsesStorageStackTest {

    private static final List<Route> STORED = List.of(Route.RESPONSE_GET, Route.RESPONSE_DELETE,
            Route.RESPONSE_INPUT_ITEMS);
    private static final StackRun STORING = StackRun.of(EngineConfig.load("prod")
            .with("responses", Map.of("store", Map.of("enabled", true, "ttlDays", 7)))
            .with("plans.premium.methodThrottles", Map.of(
                    "/v1/responses/{response_id}/GET", Map.of("rateLimit", 6, "burstLimit", 12),
                    "/v1/responses/{response_id}/input_items/GET", Map.of("rateLimit", 3, "burstLimit", 6))))
            .throwOnError();

    private static String tableName(StackRun run) {
        return "llm-gateway-" + run.engineConfig().stack() + "-tokens-responses";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(StackRun run) {
        return (Map<String, String>) ((Map<String, Object>) run.one(FUNCTION, "backend-function").inputs()
                .get("environment")).get("variables");
    }

    @Test
    void theTable_isOnDemand_keyedByTheResponseId_encryptedWithTheAwsManagedKey_andExpiresItems() {
        assertThat(STORING.one(TABLE, "responses-table").inputs())
                .containsEntry("name", tableName(STORING))
                .containsEntry("billingMode", "PAY_PER_REQUEST")
                .containsEntry("hashKey", "id")
                .containsEntry("attributes", List.of(Map.of("name", "id", "type", "S")))
                .containsEntry("ttl", Map.of("attributeName", "expiresAt", "enabled", true))
                .containsEntry("serverSideEncryption", Map.of("enabled", true))
                .containsEntry("pointInTimeRecovery", Map.of("enabled", false))
                .doesNotContainKey("rangeKey");
    }

    @Test
    void theBackendMayGetPutAndDeleteItems_ofThatTableOnly_andLearnsOnlyTheDays() throws Exception {
        Map<String, Object> policy = Json.readObject((String) STORING.one(ROLE_POLICY, "backend-responses-policy")
                .inputs().get("policy"));
        assertThat((List<?>) policy.get("Statement")).singleElement().isEqualTo(Map.of(
                "Sid", "UseResponsesTable", "Effect", "Allow",
                "Action", List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"),
                "Resource", List.of("arn:aws:dynamodb:" + AwsMocks.REGION + ":" + AwsMocks.ACCOUNT + ":table/"
                        + tableName(STORING))));
        Map<String, String> env = environment(STORING);
        assertThat(env).containsEntry(ResponseStoreSettings.ENV_DAYS, "7");
        // The backend derives the table's name from the token table's, as the stack named it.
        assertThat(ResponseStoreSettings.fromEnvironment(env))
                .isEqualTo(new ResponseStoreSettings(tableName(STORING), 7));
        assertThat(env.get(TokenStoreSettings.ENV_TABLE) + ResponseStoreSettings.TABLE_SUFFIX).isEqualTo(tableName(STORING));
    }

    @Test
    void theStoredRoutes_areKeyedAuthorizedBufferedProxies_onTheBackendAlias_withTheirPathParameter() {
        ImportedApi document = ImportedApi.of(STORING);
        String invokeArn = (String) STORING.one(ALIAS, "backend-alias").state().get("invokeArn");
        for (Route route : STORED) {
            ImportedApi.Operation operation = document.operation(route);
            assertThat(operation.security()).as(route.name())
                    .isEqualTo(List.of(Map.of("api-key-authorizer", List.of(), "api_key", List.of())));
            assertThat(operation.integration()).as(route.name())
                    .containsEntry("type", "aws_proxy")
                    .containsEntry("httpMethod", "POST")
                    .containsEntry("uri", invokeArn)
                    .containsEntry("responseTransferMode", "BUFFERED");
            assertThat(operation.body().get("parameters")).as(route.name()).isEqualTo(List.of(Map.of(
                    "name", "response_id", "in", "path", "required", true, "schema", Map.of("type", "string"))));
        }
    }

    @Test
    void theirMethodThrottles_reachThePlan_keyedByTheResourcePathTemplate() {
        @SuppressWarnings("unchecked")
        Map<String, Object> stage = (Map<String, Object>) ((List<?>) STORING.one(USAGE_PLAN, "plans-premium").inputs()
                .get("apiStages")).get(0);
        assertThat(new java.util.ArrayList<Object>((List<?>) stage.get("throttles"))).containsExactlyInAnyOrder(
                Map.of("path", "/v1/responses/{response_id}/GET", "rateLimit", 6.0, "burstLimit", 12.0),
                Map.of("path", "/v1/responses/{response_id}/input_items/GET", "rateLimit", 3.0, "burstLimit", 6.0));
    }

    @Test
    void withoutTheKey_thereIsNoTable_noPolicy_noVariable_andNoRoute_andTurningItOnRedeploys() {
        StackRun prod = StackRuns.prod();
        assertThat(prod.ofType(TABLE)).extracting(AwsMocks.Registered::name).containsExactly("tokens-table");
        assertThat(prod.ofType(ROLE_POLICY)).noneSatisfy(p -> assertThat(p.name()).isEqualTo("backend-responses-policy"));
        assertThat(environment(prod)).doesNotContainKey(ResponseStoreSettings.ENV_DAYS);
        assertThat(ImportedApi.of(prod).paths()).doesNotContainKeys("/v1/responses/{response_id}",
                "/v1/responses/{response_id}/input_items");
        assertThat(STORING.one(DEPLOYMENT, "api-deployment").inputs().get("triggers"))
                .isNotEqualTo(prod.one(DEPLOYMENT, "api-deployment").inputs().get("triggers"));
    }
}
