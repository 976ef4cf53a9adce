package io.llmgateway.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.StackFile;
import io.llmgateway.config.Streaming;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.GatewayResponse;
import io.llmgateway.contract.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at unit level, built from the dev stack's definition with fixed targets; the
 * stack tests (OpenAiRestApiTest, DeploymentTriggersTest) check it through the program.
 */
class OpenApiDocumentTest {

    private static final String FUNCTIONS = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/";
    static final OpenApiDocument.Targets TARGETS = new OpenApiDocument.Targets("aws", "eu-west-1", "123456789012",
            "arn:aws:lambda:eu-west-1:123456789012:function:backend-1:live",
            FUNCTIONS + "arn:aws:lambda:eu-west-1:123456789012:function:backend-1:live/invocations",
            FUNCTIONS + "arn:aws:lambda:eu-west-1:123456789012:function:authorizer-1/invocations");

    private static ApiDefinition devDefinition() throws Exception {
        return ApiDefinition.of(StackFile.read(Path.of("Pulumi.dev.yaml")).load().config());
    }

    private static String hash(ApiDefinition definition) {
        return OpenApiDocument.sha256(OpenApiDocument.json(definition, "llm-gateway-dev", TARGETS));
    }

    private static ApiDefinition withRoutes(ApiDefinition d, List<Route> routes) {
        return new ApiDefinition(routes, d.authorizer(), d.integrationTimeoutMs(), d.streaming(), d.gatewayResponses(),
                d.access());
    }

    @Test
    void theDocumentIsTheSameBytesEveryTime_andItsHashIsASha256Hex() throws Exception {
        String json = OpenApiDocument.json(devDefinition(), "llm-gateway-dev", TARGETS);
        assertThat(json).isEqualTo(OpenApiDocument.json(devDefinition(), "llm-gateway-dev", TARGETS));
        assertThat(OpenApiDocument.sha256(json)).matches("[0-9a-f]{64}").isEqualTo(hash(devDefinition()));
        assertThat(Json.readObject(json)).isEqualTo(OpenApiDocument.of(devDefinition(), "llm-gateway-dev", TARGETS));
    }

    /** {@code Map.of} iterates in a different order in every JVM, which would redeploy on every run. */
    @Test
    void theDocumentHasOnlyOrderedMaps() throws Exception {
        assertOrdered(OpenApiDocument.of(devDefinition(), "llm-gateway-dev", TARGETS));
        ApiDefinition d = devDefinition();
        ApiDefinition everything = new ApiDefinition(d.routes(), d.authorizer(), d.integrationTimeoutMs(),
                new Streaming(true, 600_000), d.gatewayResponses(), new ApiDefinition.Access("PRIVATE",
                List.of("vpce-0123456789abcdef0", "vpce-0fedcba9876543210"), true,
                new Cors(List.of("https://a.example", "https://b.example"))));
        assertOrdered(OpenApiDocument.of(everything, "llm-gateway-dev", TARGETS));
    }

    private static void assertOrdered(Object node) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() > 1) {
                assertThat(map).isInstanceOfAny(LinkedHashMap.class, TreeMap.class);
            }
            map.values().forEach(OpenApiDocumentTest::assertOrdered);
        } else if (node instanceof List<?> list) {
            list.forEach(OpenApiDocumentTest::assertOrdered);
        }
    }

    @Test
    void removingARouteChangesTheHash() throws Exception {
        ApiDefinition definition = devDefinition();
        assertThat(hash(withRoutes(definition, List.of(Route.CHAT_COMPLETIONS)))).isNotEqualTo(hash(definition));
    }

    @Test
    void changingAGatewayResponseChangesTheHash() throws Exception {
        ApiDefinition d = devDefinition();
        List<GatewayResponse> responses = new ArrayList<>(d.gatewayResponses());
        GatewayResponse first = responses.get(0);
        responses.set(0, new GatewayResponse(first.responseType(), 503, first.errorType(), first.code(), first.message(),
                first.headers()));
        assertThat(hash(new ApiDefinition(d.routes(), d.authorizer(), d.integrationTimeoutMs(), d.streaming(), responses,
                d.access()))).isNotEqualTo(hash(d));
    }

    @Test
    void theIntegrationTimeoutAndEveryUriArePartOfTheHash() throws Exception {
        ApiDefinition d = devDefinition();
        assertThat(hash(new ApiDefinition(d.routes(), d.authorizer(), 10_000, d.streaming(), d.gatewayResponses(),
                d.access()))).isNotEqualTo(hash(d));
        String authorizerReplaced = OpenApiDocument.sha256(OpenApiDocument.json(d, "llm-gateway-dev",
                new OpenApiDocument.Targets(TARGETS.partition(), TARGETS.region(), TARGETS.accountId(),
                        TARGETS.backendArn(), TARGETS.backendInvokeArn(), TARGETS.authorizerInvokeArn() + "x")));
        assertThat(authorizerReplaced).isNotEqualTo(hash(d));
    }

    @Test
    void aStreamingRouteCallsInvokeWithResponseStreamOnTheAlias() {
        assertThat(TARGETS.backendStreamingUri()).isEqualTo("arn:aws:apigateway:eu-west-1:lambda:path/2021-11-15/functions/"
                + "arn:aws:lambda:eu-west-1:123456789012:function:backend-1:live/response-streaming-invocations");
        assertThat(TARGETS.backendUri(ApiDefinition.TransferMode.STREAM)).isEqualTo(TARGETS.backendStreamingUri());
        assertThat(TARGETS.backendUri(ApiDefinition.TransferMode.BUFFERED)).isEqualTo(TARGETS.backendInvokeArn());
    }

    @Test
    void turningStreamingOnChangesTheHash_aStreamTimeoutAloneDoesNot() throws Exception {
        ApiDefinition dev = devDefinition();
        ApiDefinition d = new ApiDefinition(dev.routes(), dev.authorizer(), dev.integrationTimeoutMs(),
                Streaming.OFF, dev.gatewayResponses(), dev.access());
        assertThat(hash(dev)).as("dev streams by default").isNotEqualTo(hash(d));
        ApiDefinition on = new ApiDefinition(d.routes(), d.authorizer(), d.integrationTimeoutMs(),
                new Streaming(true, 600_000), d.gatewayResponses(), d.access());
        ApiDefinition offWithTimeout = new ApiDefinition(d.routes(), d.authorizer(), d.integrationTimeoutMs(),
                new Streaming(false, 600_000), d.gatewayResponses(), d.access());
        assertThat(hash(on)).isNotEqualTo(hash(d));
        assertThat(hash(offWithTimeout)).isEqualTo(hash(d));
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
    void planLimitsAreNotPartOfTheDocument() throws Exception {
        StackFile dev = StackFile.read(Path.of("Pulumi.dev.yaml"));
        Map<String, Object> values = new LinkedHashMap<>(dev.values());
        values.put("plans", Map.of("dev", Map.of(
                "throttle", Map.of("rateLimit", 2, "burstLimit", 9),
                "quota", Map.of("limit", 7, "period", "WEEK", "offset", 3))));
        ApiDefinition changed = ApiDefinition.of(ConfigLoader.load(values, dev.secretKeys()).config());
        assertThat(hash(changed)).isEqualTo(hash(devDefinition()));
    }
}
