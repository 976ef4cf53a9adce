package io.llmgateway.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.contract.Health;
import io.llmgateway.infra.testing.ImportedApi;
import io.llmgateway.infra.testing.StackRuns;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GET /health: answered by API Gateway itself (MOCK), with no key, no authorizer and no Lambda. */
class HealthStackTest {

    @Test
    @SuppressWarnings("unchecked")
    void healthIsAMockOperationOfItsOwnPath_withoutKeyOrAuthorizer() {
        ImportedApi document = ImportedApi.of(StackRuns.dev());
        assertThat(document.paths().get(Health.PATH)).containsOnlyKeys("get");
        ImportedApi.Operation health = document.operation(Health.METHOD, Health.PATH);
        assertThat(health.security()).isNull();
        assertThat(health.integration()).isEqualTo(Map.of(
                "type", "mock",
                "requestTemplates", Map.of("application/json", "{\"statusCode\": 200}"),
                "passthroughBehavior", "when_no_match",
                "responses", Map.of("default", Map.of(
                        "statusCode", "200",
                        "responseTemplates", Map.of("application/json", Health.BODY)))));
        assertThat((Map<String, Object>) health.body().get("responses")).containsOnlyKeys("200");
    }
}
