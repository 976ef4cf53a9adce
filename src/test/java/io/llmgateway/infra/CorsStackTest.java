package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static io.llmgateway.infra.testing.AwsTypes.INTEGRATION;
import static io.llmgateway.infra.testing.AwsTypes.INTEGRATION_RESPONSE;
import static io.llmgateway.infra.testing.AwsTypes.METHOD;
import static io.llmgateway.infra.testing.AwsTypes.METHOD_RESPONSE;
import static io.llmgateway.infra.testing.AwsTypes.PERMISSION;
import static io.llmgateway.infra.testing.AwsTypes.RESOURCE;
import static io.llmgateway.infra.testing.AwsTypes.RESPONSE;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.Route;
import io.llmgateway.infra.testing.AwsMocks.Registered;
import io.llmgateway.infra.testing.MappingTemplate;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** config cors: the OPTIONS preflight on every route's resource, and CORS headers on every other answer. */
class CorsStackTest {

    private static List<Registered> preflightMethods(StackRun run) {
        return run.ofType(METHOD).stream().filter(m -> "OPTIONS".equals(m.inputs().get("httpMethod"))).toList();
    }

    private static String resourceIdOf(StackRun run, String path) {
        return run.one(RESOURCE, "api-" + Names.kebab(path)).id();
    }

    private static Registered integrationResponse(StackRun run, String path) {
        return run.one(INTEGRATION_RESPONSE, "api-" + Names.kebab(path) + "-options-integration-response");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameters(Registered registered) {
        return (Map<String, Object>) registered.inputs().get("responseParameters");
    }

    @Test
    void everyRoutesResourceHasAPreflightWithoutKeyAuthorizerOrLambda() {
        StackRun run = StackRuns.devWithCors();
        Set<String> paths = new HashSet<>(Arrays.stream(Route.values()).map(Route::path).toList());
        List<Registered> methods = preflightMethods(run);
        assertThat(methods).hasSize(paths.size());
        for (String path : paths) {
            String resourceId = resourceIdOf(run, path);
            Registered method = methods.stream().filter(m -> resourceId.equals(m.inputs().get("resourceId")))
                    .findFirst().orElseThrow(() -> new AssertionError("no OPTIONS on " + path));
            assertThat(method.inputs()).containsEntry("authorization", "NONE").containsEntry("apiKeyRequired", false)
                    .doesNotContainKey("authorizerId");
            Registered integration = run.ofType(INTEGRATION).stream()
                    .filter(i -> resourceId.equals(i.inputs().get("resourceId")) && "OPTIONS".equals(i.inputs().get("httpMethod")))
                    .findFirst().orElseThrow();
            assertThat(integration.inputs()).containsEntry("type", "MOCK")
                    .containsEntry("requestTemplates", Map.of("application/json", "{\"statusCode\": 200}"))
                    .doesNotContainKey("uri");
        }
        // Only the routes' own methods may call the backend.
        String backend = (String) run.one(FUNCTION, "backend-function").state().get("name");
        assertThat(run.ofType(PERMISSION).stream().filter(p -> backend.equals(p.inputs().get("function"))))
                .hasSize(Route.values().length)
                .noneSatisfy(p -> assertThat((String) p.inputs().get("sourceArn")).contains("/OPTIONS/"));
    }

    @Test
    void thePreflightNamesEachResourcesMethods() {
        StackRun run = StackRuns.devWithCors();
        for (Route route : Route.values()) {
            assertThat(parameters(integrationResponse(run, route.path())))
                    .containsEntry("method.response.header.Access-Control-Allow-Methods", "'" + route.method() + ", OPTIONS'")
                    .containsEntry("method.response.header.Access-Control-Allow-Headers", "'Authorization, *'")
                    .containsEntry("method.response.header.Access-Control-Max-Age", "'600'")
                    .containsEntry("method.response.header.Vary", "'Origin'");
            Registered methodResponse = run.one(METHOD_RESPONSE, "api-" + Names.kebab(route.path()) + "-options-response");
            assertThat(methodResponse.inputs()).containsEntry("statusCode", "200");
            assertThat(parameters(methodResponse).keySet())
                    .containsAll(parameters(integrationResponse(run, route.path())).keySet())
                    .contains("method.response.header.Access-Control-Allow-Origin");
        }
    }

    @Test
    void withSeveralOrigins_thePreflightTemplateAllowsAListedOriginOnly() {
        Registered response = integrationResponse(StackRuns.devWithCors(), Route.CHAT_COMPLETIONS.path());
        assertThat(parameters(response)).doesNotContainKey("method.response.header.Access-Control-Allow-Origin");
        @SuppressWarnings("unchecked")
        String template = ((Map<String, String>) response.inputs().get("responseTemplates")).get("application/json");
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
        Registered response = integrationResponse(StackRuns.devWithFirewall(), Route.MODELS.path());
        assertThat(parameters(response)).containsEntry("method.response.header.Access-Control-Allow-Origin",
                "'" + StackRuns.APP_ORIGIN + "'");
        assertThat(response.inputs()).doesNotContainKey("responseTemplates");
        assertThat(StackRuns.devWithFirewall().ofType(RESPONSE)).allSatisfy(r -> assertThat(parameters(r))
                .containsEntry("gatewayresponse.header.Access-Control-Allow-Origin", "'" + StackRuns.APP_ORIGIN + "'"));
    }

    @Test
    void everyGatewayResponseIncluding401And429CarriesTheCorsHeaders() {
        StackRun run = StackRuns.devWithCors();
        List<Registered> responses = run.ofType(RESPONSE);
        assertThat(responses).hasSize(run.config().gatewayResponses().size());
        assertThat(responses).extracting(r -> r.inputs().get("statusCode")).contains("401", "429");
        assertThat(responses).allSatisfy(r -> assertThat(parameters(r))
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
    void thePreflightIsPartOfTheDeployment() {
        StackRun run = StackRuns.devWithCors();
        Set<String> dependencies = new HashSet<>(run.request(DEPLOYMENT, "api-deployment").dependencies());
        List<String> preflight = run.requests(r -> (r.type().equals(METHOD) || r.type().equals(INTEGRATION)
                || r.type().equals(METHOD_RESPONSE) || r.type().equals(INTEGRATION_RESPONSE)) && r.name().contains("-options"))
                .stream().map(StackRun.Request::urn).toList();
        assertThat(preflight).hasSize(4 * CorsPreflight.methodsByPath(List.of(Route.values())).size());
        assertThat(dependencies).containsAll(preflight);
        Object triggers = run.one(DEPLOYMENT, "api-deployment").inputs().get("triggers");
        assertThat(triggers).isNotEqualTo(StackRuns.dev().one(DEPLOYMENT, "api-deployment").inputs().get("triggers"))
                .isNotEqualTo(StackRuns.devWithFirewall().one(DEPLOYMENT, "api-deployment").inputs().get("triggers"));
    }

    @Test
    void theIntegrationResponseWaitsForItsIntegrationAndMethodResponse() {
        StackRun run = StackRuns.devWithCors();
        String name = "api-" + Names.kebab(Route.MODELS.path()) + "-options";
        assertThat(run.request(INTEGRATION_RESPONSE, name + "-integration-response").dependencies()).contains(
                run.request(INTEGRATION, name + "-integration").urn(),
                run.request(METHOD_RESPONSE, name + "-response").urn());
    }
}
