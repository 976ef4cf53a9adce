package io.llmgateway.backend;

import static io.llmgateway.backend.TestSettings.HAIKU;
import static io.llmgateway.backend.TestSettings.NOVA;
import static io.llmgateway.backend.TestSettings.TITAN;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.metering.InMemoryCounterStore;
import io.llmgateway.backend.metering.MutableClock;
import io.llmgateway.backend.metering.Plans;
import io.llmgateway.backend.metering.TokenMetering;
import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.Json;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenBudget;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.TokenStoreSettings.FailureMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;

/**
 * Access control fails closed, with {@code tokenStoreFailureMode: serve} too: serve lifts the counting
 * only. A key whose plan cannot be known calls and lists no model (503 with Retry-After); a key whose
 * plan is known keeps its allow-list and max_tokens ceiling while its calls go uncounted.
 */
class FailClosedTest {

    /** Only nova, at most 64 tokens, and a budget. */
    static final PlanLimits NOVA_ONLY = new PlanLimits("small", Optional.of(Set.of(NOVA)), OptionalInt.of(64),
            OptionalLong.empty(), Optional.of(TokenBudget.tokens(100_000, BudgetPeriod.DAY, TokenRates.ONE_EACH)));

    private final InMemoryCounterStore store = new InMemoryCounterStore(
            Plans.items(Map.of(TestEvents.API_KEY_ID, "small"), NOVA_ONLY));
    private final MutableClock clock = new MutableClock(java.time.Instant.ofEpochMilli(TestEvents.REQUEST_TIME_EPOCH));
    private final AtomicReference<ConverseRequest> sent = new AtomicReference<>();
    private final List<String> log = new ArrayList<>();

    private BackendHandler handler(TokenMetering metering) {
        return new BackendHandler(new FakeBedrock(request -> {
            sent.set(request);
            return FakeBedrock.response("Hi.", StopReason.END_TURN, 10, request.inferenceConfig().maxTokens());
        }), TestSettings.settings(), metering, TestEvents.clock(), log::add);
    }

    private static HandlerAnswer chat(BackendHandler handler, String model) {
        return HandlerAnswer.invoke(handler, TestEvents.chat(Map.of("model", model, "max_tokens", 600,
                "messages", List.of(Map.of("role", "user", "content", "Hello there")))), TestContext.fresh());
    }

    private static HandlerAnswer get(BackendHandler handler, String path) {
        return HandlerAnswer.invoke(handler, ProxyEvent.forRequest("GET", path).apiKey(TestEvents.API_KEY_ID, null).toJson(),
                TestContext.fresh());
    }

    @Test
    void withoutEntitlements_noModelIsCalledOrListed_a503WithRetryAfter_evenWhenTheDeploymentServes() throws Exception {
        store.failWith(() -> new RuntimeException("table unreachable"));
        BackendHandler handler = handler(new TokenMetering(store, FailureMode.SERVE, clock));

        List<HandlerAnswer> answers = List.of(chat(handler, HAIKU), chat(handler, NOVA), get(handler, "/v1/models"),
                get(handler, "/v1/models/" + NOVA), HandlerAnswer.invoke(handler, ProxyEvent.forRequest("POST", "/v1/embeddings")
                        .apiKey(TestEvents.API_KEY_ID, null).body(Json.write(Map.of("model", TITAN, "input", "hi")))
                        .toJson(), TestContext.fresh()));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isEqualTo("5");
            assertThat(answer.error()).containsEntry("code", "service_unavailable");
            assertThat(answer.body()).doesNotContain(HAIKU, NOVA);
        });
        assertThat(sent.get()).as("Bedrock is never called").isNull();
        assertThat(Json.readObject(log.get(0))).containsEntry("tokenStore", "entitlements_unavailable")
                .containsEntry("TokenStoreFailures", 1);
    }

    @Test
    void withEntitlementsLoaded_aFailingStoreInServeMode_liftsTheCountingOnly() throws Exception {
        BackendHandler handler = handler(new TokenMetering(store, FailureMode.SERVE, clock));
        store.failWith(() -> new RuntimeException("throttled"));

        HandlerAnswer notAllowed = chat(handler, HAIKU);
        HandlerAnswer allowed = chat(handler, NOVA);
        HandlerAnswer models = get(handler, "/v1/models");

        assertThat(notAllowed.status()).isEqualTo(404);
        assertThat(notAllowed.error()).containsEntry("code", "model_not_found");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(sent.get().inferenceConfig().maxTokens()).as("the plan's ceiling, not the 600 asked").isEqualTo(64);
        assertThat(Json.readObject(log.get(1))).containsEntry("tokenStore", "unavailable_served");
        assertThat(models.status()).isEqualTo(200);
        assertThat(models.body()).contains("\"" + NOVA + "\"").doesNotContain(HAIKU);
    }
}
