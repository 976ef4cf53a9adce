package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static io.llmgateway.infra.testing.AwsTypes.PERMISSION;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.Route;
import io.llmgateway.infra.testing.ImportedApi;
import io.llmgateway.infra.testing.MappingTemplate;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** config cors: the OPTIONS preflight on every route's path, and CORS headers on every other answer. */
class CorsStackTest {

    private static ImportedApi.Operation preflight(StackRun run, String path) {
        return ImportedApi.of(run).operation("OPTIONS", path);
    }

    /** The integration's one response: what the MOCK answers with. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> integrationResponse(ImportedApi.Operation operation) {
        Map<String, Object> responses = (Map<String, Object>) operation.integration().get("responses");
        assertThat(responses).containsOnlyKeys("default");
        return (Map<String, Object>) responses.get("default");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameters(Map<String, Object> response) {
        return (Map<String, Object>) response.get("responseParameters");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> gatewayResponseParameters(Map<String, Object> response) {
        return (Map<String, Object>) response.get("responseParameters");
    }

    @Test
    void everyRoutesPathHasAPreflightWithoutKeyAuthorizerOrLambda() {
        StackRun run = StackRuns.devWithCors();
        Set<String> paths = new LinkedHashSet<>(Route.served(false).stream().map(Route::path).toList());
        ImportedApi document = ImportedApi.of(run);
        assertThat(document.operations().stream().filter(o -> o.method().equals("OPTIONS")).map(ImportedApi.Operation::path))
                .containsExactlyElementsOf(paths);
        for (String path : paths) {
            ImportedApi.Operation operation = preflight(run, path);
            assertThat(operation.security()).as(path).isNull();
            assertThat(operation.integration()).containsEntry("type", "mock")
                    .containsEntry("requestTemplates", Map.of("application/json", "{\"statusCode\": 200}"))
                    .containsEntry("passthroughBehavior", "when_no_match")
                    .doesNotContainKey("uri");
            assertThat(integrationResponse(operation)).containsEntry("statusCode", "200");
        }
        // Only the routes' own methods may call the backend.
        String backend = (String) run.one(FUNCTION, "backend-function").state().get("name");
        assertThat(run.ofType(PERMISSION).stream().filter(p -> backend.equals(p.inputs().get("function"))))
                .hasSize(Route.served(false).size())
                .noneSatisfy(p -> assertThat((String) p.inputs().get("sourceArn")).contains("/OPTIONS/"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePreflightNamesEachPathsMethods_andItsMethodResponseDeclaresEveryHeaderItSets() {
        StackRun run = StackRuns.devWithCors();
        for (Route route : Route.served(false)) {
            ImportedApi.Operation operation = preflight(run, route.path());
            Map<String, Object> parameters = parameters(integrationResponse(operation));
            assertThat(parameters)
                    .containsEntry("method.response.header.Access-Control-Allow-Methods", "'" + route.method() + ", OPTIONS'")
                    .containsEntry("method.response.header.Access-Control-Allow-Headers", "'Authorization, *'")
                    .containsEntry("method.response.header.Access-Control-Max-Age", "'600'")
                    .containsEntry("method.response.header.Vary", "'Origin'");
            Map<String, Object> methodResponse = (Map<String, Object>) ((Map<String, Object>) operation.body()
                    .get("responses")).get("200");
            Set<String> declared = ((Map<String, Object>) methodResponse.get("headers")).keySet();
            assertThat(declared.stream().map(h -> "method.response.header." + h).toList())
                    .containsAll(parameters.keySet())
                    .contains("method.response.header.Access-Control-Allow-Origin");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void withSeveralOrigins_thePreflightTemplateAllowsAListedOriginOnly() {
        Map<String, Object> response = integrationResponse(preflight(StackRuns.devWithCors(), Route.CHAT_COMPLETIONS.path()));
        assertThat(parameters(response)).doesNotContainKey("method.response.header.Access-Control-Allow-Origin");
        String template = ((Map<String, String>) response.get("responseTemplates")).get("application/json");
        assertThat(MappingTemplate.render(template, Map.of("Origin", StackRuns.APP_ORIGIN)).overriddenHeaders())
                .isEqualTo(Map.of(Cors.ALLOW_ORIGIN, StackRuns.APP_ORIGIN));
        assertThat(MappingTemplate.render(template, Map.of("origin", StackRuns.ADMIN_ORIGIN)).overriddenHeaders())
                .as("HTTP/2 clients send lower-case names").isEqualTo(Map.of(Cors.ALLOW_ORIGIN, StackRuns.ADMIN_ORIGIN));
        assertThat(MappingTemplate.render(template, Map.of("Origin", "https://evil.example")).overriddenHeaders()).isEmpty();
        assertThat(MappingTemplate.render(template, Map.of("Origin", StackRuns.APP_ORIGIN + ".evil.example"))
                .overriddenHeaders()).isEmpty();
        assertThat(MappingTemplate.render(template, Map.of()).overriddenHeaders()).isEmpty();
    }

    @Test
    void withOneOriginEveryValueIsStatic() {
        // The firewall's stack has one origin; the firewall changes nothing of the API.
        StackRun run = StackRuns.devWithFirewall();
        Map<String, Object> response = integrationResponse(preflight(run, Route.MODELS.path()));
        assertThat(parameters(response)).containsEntry("method.response.header.Access-Control-Allow-Origin",
                "'" + StackRuns.APP_ORIGIN + "'");
        assertThat(response).doesNotContainKey("responseTemplates");
        assertThat(ImportedApi.of(run).gatewayResponses().values()).allSatisfy(r -> assertThat(gatewayResponseParameters(r))
                .containsEntry("gatewayresponse.header.Access-Control-Allow-Origin", "'" + StackRuns.APP_ORIGIN + "'"));
    }

    @Test
    void everyGatewayResponseIncluding401And429CarriesTheCorsHeaders() {
        StackRun run = StackRuns.devWithCors();
        Map<String, Map<String, Object>> responses = ImportedApi.of(run).gatewayResponses();
        assertThat(responses).hasSize(run.config().gatewayResponses().size());
        assertThat(responses.values()).extracting(r -> r.get("statusCode")).contains("401", "429");
        assertThat(responses.values()).allSatisfy(r -> assertThat(gatewayResponseParameters(r))
                .containsEntry("gatewayresponse.header.Access-Control-Allow-Origin", "method.request.header.Origin")
                .containsEntry("gatewayresponse.header.Access-Control-Expose-Headers", "'" + Cors.EXPOSED_HEADERS + "'")
                .containsEntry("gatewayresponse.header.Vary", "'Origin'"));
    }

    @Test
    void theBackendLearnsTheOrigins() {
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = (Map<String, Object>) ((Map<String, Object>) StackRuns.devWithCors()
                .one(FUNCTION, "backend-function").inputs().get("environment")).get("variables");
        assertThat(variables).containsEntry(BackendSettings.ENV_CORS_ORIGINS,
                "[\"" + StackRuns.APP_ORIGIN + "\",\"" + StackRuns.ADMIN_ORIGIN + "\"]");
    }

    @Test
    void thePreflightIsPartOfTheDeployedDocument() {
        Object triggers = StackRuns.devWithCors().one(DEPLOYMENT, "api-deployment").inputs().get("triggers");
        assertThat(triggers).isNotEqualTo(StackRuns.dev().one(DEPLOYMENT, "api-deployment").inputs().get("triggers"))
                .isNotEqualTo(StackRuns.devWithFirewall().one(DEPLOYMENT, "api-deployment").inputs().get("triggers"));
    }
}
