package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.ALIAS;
import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static io.llmgateway.infra.testing.AwsTypes.USAGE_PLAN;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.infra.testing.ImportedApi;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Deployment's trigger, compared across runs of the program: API Gateway serves a changed API
 * only after a new deployment, and a plan-limit change must not cause one. (A route change is
 * covered in OpenApiDocumentTest: the routes are code, not config.) A stage serves the integration
 * and authorizer URIs of its deployment's snapshot, so a replaced function (a new ARN) must
 * redeploy too, or the stage keeps calling the deleted one.
 */
class DeploymentTriggersTest {

    private static Object trigger(StackRun run) {
        return run.one(DEPLOYMENT, "api-deployment").inputs().get("triggers");
    }

    /** What the document's integrations (the backend) or its authorizer call. */
    private static List<String> backendUris(StackRun run) {
        return ImportedApi.of(run).operations().stream().map(o -> o.integration().get("uri"))
                .filter(Objects::nonNull).map(String.class::cast).distinct().toList();
    }

    @SuppressWarnings("unchecked")
    private static String authorizerUri(StackRun run) {
        return (String) ((Map<String, Object>) ImportedApi.of(run).securitySchemes().get("api-key-authorizer")
                .get("x-amazon-apigateway-authorizer")).get("authorizerUri");
    }

    static Stream<Named<StackRun>> runs() {
        return Stream.of(Named.of("dev", StackRuns.dev()), Named.of("prod", StackRuns.prod()),
                Named.of("dev+planLimits", StackRuns.devWithOtherPlanLimits()),
                Named.of("dev+slowerRate", StackRuns.devWithSlowerRate()),
                Named.of("dev+streaming", StackRuns.devWithStreaming()),
                Named.of("dev+private", StackRuns.devPrivate()));
    }

    @ParameterizedTest
    @MethodSource("runs")
    void theTriggerIsTheHashOfTheDocumentTheApiImports(StackRun run) {
        assertThat(trigger(run)).isEqualTo(Map.of("openApiSha256", OpenApiDocument.sha256(ImportedApi.of(run).json())));
    }

    @Test
    void changingOnlyAPlansBurstAndQuotaKeepsTheDeployment() {
        StackRun changed = StackRuns.devWithOtherPlanLimits();
        assertThat(changed.one(USAGE_PLAN, "plans-dev").inputs())
                .containsEntry("throttleSettings", Map.of("rateLimit", 2.0, "burstLimit", 1.0))
                .containsEntry("quotaSettings", Map.of("limit", 700.0, "period", "DAY", "offset", 0.0));
        assertThat(ImportedApi.of(changed).json()).isEqualTo(ImportedApi.of(StackRuns.dev()).json());
        assertThat(trigger(changed)).isEqualTo(trigger(StackRuns.dev()));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRateChangeThatChangesThrottledRetryAfterRedeploys() {
        StackRun changed = StackRuns.devWithSlowerRate();
        Map<String, Object> parameters = (Map<String, Object>) ImportedApi.of(changed).gatewayResponses()
                .get("THROTTLED").get("responseParameters");
        assertThat(parameters.get("gatewayresponse.header.Retry-After")).isEqualTo("'4'");
        assertThat(trigger(changed)).isNotEqualTo(trigger(StackRuns.dev()));
    }

    @Test
    void replacingTheBackendFunctionChangesOnlyTheIntegrationUrisAndRedeploys() {
        StackRun dev = StackRuns.dev();
        StackRun replaced = StackRuns.devAfterReplacing("backend-function");
        // The chat route streams by default: its InvokeWithResponseStream URI names the alias too.
        assertThat(backendUris(replaced)).doesNotContainAnyElementsOf(backendUris(dev))
                .containsExactlyInAnyOrder((String) replaced.one(ALIAS, "backend-alias").state().get("invokeArn"),
                        "arn:aws:apigateway:us-east-1:lambda:path/2021-11-15/functions/"
                                + replaced.one(ALIAS, "backend-alias").state().get("arn") + "/response-streaming-invocations");
        assertThat(authorizerUri(replaced)).isEqualTo(authorizerUri(dev));
        String json = ImportedApi.of(replaced).json();
        for (int i = 0; i < backendUris(replaced).size(); i++) {
            json = json.replace(backendUris(replaced).get(i), backendUris(dev).get(i));
        }
        assertThat(json).as("nothing else of the document changes").isEqualTo(ImportedApi.of(dev).json());
        assertThat(trigger(replaced)).isNotEqualTo(trigger(dev));
    }

    @Test
    void replacingTheBackendFunctionChangesTheStreamingUriToo() {
        StackRun streaming = StackRuns.devWithStreaming();
        StackRun replaced = StackRuns.devWithStreamingAfterReplacing("backend-function");
        String alias = (String) replaced.one(ALIAS, "backend-alias").state().get("arn");
        assertThat(backendUris(replaced)).doesNotContainAnyElementsOf(backendUris(streaming))
                .contains("arn:aws:apigateway:us-east-1:lambda:path/2021-11-15/functions/" + alias
                        + "/response-streaming-invocations");
        assertThat(trigger(replaced)).isNotEqualTo(trigger(streaming));
    }

    @Test
    void replacingTheAuthorizerFunctionChangesOnlyTheAuthorizerUriAndRedeploys() {
        StackRun dev = StackRuns.dev();
        StackRun replaced = StackRuns.devAfterReplacing("authorizer-function");
        assertThat(authorizerUri(replaced)).isNotEqualTo(authorizerUri(dev))
                .isEqualTo(replaced.one(FUNCTION, "authorizer-function").state().get("invokeArn"));
        assertThat(backendUris(replaced)).isEqualTo(backendUris(dev));
        assertThat(trigger(replaced)).isNotEqualTo(trigger(dev));
    }

    @Test
    void changingTheAuthorizerCacheRedeploys() {
        assertThat(trigger(StackRuns.devWithAuthorizerCache())).isNotEqualTo(trigger(StackRuns.dev()));
    }

    @Test
    void turningStreamingOffOrChangingItsTimeoutRedeploys_aStreamTimeoutWithStreamingOffDoesNot() {
        assertThat(trigger(StackRuns.devBuffered())).isNotEqualTo(trigger(StackRuns.dev()));
        assertThat(trigger(StackRuns.devWithStreaming())).isNotEqualTo(trigger(StackRuns.dev()));
        assertThat(trigger(StackRuns.devWithStreamingOff())).isEqualTo(trigger(StackRuns.devBuffered()));
    }
}
