package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.BASE_PATH_MAPPING;
import static io.llmgateway.infra.testing.AwsTypes.DOMAIN_NAME;
import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static io.llmgateway.infra.testing.AwsTypes.IP_SET;
import static io.llmgateway.infra.testing.AwsTypes.RECORD;
import static io.llmgateway.infra.testing.AwsTypes.REST_API;
import static io.llmgateway.infra.testing.AwsTypes.WEB_ACL;
import static io.llmgateway.infra.testing.AwsTypes.WEB_ACL_ASSOCIATION;
import static io.llmgateway.infra.testing.AwsTypes.WEB_ACL_LOGGING;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.contract.Route;
import io.llmgateway.infra.testing.ImportedApi;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * With none of customDomain, waf, cors and privateApi (the repository's stacks), the program declares
 * exactly the stack it declared before they existed: the same registrations, by type and logical name,
 * as recorded in src/test/resources/registrations/, and a document without their parts. So adding these
 * options changes nothing for a stack that does not use them: no new resource, no replacement. Streaming
 * is on by default (docs/decisions.md): it changes the chat route's integration, the backend's timeout
 * and environment, and redeploys, but declares no resource, so the recorded registrations stay as they
 * were. A change that adds or renames a resource of the default stacks on
 * purpose updates the two files (one {@code <type> <logical name>} per line, sorted: the failure lists
 * them); an option never does.
 */
class DefaultsStackTest {

    private static final List<String> EDGE_TYPES = List.of(DOMAIN_NAME, BASE_PATH_MAPPING, RECORD, IP_SET, WEB_ACL,
            WEB_ACL_ASSOCIATION, WEB_ACL_LOGGING);

    static Stream<Named<StackRun>> stacks() {
        return StackRuns.both();
    }

    private static List<String> recorded(String stack) throws IOException {
        try (InputStream in = DefaultsStackTest.class.getResourceAsStream("/registrations/" + stack + ".txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theRegistrationsAreTheRecordedOnes(StackRun run) throws IOException {
        List<String> registrations = run.requests().stream().map(r -> r.type() + " " + r.name()).sorted().toList();
        assertThat(registrations).containsExactlyElementsOf(recorded(run.engineConfig().stack()));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void noEdgeResourceIsDeclared_andTheDocumentHasNoPreflight(StackRun run) {
        assertThat(run.resources()).noneSatisfy(r -> assertThat(EDGE_TYPES).contains(r.type()));
        assertThat(ImportedApi.of(run).operations()).noneSatisfy(o -> assertThat(o.method()).isEqualTo("OPTIONS"));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theApiIsRegionalOnItsDefaultEndpoint(StackRun run) {
        assertThat(run.one(REST_API, "api-rest").inputs())
                .containsEntry("endpointConfiguration", Map.of("types", "REGIONAL"))
                .containsEntry("disableExecuteApiEndpoint", false)
                .doesNotContainKey("policy");
        assertThat(ImportedApi.of(run).object("x-amazon-apigateway-endpoint-configuration"))
                .isEqualTo(Map.of("disableExecuteApiEndpoint", false));
        assertThat(ImportedApi.of(run).document()).doesNotContainKey("x-amazon-apigateway-policy");
    }

    @ParameterizedTest
    @MethodSource("stacks")
    @SuppressWarnings("unchecked")
    void theChatAndResponsesRoutesStream_theOthersStayBuffered_andTheFunctionRunsTheStreamingRuntime(StackRun run) {
        assertThat(ImportedApi.of(run).operations()).filteredOn(o -> o.body().containsKey(ImportedApi.INTEGRATION))
                .allSatisfy(o -> assertThat(o.integration().getOrDefault("responseTransferMode", "BUFFERED"))
                        .isEqualTo(o.method().equals("POST") && (o.path().equals(Route.CHAT_COMPLETIONS.path())
                                || o.path().equals(Route.RESPONSES.path())) ? "STREAM" : "BUFFERED"));
        assertThat(ImportedApi.of(run).gatewayResponses().values()).allSatisfy(r -> assertThat(
                String.valueOf(r.get("responseParameters"))).doesNotContain("method.request.header"));
        Map<String, Object> function = run.one(FUNCTION, "backend-function").inputs();
        Map<String, Object> environment = (Map<String, Object>) ((Map<String, Object>) function.get("environment"))
                .get("variables");
        assertThat(environment).doesNotContainKeys(BackendSettings.ENV_CORS_ORIGINS)
                .containsEntry(BackendSettings.ENV_STREAMING_ROUTES,
                        "{\"/v1/chat/completions/POST\":300000,\"/v1/responses/POST\":300000}")
                .containsEntry(BackendFunction.EXEC_WRAPPER_VARIABLE, BackendFunction.RUNTIME_WRAPPER);
        // Five minutes for a stream, so five for the function: a buffered route still ends at its own 29 s.
        assertThat(function).containsEntry("timeout", 300.0);
    }
}
