package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.RESPONSE;
import static io.llmgateway.infra.testing.AwsTypes.USAGE_PLAN;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Deployment's triggers, compared across runs of the program: API Gateway serves a changed API
 * only after a new deployment, and a plan-limit change must not cause one. (A route change is
 * covered in ApiDefinitionTest: the routes are code, not config.)
 */
class DeploymentTriggersTest {

    private static Object trigger(StackRun run) {
        return run.one(DEPLOYMENT, "api-deployment").inputs().get("triggers");
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
    void changingTheAuthorizerCacheRedeploys() {
        assertThat(trigger(StackRuns.devWithAuthorizerCache())).isNotEqualTo(trigger(StackRuns.dev()));
    }
}
