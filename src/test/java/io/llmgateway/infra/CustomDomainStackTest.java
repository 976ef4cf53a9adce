package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.BASE_PATH_MAPPING;
import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.DOMAIN_NAME;
import static io.llmgateway.infra.testing.AwsTypes.RECORD;
import static io.llmgateway.infra.testing.AwsTypes.REST_API;
import static io.llmgateway.infra.testing.AwsTypes.STAGE;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.infra.testing.AwsMocks;
import io.llmgateway.infra.testing.AwsMocks.Registered;
import io.llmgateway.infra.testing.ImportedApi;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config customDomain: the domain name, its mapping to the stage, the alias record, and the URLs. */
class CustomDomainStackTest {

    @Test
    void aRegionalDomainNameWithTls12AndTheCertificate() {
        Registered domain = StackRuns.devWithCustomDomain().one(DOMAIN_NAME, "domain-domain");
        assertThat(domain.inputs())
                .containsEntry("domainName", StackRuns.DOMAIN)
                .containsEntry("regionalCertificateArn", StackRuns.CERTIFICATE)
                .containsEntry("securityPolicy", "TLS_1_2")
                .containsEntry("endpointConfiguration", Map.of("types", "REGIONAL"))
                .doesNotContainKeys("certificateArn", "certificateBody");
    }

    @Test
    void theMappingPointsTheBasePathAtTheStage() {
        StackRun run = StackRuns.devWithCustomDomain();
        Registered stage = run.one(STAGE, "api-stage");
        Registered mapping = run.one(BASE_PATH_MAPPING, "domain-mapping");
        assertThat(mapping.inputs())
                .containsEntry("domainName", run.one(DOMAIN_NAME, "domain-domain").state().get("domainName"))
                .containsEntry("restApi", run.one(REST_API, "api-rest").id())
                .containsEntry("stageName", stage.state().get("stageName"))
                .containsEntry("basePath", "llm");
        // The mapping names the stage through the Stage's output, so it is created after the stage.
        assertThat(run.request(BASE_PATH_MAPPING, "domain-mapping").dependencies())
                .contains(run.request(STAGE, "api-stage").urn());
    }

    @Test
    void withAZoneAnAliasRecordPointsTheNameAtTheDomainsRegionalEndpoint() {
        StackRun run = StackRuns.devWithCustomDomain();
        Registered domain = run.one(DOMAIN_NAME, "domain-domain");
        assertThat(run.one(RECORD, "domain-record").inputs())
                .containsEntry("zoneId", StackRuns.HOSTED_ZONE)
                .containsEntry("name", StackRuns.DOMAIN)
                .containsEntry("type", "A")
                .containsEntry("aliases", List.of(Map.of(
                        "name", domain.state().get("regionalDomainName"),
                        "zoneId", domain.state().get("regionalZoneId"),
                        "evaluateTargetHealth", true)))
                .doesNotContainKeys("records", "ttl");
    }

    @Test
    void withoutAZoneOrBasePath_noRecordAndTheMappingServesTheRoot() {
        StackRun run = StackRuns.prodWithCustomDomainOnly();
        assertThat(run.ofType(RECORD)).isEmpty();
        assertThat(run.one(BASE_PATH_MAPPING, "domain-mapping").inputs()).doesNotContainKey("basePath")
                .containsEntry("stageName", "prod");
        assertThat(run.outputValue("customDomainTarget"))
                .isEqualTo(run.one(DOMAIN_NAME, "domain-domain").state().get("regionalDomainName"));
    }

    @Test
    void everyUrlOutputUsesTheDomain() {
        StackRun run = StackRuns.devWithCustomDomain();
        String base = "https://" + StackRuns.DOMAIN + "/llm/v1";
        assertThat(run.outputValue("baseUrl")).isEqualTo(base);
        assertThat(run.outputValue("chatCompletionsUrl")).isEqualTo(base + "/chat/completions");
        assertThat(run.outputValue("modelsUrl")).isEqualTo(base + "/models");
        // Whatever URL outputs there are, none points at the default endpoint this stack switched off.
        String defaultEndpoint = "https://" + AwsMocks.REST_API_ID + ".execute-api.";
        assertThat(run.outputs().keySet()).allSatisfy(name -> assertThat(String.valueOf(run.outputValue(name)))
                .as(name).doesNotContain(defaultEndpoint));
        assertThat(StackRuns.prodWithCustomDomainOnly().outputValue("baseUrl")).isEqualTo("https://" + StackRuns.DOMAIN + "/v1");
    }

    @Test
    void theExecuteApiUrlIsAnOutputOnlyWhileItServes() {
        assertThat(StackRuns.devWithCustomDomain().outputs()).doesNotContainKey("executeApiUrl");
        assertThat(StackRuns.prodWithCustomDomainOnly().outputValue("executeApiUrl"))
                .isEqualTo("https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod");
    }

    @Test
    void disablingTheExecuteApiEndpointIsPartOfTheDeployment() {
        StackRun domain = StackRuns.devWithCustomDomain();
        assertThat(domain.one(REST_API, "api-rest").inputs()).containsEntry("disableExecuteApiEndpoint", true);
        // In the document too, which an overwrite import would otherwise reset.
        assertThat(ImportedApi.of(domain).object("x-amazon-apigateway-endpoint-configuration"))
                .isEqualTo(Map.of("disableExecuteApiEndpoint", true));
        // It takes effect only with a new deployment, so it changes the triggers; a domain alone does not.
        assertThat(domain.one(DEPLOYMENT, "api-deployment").inputs().get("triggers"))
                .isNotEqualTo(StackRuns.dev().one(DEPLOYMENT, "api-deployment").inputs().get("triggers"));
        assertThat(StackRuns.prodWithCustomDomainOnly().one(DEPLOYMENT, "api-deployment").inputs().get("triggers"))
                .isEqualTo(StackRuns.prod().one(DEPLOYMENT, "api-deployment").inputs().get("triggers"));
        assertThat(StackRuns.prodWithCustomDomainOnly().one(REST_API, "api-rest").inputs())
                .containsEntry("disableExecuteApiEndpoint", false);
    }
}
