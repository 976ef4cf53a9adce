package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.ALIAS;
import static io.llmgateway.infra.testing.AwsTypes.AUTHORIZER;
import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static io.llmgateway.infra.testing.AwsTypes.INTEGRATION;
import static io.llmgateway.infra.testing.AwsTypes.RESPONSE;
import static io.llmgateway.infra.testing.AwsTypes.USAGE_PLAN;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The Deployment's triggers, compared across runs of the program: API Gateway serves a changed API
 * only after a new deployment, and a plan-limit change must not cause one. (A route change is
 * covered in ApiDefinitionTest: the routes are code, not config.) A stage serves the integration
 * and authorizer URIs of its deployment's snapshot, so a replaced function (a new ARN) must
 * redeploy too, or the stage keeps calling the deleted one.
 */
class DeploymentTriggersTest {

    private static Object trigger(StackRun run) {
        return run.one(DEPLOYMENT, "api-deployment").inputs().get("triggers");
    }

    /** What the integrations ({@code uri}) or the authorizer ({@code authorizerUri}) call. */
    private static List<String> uris(StackRun run, String type) {
        String property = type.equals(INTEGRATION) ? "uri" : "authorizerUri";
        // GET /health's MOCK integration calls nothing.
        return run.ofType(type).stream().map(r -> (String) r.inputs().get(property)).filter(Objects::nonNull).toList();
    }

    @Test
    void changingOnlyAPlansBurstAndQuotaKeepsTheDeployment() {
        StackRun changed = StackRuns.devWithOtherPlanLimits();
        assertThat(changed.one(USAGE_PLAN, "plans-dev").inputs())
                .containsEntry("throttleSettings", Map.of("rateLimit", 2.0, "burstLimit", 1.0))
                .containsEntry("quotaSettings", Map.of("limit", 700.0, "period", "DAY", "offset", 0.0));
        assertThat(trigger(changed)).isEqualTo(trigger(StackRuns.dev()));
    }

    @Test
    void aRateChangeThatChangesThrottledRetryAfterRedeploys() {
        StackRun changed = StackRuns.devWithSlowerRate();
        Map<?, ?> parameters = (Map<?, ?>) changed.ofType(RESPONSE).stream()
                .filter(r -> "THROTTLED".equals(r.inputs().get("responseType"))).findFirst().orElseThrow()
                .inputs().get("responseParameters");
        assertThat(parameters.get("gatewayresponse.header.Retry-After")).isEqualTo("'4'");
        assertThat(trigger(changed)).isNotEqualTo(trigger(StackRuns.dev()));
    }

    @Test
    void replacingTheBackendFunctionChangesOnlyTheIntegrationUriAndRedeploys() {
        StackRun dev = StackRuns.dev();
        StackRun replaced = StackRuns.devAfterReplacing("backend-function");
        assertThat(uris(replaced, INTEGRATION)).doesNotContainAnyElementsOf(uris(dev, INTEGRATION))
                .containsOnly((String) replaced.one(ALIAS, "backend-alias").state().get("invokeArn"));
        assertThat(uris(replaced, AUTHORIZER)).isEqualTo(uris(dev, AUTHORIZER));
        assertThat(ApiDefinition.of(replaced.config()).fingerprint()).isEqualTo(ApiDefinition.of(dev.config()).fingerprint());
        assertThat(trigger(replaced)).isNotEqualTo(trigger(dev));
    }

    @Test
    void replacingTheAuthorizerFunctionChangesOnlyTheAuthorizerUriAndRedeploys() {
        StackRun dev = StackRuns.dev();
        StackRun replaced = StackRuns.devAfterReplacing("authorizer-function");
        assertThat(uris(replaced, AUTHORIZER)).doesNotContainAnyElementsOf(uris(dev, AUTHORIZER))
                .containsOnly((String) replaced.one(FUNCTION, "authorizer-function").state().get("invokeArn"));
        assertThat(uris(replaced, INTEGRATION)).isEqualTo(uris(dev, INTEGRATION));
        assertThat(trigger(replaced)).isNotEqualTo(trigger(dev));
    }

    @Test
    void changingTheAuthorizerCacheRedeploys() {
        assertThat(trigger(StackRuns.devWithAuthorizerCache())).isNotEqualTo(trigger(StackRuns.dev()));
    }
}
