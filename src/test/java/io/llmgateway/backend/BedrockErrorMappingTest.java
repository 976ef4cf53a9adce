package io.llmgateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.llmgateway.common.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;

/** Every failure of the Bedrock call, as the client sees it and as the log keeps it (Mockito client). */
class BedrockErrorMappingTest {

    private static final String CHAT = "{\"model\":\"claude-haiku\",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me a secret.\"}]}";

    private static <B extends AwsServiceException.Builder> AwsServiceException aws(B builder, int status,
                                                                                     String code, String message) {
        return builder.statusCode(status).requestId("req-1234")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .message(message + " (Service: BedrockRuntime, Status Code: " + status + ")")
                .build();
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of(aws(ThrottlingException.builder(), 429, "ThrottlingException", "Too many requests"),
                        429, "tokens", "rate_limit_exceeded", true),
                Arguments.of(aws(ServiceQuotaExceededException.builder(), 400, "ServiceQuotaExceededException",
                        "Quota exceeded"), 429, "tokens", "rate_limit_exceeded", true),
                Arguments.of(aws(ModelTimeoutException.builder(), 408, "ModelTimeoutException", "Model timed out"),
                        504, "server_error", "timeout", false),
                Arguments.of(ApiCallTimeoutException.create(4000), 504, "server_error", "timeout", false),
                Arguments.of(aws(ServiceUnavailableException.builder(), 503, "ServiceUnavailableException",
                        "Service unavailable"), 503, "server_error", "service_unavailable", true),
                Arguments.of(aws(ModelNotReadyException.builder(), 429, "ModelNotReadyException", "Not ready"),
                        503, "server_error", "service_unavailable", true),
                Arguments.of(aws(InternalServerException.builder(), 500, "InternalServerException", "Internal"),
                        503, "server_error", "service_unavailable", true),
                Arguments.of(aws(ModelErrorException.builder(), 424, "ModelErrorException", "Model failed"),
                        503, "server_error", "service_unavailable", true),
                Arguments.of(SdkClientException.create("Unable to execute HTTP request: Connection refused",
                        new IOException("Connection refused")), 503, "server_error", "service_unavailable", true),
                Arguments.of(aws(AccessDeniedException.builder(), 403, "AccessDeniedException",
                        "User: arn:aws:sts::123456789012:assumed-role/fn is not authorized to perform "
                                + "bedrock:InvokeModel"), 500, "server_error", "internal_error", false),
                Arguments.of(aws(ResourceNotFoundException.builder(), 404, "ResourceNotFoundException",
                        "Model not found"), 500, "server_error", "internal_error", false),
                Arguments.of(aws(ValidationException.builder(), 400, "ValidationException",
                        "The provided model identifier is invalid."), 500, "server_error", "internal_error", false),
                Arguments.of(aws(ValidationException.builder(), 400, "ValidationException",
                        "Invocation of model ID anthropic.claude-3-7 with on-demand throughput isn't supported."),
                        500, "server_error", "internal_error", false),
                Arguments.of(SdkClientException.create("Unable to load credentials from any of the providers"),
                        500, "server_error", "internal_error", false),
                Arguments.of(new IllegalStateException("boom"), 500, "server_error", "internal_error", false));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("failures")
    void chat_bedrockFailure_isMappedToOpenAiErrorWithCauseOnlyInTheLog(RuntimeException failure, int status,
                                                                          String type, String code,
                                                                          boolean retryAfter) throws IOException {
        BedrockRuntimeClient bedrock = mock(BedrockRuntimeClient.class);
        when(bedrock.converse(any(ConverseRequest.class))).thenThrow(failure);
        List<String> log = new ArrayList<>();
        BackendHandler handler = new BackendHandler(bedrock, TestSettings.settings(), TestEvents.clock(), log::add);

        HandlerAnswer answer = HandlerAnswer.invoke(handler, TestEvents.chat(CHAT), TestContext.fresh());

        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).isEqualTo("application/json");
        assertThat(answer.header("x-request-id")).isEqualTo(TestEvents.REQUEST_ID);
        assertThat(answer.header("Retry-After")).isEqualTo(retryAfter ? "5" : null);
        assertThat(answer.json()).containsOnlyKeys("error");
        assertThat(answer.error()).containsEntry("type", type).containsEntry("code", code);
        assertThat(answer.body()).doesNotContain("Exception", "arn:aws", "req-1234", "boom", "at io.");

        assertThat(log).hasSize(1);
        Map<String, Object> line = Json.readObject(log.get(0));
        assertThat(line).containsEntry("status", status).containsEntry("errorCode", code)
                .containsEntry("model", "claude-haiku");
        if (status >= 500) {
            assertThat((String) line.get("cause")).contains(failure.getClass().getSimpleName());
        }
        assertThat(log.get(0)).doesNotContain("Tell me a secret");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validationMessages")
    void chat_bedrockValidationException_returns400WithBedrocksMessage(String message) throws IOException {
        BedrockRuntimeClient bedrock = mock(BedrockRuntimeClient.class);
        when(bedrock.converse(any(ConverseRequest.class)))
                .thenThrow(aws(ValidationException.builder(), 400, "ValidationException", message));
        BackendHandler handler = new BackendHandler(bedrock, TestSettings.settings(), TestEvents.clock(), l -> { });

        HandlerAnswer answer = HandlerAnswer.invoke(handler, TestEvents.chat(CHAT), TestContext.fresh());

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers()).doesNotContainKey("Retry-After");
        assertThat(answer.error()).containsEntry("type", "invalid_request_error")
                .containsEntry("message", message).containsEntry("code", "invalid_request");
    }

    static Stream<String> validationMessages() {
        return Stream.of("Input is too long for requested model.",
                "A conversation must start with a user message. Try again with a conversation that starts with a user message.");
    }
}
