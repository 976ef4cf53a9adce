package io.llmgateway.backend;

import static io.llmgateway.backend.TestSettings.HAIKU;
import static io.llmgateway.backend.TestSettings.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.metering.Caller;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.contract.OpenAiError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * The handler around a model call, with a recording {@link Metering}: it asks for the caller's
 * entitlement, reserves before Bedrock is called, and settles to Bedrock's usage or releases on every
 * path.
 */
class MeteringTest {

    private final List<String> events = new ArrayList<>();
    private final AtomicReference<ConverseRequest> sent = new AtomicReference<>();
    private Metering.Entitlement entitlement = Metering.Entitlement.EVERYTHING;
    private Refusal refusal;
    private int grantedOutput = -1;
    private RuntimeException bedrockFailure;

    private final Metering recording = new Metering() {
        @Override
        public Entitlement entitlement(Caller caller) {
            events.add("entitlement " + caller.apiKeyId());
            return entitlement;
        }

        @Override
        public Reservation reserve(Caller caller, String modelAlias, int inputEstimate, int maxOutputTokens,
                                       Instant deadline)
                throws Refusal {
            events.add("reserve " + caller.apiKeyId() + " " + modelAlias + " in>0=" + (inputEstimate > 0)
                    + " out=" + maxOutputTokens);
            if (refusal != null) {
                throw refusal;
            }
            int granted = grantedOutput < 0 ? maxOutputTokens : grantedOutput;
            return new Reservation() {
                @Override
                public int maxOutputTokens() {
                    return granted;
                }

                @Override
                public Map<String, String> headers() {
                    return Map.of("x-ratelimit-remaining-tokens", "1234");
                }

                @Override
                public void settle(int inputTokens, int outputTokens) {
                    events.add("settle " + inputTokens + " " + outputTokens);
                }

                @Override
                public void release() {
                    events.add("release");
                }

                @Override
                public void chargeUnsettled() {
                    events.add("charge unsettled");
                }

                @Override
                public void chargeUnsettled(int inputTokens, int outputTokens) {
                    events.add("charge unsettled " + inputTokens + " " + outputTokens);
                }
            };
        }
    };

    private Answer chat(String model, int maxTokens) {
        GatewayHandler handler = new GatewayHandler(new FakeBedrock(request -> {
            sent.set(request);
            if (bedrockFailure != null) {
                throw bedrockFailure;
            }
            return FakeBedrock.response("Hi.", StopReason.END_TURN, 21, 4);
        }), TestSettings.settings(), recording, TestEvents.clock(), line -> { });
        return Answer.invoke(handler, TestEvents.chat(Map.of("model", model, "max_tokens", maxTokens,
                "messages", List.of(Map.of("role", "user", "content", "Hello there")))), TestContext.fresh());
    }

    @Test
    void success_reservesBeforeTheCall_thenSettlesToBedrocksUsage_andPassesTheHeadersOn() {
        Answer answer = chat(HAIKU, 100);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(events).containsExactly("entitlement " + TestEvents.API_KEY_ID,
                "reserve " + TestEvents.API_KEY_ID + " " + HAIKU + " in>0=true out=100", "settle 21 4");
        assertThat(answer.header("x-ratelimit-remaining-tokens")).isEqualTo("1234");
    }

    @Test
    void aClampedReservation_isTheMaxTokensBedrockGets() {
        grantedOutput = 7;

        assertThat(chat(HAIKU, 100).status()).isEqualTo(200);
        assertThat(sent.get().inferenceConfig().maxTokens()).isEqualTo(7);
    }

    @Test
    void bedrockFails_theReservationIsReleased() {
        bedrockFailure = ThrottlingException.builder().message("slow down").statusCode(429).build();

        Answer answer = chat(HAIKU, 100);

        assertThat(answer.status()).isEqualTo(429);
        assertThat(events).endsWith("release").doesNotContain("settle 21 4");
    }

    @Test
    void aRefusal_isTheAnswer_withItsHeaders_andBedrockIsNeverCalled() {
        refusal = new Refusal(new OpenAiError(429, OpenAiError.TOKENS, "rate_limit_exceeded", null, "No tokens left."),
                Map.of("Retry-After", "42"));

        Answer answer = chat(HAIKU, 100);

        assertThat(answer.status()).isEqualTo(429);
        assertThat(answer.header("Retry-After")).isEqualTo("42");
        assertThat(answer.error()).containsEntry("type", "tokens").containsEntry("code", "rate_limit_exceeded");
        assertThat(sent.get()).isNull();
        assertThat(events).noneMatch(e -> e.startsWith("settle") || e.equals("release"));
    }

    @Test
    void aModelOutsideTheEntitlement_doesNotExistForTheCaller() {
        entitlement = new Metering.Entitlement(Optional.of(Set.of(NOVA)), OptionalInt.empty());

        Answer answer = chat(HAIKU, 100);

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.error()).containsEntry("code", "model_not_found");
        assertThat(sent.get()).isNull();
        assertThat(events).noneMatch(e -> e.startsWith("reserve"));
    }

    @Test
    void theEntitlementsCeiling_capsMaxTokens() {
        entitlement = new Metering.Entitlement(Optional.empty(), OptionalInt.of(50));

        assertThat(chat(HAIKU, 100).status()).isEqualTo(200);
        assertThat(events).contains("reserve " + TestEvents.API_KEY_ID + " " + HAIKU + " in>0=true out=50");
        assertThat(sent.get().inferenceConfig().maxTokens()).isEqualTo(50);
    }

    @Test
    void models_listsOnlyWhatTheCallerMayUse() {
        entitlement = new Metering.Entitlement(Optional.of(Set.of(NOVA)), OptionalInt.empty());
        GatewayHandler handler = new GatewayHandler(FakeBedrock.answering("x", 1, 1), TestSettings.settings(),
                recording, TestEvents.clock(), line -> { });

        Answer answer = Answer.invoke(handler, TestEvents.fixture("models.json"), TestContext.fresh());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"id\":\"" + NOVA + "\"").doesNotContain(HAIKU);
    }

    @Test
    void retrievingAModelOutsideTheEntitlement_is404() {
        entitlement = new Metering.Entitlement(Optional.of(Set.of(NOVA)), OptionalInt.empty());
        GatewayHandler handler = new GatewayHandler(FakeBedrock.answering("x", 1, 1), TestSettings.settings(),
                recording, TestEvents.clock(), line -> { });

        Answer hidden = Answer.invoke(handler, ProxyEvent.forRequest("GET", "/v1/models/" + HAIKU).apiKey("k", null)
                .toJson(), TestContext.fresh());
        Answer shown = Answer.invoke(handler, ProxyEvent.forRequest("GET", "/v1/models/" + NOVA).apiKey("k", null)
                .toJson(), TestContext.fresh());

        assertThat(hidden.status()).isEqualTo(404);
        assertThat(hidden.error()).containsEntry("code", "model_not_found");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json()).containsEntry("id", NOVA);
    }
}
