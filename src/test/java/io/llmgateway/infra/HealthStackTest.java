package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.INTEGRATION;
import static io.llmgateway.infra.testing.AwsTypes.INTEGRATION_RESPONSE;
import static io.llmgateway.infra.testing.AwsTypes.METHOD;
import static io.llmgateway.infra.testing.AwsTypes.METHOD_RESPONSE;
import static io.llmgateway.infra.testing.AwsTypes.RESOURCE;
import static io.llmgateway.infra.testing.AwsTypes.REST_API;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.contract.Health;
import io.llmgateway.infra.testing.AwsMocks.Registered;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /health: answered by API Gateway itself (MOCK), with no key, no authorizer and no Lambda. */
class HealthStackTest {

    @Test
    void healthIsAMockMethodOnItsOwnResource_withoutKeyOrAuthorizer() {
        StackRun run = StackRuns.dev();
        Registered api = run.one(REST_API, "api-rest");
        Registered resource = run.one(RESOURCE, "api-health");
        assertThat(resource.inputs()).containsEntry("restApi", api.id()).containsEntry("pathPart", "health")
                .containsEntry("parentId", api.state().get("rootResourceId"));

        Registered method = run.one(METHOD, "api-health-method");
        assertThat(method.inputs()).containsEntry("resourceId", resource.id()).containsEntry("httpMethod", "GET")
                .containsEntry("authorization", "NONE").containsEntry("apiKeyRequired", false)
                .doesNotContainKey("authorizerId");
        assertThat(run.one(INTEGRATION, "api-health-method-integration").inputs())
                .containsEntry("resourceId", resource.id()).containsEntry("httpMethod", "GET")
                .containsEntry("type", "MOCK")
                .containsEntry("requestTemplates", Map.of("application/json", "{\"statusCode\": 200}"))
                .doesNotContainKey("uri");
        assertThat(run.one(METHOD_RESPONSE, "api-health-method-response").inputs())
                .containsEntry("resourceId", resource.id()).containsEntry("statusCode", "200");
        assertThat(run.one(INTEGRATION_RESPONSE, "api-health-method-integration-response").inputs())
                .containsEntry("resourceId", resource.id()).containsEntry("statusCode", "200")
                .containsEntry("responseTemplates", Map.of("application/json", Health.BODY));
    }

    @Test
    void theDeploymentWaitsForHealth_andItsTriggersCoverIt() throws Exception {
        StackRun run = StackRuns.dev();
        assertThat(run.request(DEPLOYMENT, "api-deployment").dependencies()).contains(
                run.request(METHOD, "api-health-method").urn(),
                run.request(INTEGRATION, "api-health-method-integration").urn(),
                run.request(INTEGRATION_RESPONSE, "api-health-method-integration-response").urn());
        ApiDefinition definition = ApiDefinition.of(run.config());
        assertThat(definition.canonical()).containsEntry("health", ApiDefinition.health());
        assertThat(ApiDefinition.health()).containsEntry("integration", "MOCK").containsEntry("apiKeyRequired", false)
                .containsEntry("responseTemplate", Health.BODY);
        @SuppressWarnings("unchecked")
        Map<String, Object> triggers = (Map<String, Object>) run.one(DEPLOYMENT, "api-deployment").inputs().get("triggers");
        assertThat(triggers).containsEntry(GatewayApi.TRIGGER_API_DEFINITION, definition.fingerprint());
    }
}
