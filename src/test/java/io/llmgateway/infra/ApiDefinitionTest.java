package io.llmgateway.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.StackFile;
import io.llmgateway.contract.GatewayResponse;
import io.llmgateway.contract.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The deployment fingerprint at unit level; DeploymentTriggersTest checks it through the program. */
class ApiDefinitionTest {

    private static ApiDefinition devDefinition() throws Exception {
        return ApiDefinition.of(StackFile.read(Path.of("Pulumi.dev.yaml")).load().config());
    }

    @Test
    void theFingerprintIsASha256HexAndStable() throws Exception {
        ApiDefinition definition = devDefinition();
        assertThat(definition.fingerprint()).matches("[0-9a-f]{64}").isEqualTo(devDefinition().fingerprint());
    }

    @Test
    void removingARouteChangesTheFingerprint() throws Exception {
        ApiDefinition definition = devDefinition();
        ApiDefinition fewerRoutes = new ApiDefinition(List.of(Route.CHAT_COMPLETIONS), definition.authorizer(),
                definition.integration(), definition.gatewayResponses());
        assertThat(fewerRoutes.fingerprint()).isNotEqualTo(definition.fingerprint());
    }

    @Test
    void changingAGatewayResponseChangesTheFingerprint() throws Exception {
        ApiDefinition definition = devDefinition();
        List<GatewayResponse> responses = new ArrayList<>(definition.gatewayResponses());
        GatewayResponse first = responses.get(0);
        responses.set(0, new GatewayResponse(first.responseType(), 503, first.errorType(), first.code(), first.message(),
                first.headers()));
        assertThat(new ApiDefinition(definition.routes(), definition.authorizer(), definition.integration(), responses)
                .fingerprint()).isNotEqualTo(definition.fingerprint());
    }

    @Test
    void theIntegrationTimeoutIsPartOfTheFingerprint() throws Exception {
        ApiDefinition definition = devDefinition();
        assertThat(new ApiDefinition(definition.routes(), definition.authorizer(),
                ApiDefinition.IntegrationSettings.lambdaProxy(10_000), definition.gatewayResponses()).fingerprint())
                .isNotEqualTo(definition.fingerprint());
    }

    @Test
    void withoutCachingTheAuthorizerUsesAnAlwaysPresentIdentitySource() {
        assertThat(ApiDefinition.AuthorizerSettings.forCacheTtl(0))
                .isEqualTo(new ApiDefinition.AuthorizerSettings("REQUEST", "context.httpMethod", 0));
    }

    @Test
    void withCachingTheAuthorizerIsKeyedOnTheAuthorizationHeader() {
        assertThat(ApiDefinition.AuthorizerSettings.forCacheTtl(300))
                .isEqualTo(new ApiDefinition.AuthorizerSettings("REQUEST", "method.request.header.Authorization", 300));
    }

    @Test
    void theFingerprintInputHasOnlyOrderedMapsSoEveryJvmHashesTheSameBytes() throws Exception {
        assertOrdered(devDefinition().canonical());
    }

    private static void assertOrdered(Object node) {
        if (node instanceof Map<?, ?> map) {
            assertThat(map).isInstanceOfAny(LinkedHashMap.class, TreeMap.class);
            map.values().forEach(ApiDefinitionTest::assertOrdered);
        } else if (node instanceof List<?> list) {
            list.forEach(ApiDefinitionTest::assertOrdered);
        }
    }

    @Test
    void planLimitsAreNotPartOfTheApiDefinition() throws Exception {
        StackFile dev = StackFile.read(Path.of("Pulumi.dev.yaml"));
        Map<String, Object> values = new LinkedHashMap<>(dev.values());
        values.put("plans", Map.of("dev", Map.of(
                "throttle", Map.of("rateLimit", 2, "burstLimit", 9),
                "quota", Map.of("limit", 7, "period", "WEEK", "offset", 3))));
        ApiDefinition changed = ApiDefinition.of(ConfigLoader.load(values, dev.secretKeys()).config());
        assertThat(changed.fingerprint()).isEqualTo(devDefinition().fingerprint());
    }
}
