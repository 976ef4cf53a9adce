package io.llmgateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiErrorTest {

    @Test
    void toJson_isOpenAisErrorShape_withNullsWritten() throws IOException {
        assertThat(Json.readObject(OpenAiError.missingParameter("messages").toJson())).isEqualTo(Map.of("error",
                Json.readObject("{\"message\":\"Missing required parameter: 'messages'.\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"messages\","
                        + "\"code\":\"missing_required_parameter\"}")));
        assertThat(OpenAiError.invalidJson().toJson()).contains("\"param\":null");
    }

    @Test
    void modelNotFound_echoesAtMostTheTruncatedName() {
        String hostile = "m".repeat(10_000);

        OpenAiError error = OpenAiError.modelNotFound(hostile);

        assertThat(error.status()).isEqualTo(404);
        assertThat(error.code()).isEqualTo("model_not_found");
        assertThat(error.param()).isEqualTo("model");
        assertThat(error.message()).contains(Text.quote(hostile)).hasSizeLessThan(Text.MAX_ECHO + 200);
    }

    @Test
    void unknownUrl_namesTheRequestAndEveryRoute() {
        String message = OpenAiError.unknownUrl("GET", "/v1/nope").message();

        assertThat(message).startsWith("Invalid URL (GET /v1/nope)").contains(Route.summary());
    }

    @Test
    void statusesAndTypes_matchWhatOpenAiSdksExpect() {
        assertThat(OpenAiError.upstreamRateLimited()).extracting(OpenAiError::status, OpenAiError::type)
                .containsExactly(429, OpenAiError.TOKENS);
        assertThat(OpenAiError.unavailable().status()).isEqualTo(503);
        assertThat(OpenAiError.timeout().status()).isEqualTo(504);
        assertThat(OpenAiError.internal()).extracting(OpenAiError::status, OpenAiError::type)
                .containsExactly(500, OpenAiError.SERVER_ERROR);
        assertThat(OpenAiError.requestTooLarge(1024).message()).contains("1024 bytes");
        assertThat(OpenAiError.methodNotAllowed("PUT", "/v1/models", "GET").status()).isEqualTo(405);
    }
}
