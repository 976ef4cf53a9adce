package io.llmgateway.backend;

import static io.llmgateway.backend.TestSettings.HAIKU;
import static io.llmgateway.backend.TestSettings.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.contract.OpenAiError;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.net.ConnectException;
import java.net.SocketException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelNotReadyException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/**
 * The handler around a model call, with a recording {@link Metering}: it asks for the caller's
 * entitlement, reserves before Bedrock is called, and settles to Bedrock's usage or releases on every
 * path.
 */
class MeteringTest {

    private final RecordingMetering recording = new RecordingMetering();
    private final List<String> events = recording.events;
    private final AtomicReference<ConverseRequest> sent = new AtomicReference<>();
    private RuntimeException bedrockFailure;

    private HandlerAnswer chat(String model, int maxTokens) {
        BackendHandler handler = new BackendHandler(new FakeBedrock(request -> {
            sent.set(request);
            if (bedrockFailure != null) {
                throw bedrockFailure;
            }
            return FakeBedrock.response("Hi.", StopReason.END_TURN, 21, 4);
        }), TestSettings.settings(), recording, TestEvents.clock(), line -> { });
        return HandlerAnswer.invoke(handler, TestEvents.chat(Map.of("model", model, "max_tokens", maxTokens,
                "messages", List.of(Map.of("role", "user", "content", "Hello there")))), TestContext.fresh());
    }

    @Test
    void success_reservesBeforeTheCall_thenSettlesToBedrocksUsage_andPassesTheHeadersOn() {
        HandlerAnswer answer = chat(HAIKU, 100);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(events).containsExactly("entitlement " + TestEvents.API_KEY_ID,
                "reserve " + TestEvents.API_KEY_ID + " " + HAIKU + " in>0=true out=100", "settle 21 4");
        assertThat(answer.header("x-ratelimit-remaining-tokens")).isEqualTo("1234");
    }

    @Test
    void aClampedReservation_isTheMaxTokensBedrockGets() {
        recording.grantedOutput = 7;

        assertThat(chat(HAIKU, 100).status()).isEqualTo(200);
        assertThat(sent.get().inferenceConfig().maxTokens()).isEqualTo(7);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                // Bedrock refused before a model ran, or the request never left: nothing was billed.
                Arguments.of(ThrottlingException.builder().message("slow down").statusCode(429).build(), 429, "release"),
                Arguments.of(ValidationException.builder().message("Input is too long").statusCode(400).build(), 400,
                        "release"),
                Arguments.of(ServiceQuotaExceededException.builder().message("quota").statusCode(400).build(), 429,
                        "release"),
                Arguments.of(AccessDeniedException.builder().message("no access").statusCode(403).build(), 500,
                        "release"),
                Arguments.of(ModelNotReadyException.builder().message("not ready").statusCode(429).build(), 503,
                        "release"),
                Arguments.of(ServiceUnavailableException.builder().message("busy").statusCode(503).build(), 503,
                        "release"),
                Arguments.of(SdkClientException.create("Unable to execute HTTP request",
                        new ConnectException("Connection refused")), 503, "release"),
                // The request reached Bedrock and no answer came back: it may have been billed in full.
                Arguments.of(ApiCallTimeoutException.create(28_000), 504, "charge unsettled"),
                Arguments.of(ModelTimeoutException.builder().message("model timed out").statusCode(408).build(), 504,
                        "charge unsettled"),
                Arguments.of(ModelErrorException.builder().message("model failed").statusCode(424).build(), 503,
                        "charge unsettled"),
                Arguments.of(InternalServerException.builder().message("internal").statusCode(500).build(), 503,
                        "charge unsettled"),
                Arguments.of(SdkClientException.create("Unable to execute HTTP request",
                        new SocketException("Connection reset")), 503, "charge unsettled"),
                Arguments.of(AbortedException.create("Thread was interrupted"), 500, "charge unsettled"),
                Arguments.of(retried(ThrottlingException.builder().message("slow down").statusCode(429).build(),
                        "Request attempt 1 failure: internal (Service: BedrockRuntime, Status Code: 500, Request ID: r1)"),
                        429, "charge unsettled"),
                Arguments.of(retried(ThrottlingException.builder().message("slow down").statusCode(429).build(),
                        "Request attempt 1 failure: slow down (Service: BedrockRuntime, Status Code: 429, Request ID: r1)"),
                        429, "release"));
    }

    /** The exception the SDK throws after a retry: the earlier attempt is a suppressed message. */
    private static RuntimeException retried(RuntimeException last, String earlier) {
        last.addSuppressed(SdkClientException.create(earlier));
        return last;
    }

    @ParameterizedTest(name = "{0} -> {1}, {2}")
    @MethodSource("failures")
    void bedrockFails_theReservationGoesBackOnlyWhenNothingCanHaveBeenBilled(RuntimeException failure, int status,
                                                                           String outcome) {
        bedrockFailure = failure;

        HandlerAnswer answer = chat(HAIKU, 100);

        assertThat(answer.status()).isEqualTo(status);
        assertThat(recording.outcome()).isEqualTo(outcome);
        assertThat(events).doesNotContain("settle 21 4");
    }

    @Test
    void aRefusal_isTheAnswer_withItsHeaders_andBedrockIsNeverCalled() {
        recording.refusal = new Refusal(new OpenAiError(429, OpenAiError.TOKENS, "rate_limit_exceeded", null, "No tokens left."),
                Map.of("Retry-After", "42"));

        HandlerAnswer answer = chat(HAIKU, 100);

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.header("Retry-After")).isEqualTo("42");
        assertThat(answer.error()).containsEntry("type", "tokens").containsEntry("code", "rate_limit_exceeded");
        assertThat(sent.get()).isNull();
        assertThat(events).noneMatch(e -> e.startsWith("settle") || e.equals("release"));
    }

    @Test
    void aModelOutsideTheEntitlement_doesNotExistForTheCaller() {
        recording.entitlement = new Metering.Entitlement(Optional.of(Set.of(NOVA)), OptionalInt.empty());

        HandlerAnswer answer = chat(HAIKU, 100);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.error()).containsEntry("code", "model_not_found");
        assertThat(sent.get()).isNull();
        assertThat(events).noneMatch(e -> e.startsWith("reserve"));
    }

    @Test
    void theEntitlementsCeiling_capsMaxTokens() {
        recording.entitlement = new Metering.Entitlement(Optional.empty(), OptionalInt.of(50));

        assertThat(chat(HAIKU, 100).status()).isEqualTo(200);
        assertThat(events).contains("reserve " + TestEvents.API_KEY_ID + " " + HAIKU + " in>0=true out=50");
        assertThat(sent.get().inferenceConfig().maxTokens()).isEqualTo(50);
    }

    @Test
    void models_listsOnlyWhatTheCallerMayUse() {
        recording.entitlement = new Metering.Entitlement(Optional.of(Set.of(NOVA)), OptionalInt.empty());
        BackendHandler handler = new BackendHandler(FakeBedrock.answering("x", 1, 1), TestSettings.settings(),
                recording, TestEvents.clock(), line -> { });

        HandlerAnswer answer = HandlerAnswer.invoke(handler, TestEvents.fixture("models.json"), TestContext.fresh());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"id\":\"" + NOVA + "\"").doesNotContain(HAIKU);
    }

    @Test
    void retrievingAModelOutsideTheEntitlement_is404() {
        recording.entitlement = new Metering.Entitlement(Optional.of(Set.of(NOVA)), OptionalInt.empty());
        BackendHandler handler = new BackendHandler(FakeBedrock.answering("x", 1, 1), TestSettings.settings(),
                recording, TestEvents.clock(), line -> { });

        HandlerAnswer hidden = HandlerAnswer.invoke(handler, ProxyEvent.forRequest("GET", "/v1/models/" + HAIKU).apiKey("k", null)
                .toJson(), TestContext.fresh());
        HandlerAnswer shown = HandlerAnswer.invoke(handler, ProxyEvent.forRequest("GET", "/v1/models/" + NOVA).apiKey("k", null)
                .toJson(), TestContext.fresh());

        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.error()).containsEntry("code", "model_not_found");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json()).containsEntry("id", NOVA);
    }
}
