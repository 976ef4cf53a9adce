package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.StackConfig;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.Health;
import io.llmgateway.infra.ApiDefinition;
import io.llmgateway.infra.OpenApiDocument;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local gateway and the stack's OpenAPI document come from the same contract, so they serve the
 * same operations: each one of the document is served locally as the document says (a route needs a
 * key, the preflight and the health check do not), and a method the document lacks is, locally as on
 * AWS, a 404 ({@code MISSING_AUTHENTICATION_TOKEN}).
 */
class LocalGatewayServesTheDocumentsRoutesTest {

    private static final OpenApiDocument.Targets TARGETS = new OpenApiDocument.Targets("aws", "us-east-1",
            "123456789012", "arn:aws:lambda:us-east-1:123456789012:function:backend:live",
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/backend/invocations",
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/authorizer/invocations");

    private TestGateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    /** The document's operations, as {@code METHOD /path} with each path parameter given a value. */
    @SuppressWarnings("unchecked")
    private static Map<String, Boolean> operations(StackConfig config) {
        Map<String, Object> paths = (Map<String, Object>) OpenApiDocument.of(ApiDefinition.of(config), "test", TARGETS)
                .get("paths");
        Map<String, Boolean> secured = new LinkedHashMap<>();
        paths.forEach((path, methods) -> ((Map<String, Object>) methods).forEach((method, operation) ->
                secured.put(method.toUpperCase(Locale.ROOT) + " " + path.replaceAll("\\{[^/}]+}", "echo"),
                        ((Map<String, Object>) operation).containsKey("security"))));
        return secured;
    }

    @Test
    void everyOperationOfTheDocumentIsServedLocally_asTheDocumentSecuresIt() throws Exception {
        StackConfig config = TestConfigs.config(Map.of("p", Map.of("throttle", throttle(1000, 1000))),
                Map.of("cors", Map.of("allowedOrigins", List.of("https://app.example.com")),
                        "streaming", Map.of("enabled", true)));
        gw = TestGateway.start(config);
        Map<String, Boolean> operations = operations(config);
        assertThat(operations).containsKeys("GET " + Health.PATH, "OPTIONS /v1/chat/completions", "POST /v1/chat/completions");
        for (Map.Entry<String, Boolean> operation : operations.entrySet()) {
            String[] parts = operation.getKey().split(" ");
            HttpResponse<String> response = parts[0].equals(Cors.OPTIONS)
                    ? gw.send(parts[0], "/test" + parts[1], null, "Origin", "https://app.example.com",
                    "Access-Control-Request-Method", "POST")
                    : gw.send(parts[0], "/test" + parts[1], null);
            // A secured operation without a key: the authorizer's 401; an open one answers at once.
            assertThat(response.statusCode()).as(operation.getKey()).isEqualTo(operation.getValue() ? 401 : 200);
        }
    }

    @Test
    void whatTheDocumentLacksIsA404Locally() throws Exception {
        StackConfig config = TestConfigs.config(Map.of("p", Map.of("throttle", throttle(1000, 1000))), Map.of());
        gw = TestGateway.start(config);
        Set<String> documented = operations(config).keySet();
        for (String missing : List.of("DELETE /v1/models", "GET /v1/chat/completions", "OPTIONS /v1/models",
                "POST /health", "GET /v1/embeddings")) {
            assertThat(documented).doesNotContain(missing);
            String[] parts = missing.split(" ");
            assertThat(gw.send(parts[0], "/test" + parts[1], null).statusCode()).as(missing).isEqualTo(404);
        }
    }
}
