package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.REST_API;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.infra.testing.AwsMocks;
import io.llmgateway.infra.testing.ImportedApi;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config privateApi: a PRIVATE API whose resource policy admits only its VPC endpoints. */
class PrivateApiStackTest {

    @Test
    void theApiIsPrivateOnItsVpcEndpoints() {
        StackRun run = StackRuns.devPrivate();
        assertThat(run.one(REST_API, "api-rest").inputs())
                .containsEntry("endpointConfiguration", Map.of("types", "PRIVATE", "vpcEndpointIds", StackRuns.VPC_ENDPOINTS));
        assertThat(ImportedApi.of(run).object("x-amazon-apigateway-endpoint-configuration"))
                .isEqualTo(Map.of("disableExecuteApiEndpoint", false, "vpcEndpointIds", StackRuns.VPC_ENDPOINTS));
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePolicyDeniesInvokingExceptThroughTheEndpoints_inTheDocumentAndAsTheApisArgument() throws Exception {
        StackRun run = StackRuns.devPrivate();
        Map<String, Object> policy = ImportedApi.of(run).object("x-amazon-apigateway-policy");
        // The argument too: pulumi-aws 6.83's provider would otherwise set the old policy back after an import.
        assertThat(Json.readObject(run.one(REST_API, "api-rest").string("policy"))).isEqualTo(policy);
        List<Map<String, Object>> statements = (List<Map<String, Object>>) policy.get("Statement");
        // Every method of this API: a resource policy governs only the API it is attached to.
        String everything = "arn:aws:execute-api:" + AwsMocks.REGION + ":" + AwsMocks.ACCOUNT + ":*/*";
        assertThat(statements).containsExactly(
                Map.of("Sid", "DenyOutsideTheVpcEndpoints", "Effect", "Deny", "Principal", "*",
                        "Action", List.of("execute-api:Invoke"), "Resource", List.of(everything),
                        "Condition", Map.of("StringNotEquals", Map.of("aws:SourceVpce", StackRuns.VPC_ENDPOINTS))),
                Map.of("Sid", "AllowInvoke", "Effect", "Allow", "Principal", "*",
                        "Action", List.of("execute-api:Invoke"), "Resource", List.of(everything)));
    }

    @Test
    void aRegionalApiHasNoPolicy() {
        StackRun run = StackRuns.dev();
        assertThat(run.one(REST_API, "api-rest").inputs()).doesNotContainKey("policy");
        assertThat(ImportedApi.of(run).document()).doesNotContainKey("x-amazon-apigateway-policy");
    }

    @Test
    void theDeploymentChangesWithTheEndpoints() {
        assertThat(StackRuns.devPrivate().one(DEPLOYMENT, "api-deployment").inputs().get("triggers"))
                .isNotEqualTo(StackRuns.dev().one(DEPLOYMENT, "api-deployment").inputs().get("triggers"));
    }

    /**
     * API Gateway developer guide, "Invoke a private API", Route 53 alias:
     * {@code https://{rest-api-id}-{vpce-id}.execute-api.{region}.amazonaws.com/{stage}}. The
     * {@code .vpce.amazonaws.com} names are the endpoint's own and need a Host or x-apigw-api-id header.
     */
    @Test
    void clientsWithoutPrivateDnsGetTheRoute53AliasUrlPerVpcEndpoint() {
        StackRun run = StackRuns.devPrivate();
        assertThat(run.outputValue("privateBaseUrls")).isEqualTo(Map.of(
                "vpce-0123456789abcdef0", "https://a1b2c3d4e5-vpce-0123456789abcdef0.execute-api.us-east-1.amazonaws.com/dev/v1",
                "vpce-0fedcba9876543210", "https://a1b2c3d4e5-vpce-0fedcba9876543210.execute-api.us-east-1.amazonaws.com/dev/v1"));
        assertThat(run.outputValue("baseUrl")).isEqualTo(StackRuns.dev().outputValue("baseUrl"));
        assertThat(run.warnings()).anySatisfy(w -> assertThat(w).startsWith("privateApi: the API is PRIVATE"));
    }
}
