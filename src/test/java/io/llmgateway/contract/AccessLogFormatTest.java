package io.llmgateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {

    @Test
    void format_isOneJsonObjectOfQuotedContextVariables() throws IOException {
        assertThat(Json.readObject(AccessLogFormat.JSON)).isEqualTo(AccessLogFormat.FIELDS);
        assertThat(AccessLogFormat.FIELDS.values()).allSatisfy(v -> assertThat(v).startsWith("$context."));
    }

    @Test
    void format_hasWhatPerKeyAnalysisNeeds_andNeverTheKeyItself() {
        // API Gateway rejects an access-log format without $context.requestId.
        assertThat(AccessLogFormat.FIELDS)
                .containsEntry("requestId", "$context.requestId")
                .containsEntry("apiKeyId", "$context.identity.apiKeyId")
                .containsEntry("status", "$context.status")
                .containsEntry("errorResponseType", "$context.error.responseType")
                .containsEntry("integrationLatency", "$context.integrationLatency");
        assertThat(AccessLogFormat.JSON).doesNotContain("$context.identity.apiKey\"", "requestBody");
    }
}
