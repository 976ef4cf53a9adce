package io.llmgateway.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.llmgateway.backend.BedrockStub.CONVERSE_PATH;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.llmgateway.backend.metering.InMemoryCounterStore;
import io.llmgateway.backend.metering.TokenMetering;
import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.GuardrailPolicy;
import io.llmgateway.common.Json;
import io.llmgateway.common.PlanGuardrail;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenBudget;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.TokenStoreSettings;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The handler, the real SDK and real token metering (entitlements as the stack writes them) against a
 * Bedrock stub: a plan with an application inference profile sends the profile's ARN as the model id,
 * a guarded plan sends guardrailConfig (an unguarded one none), an intervention is finish_reason
 * content_filter with the guardrail's message, never an error, and a USD budget is charged the
 * guardrail's text units at the plan's prices.
 */
class GuardrailStubTest {

    private static final String KEY_ID = "q8w7e6r5t4"; // the chat fixture's apiKeyId
    private static final String PROFILE_ARN = "arn:aws:bedrock:eu-central-1:123456789012:application-inference-profile/a1b2c3d4e5f6";
    private static final String GUARDRAIL_ID = "abcd1234efgh";
    private static final String BLOCKED = "Blocked by the premium policy.";
    /** USD 0.15 and 0.10 per 1,000 text units, in nano-dollars per unit. */
    private static final long CONTENT_PRICE = 150_000;
    private static final long TOPIC_PRICE = 100_000;
    /** The haiku alias's prices, nano-dollars per token. */
    private static final TokenRates HAIKU_RATES = new TokenRates(250, 1250);
    private static final String ANSWER = """
            {"output":{"message":{"content":[{"text":"Hello!"}],"role":"assistant"}},
             "stopReason":"end_turn","usage":{"inputTokens":18,"outputTokens":9,"totalTokens":27},
             "metrics":{"latencyMs":300},
             "trace":{"guardrail":{"inputAssessment":{"abcd1234efgh":{"invocationMetrics":{"guardrailProcessingLatency":50,
               "usage":{"contentPolicyUnits":1,"topicPolicyUnits":1,"wordPolicyUnits":1}}}},
               "outputAssessments":{"abcd1234efgh":[{"invocationMetrics":{"guardrailProcessingLatency":40,
               "usage":{"contentPolicyUnits":1,"topicPolicyUnits":1,"wordPolicyUnits":1}}}]}}}}""";
    private static final String INTERVENED = """
            {"output":{"message":{"content":[{"text":"Blocked by the premium policy."}],"role":"assistant"}},
             "stopReason":"guardrail_intervened","usage":{"inputTokens":0,"outputTokens":0,"totalTokens":0},
             "metrics":{"latencyMs":120},
             "trace":{"guardrail":{"inputAssessment":{"abcd1234efgh":{
               "topicPolicy":{"topics":[{"name":"Investment advice","type":"DENY","action":"BLOCKED"}]},
               "wordPolicy":{"customWords":[{"match":"SECRET-PROMPT-WORD","action":"BLOCKED"}]},
               "invocationMetrics":{"guardrailProcessingLatency":80,
                 "usage":{"contentPolicyUnits":2,"topicPolicyUnits":2,"wordPolicyUnits":2}}}}}}}""";

    @RegisterExtension
    static final BedrockStub STUB = new BedrockStub();

    private final List<String> log = new ArrayList<>();

    private static PlanLimits guarded() {
        return new PlanLimits("premium", Optional.empty(), OptionalInt.empty(), OptionalLong.empty(),
                Optional.of(TokenBudget.usd(10_000_000_000L, BudgetPeriod.MONTH, Map.of(TestSettings.HAIKU, HAIKU_RATES))),
                Map.of(TestSettings.HAIKU, PROFILE_ARN),
                Optional.of(new PlanGuardrail(GUARDRAIL_ID, "3", Map.of(GuardrailPolicy.CONTENT, CONTENT_PRICE,
                        GuardrailPolicy.TOPIC, TOPIC_PRICE))));
    }

    private static PlanLimits open() {
        return new PlanLimits("standard", Optional.empty(), OptionalInt.empty(), OptionalLong.empty(),
                Optional.of(TokenBudget.usd(10_000_000_000L, BudgetPeriod.MONTH, Map.of(TestSettings.HAIKU, HAIKU_RATES))));
    }

    /** The fixture's key on {@code plan}, the other plan present too, as the stack writes them. */
    private static InMemoryCounterStore storeWithKeyOn(PlanLimits plan) {
        Map<String, PlanLimits> plans = Map.of("premium", guarded(), "standard", open());
        return new InMemoryCounterStore(EntitlementItems.items(plans, Map.of(KEY_ID, plan.name()), 1));
    }

    private HandlerAnswer send(InMemoryCounterStore store) {
        TokenMetering metering = new TokenMetering(store, TokenStoreSettings.FailureMode.REFUSE, TestEvents.clock());
        BackendHandler handler = new BackendHandler(STUB.client(), TestSettings.settings(), metering, TestEvents.clock(),
                log::add);
        return HandlerAnswer.invoke(handler, TestEvents.chat(Map.of("model", TestSettings.HAIKU,
                "messages", List.of(Map.of("role", "user", "content", "Which stock should I buy?")))), TestContext.fresh());
    }

    private static void answerWith(String body) {
        STUB.server().stubFor(post(urlPathMatching(CONVERSE_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withHeader("x-amzn-RequestId", "8f0e3c1a-2b4d-4e6f-8a9b-0c1d2e3f4a5b")
                .withBody(body)));
    }

    private static LoggedRequest theCall() {
        List<LoggedRequest> calls = STUB.converseCalls();
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    private static long used(InMemoryCounterStore store) {
        return store.snapshot().values().stream().mapToLong(c -> c.used()).sum();
    }

    @Test
    void aGuardedPlanWithAProfile_sendsTheProfileArnAsTheModelId_andItsGuardrailWithTheTraceOn() throws Exception {
        answerWith(ANSWER);
        HandlerAnswer answer = send(storeWithKeyOn(guarded()));

        assertThat(answer.status()).isEqualTo(200);
        LoggedRequest call = theCall();
        assertThat(URLDecoder.decode(call.getUrl(), StandardCharsets.UTF_8)).isEqualTo("/model/" + PROFILE_ARN + "/converse");
        assertThat(Json.readObject(call.getBodyAsString()).get("guardrailConfig")).isEqualTo(Map.of(
                "guardrailIdentifier", GUARDRAIL_ID, "guardrailVersion", "3", "trace", "enabled"));
    }

    @Test
    void anUnguardedPlan_sendsTheConfiguredModelId_andNoGuardrailConfig() throws Exception {
        answerWith(ANSWER);
        HandlerAnswer answer = send(storeWithKeyOn(open()));

        assertThat(answer.status()).isEqualTo(200);
        LoggedRequest call = theCall();
        assertThat(URLDecoder.decode(call.getUrl(), StandardCharsets.UTF_8))
                .isEqualTo("/model/" + TestSettings.HAIKU_ID + "/converse");
        assertThat(Json.readObject(call.getBodyAsString())).doesNotContainKey("guardrailConfig");
        assertThat(String.join("\n", log)).doesNotContain("\"guardrail\"");
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInterventionIsContentFilter_withTheGuardrailsMessage_loggedByPolicyWithoutWhatMatched() throws Exception {
        answerWith(INTERVENED);
        HandlerAnswer answer = send(storeWithKeyOn(guarded()));

        assertThat(answer.status()).isEqualTo(200);
        Map<String, Object> choice = ((List<Map<String, Object>>) answer.json().get("choices")).get(0);
        assertThat(choice.get("finish_reason")).isEqualTo("content_filter");
        assertThat(((Map<String, Object>) choice.get("message")).get("content")).isEqualTo(BLOCKED);

        assertThat(log).hasSize(1);
        Map<String, Object> line = Json.readObject(log.get(0));
        assertThat(line).containsEntry("guardrail", "intervened")
                .containsEntry("guardrailPolicies", List.of("topicPolicy", "wordPolicy"))
                .containsEntry("guardrailPolicy", "topicPolicy")
                .containsEntry("GuardrailPolicy", "topicPolicy")
                .containsEntry("Plan", "premium")
                .containsEntry("GuardrailInterventions", 1)
                .containsEntry("guardrailUnits", 6);
        assertThat(log.get(0)).doesNotContain("SECRET-PROMPT-WORD").doesNotContain("Which stock");
    }

    @Test
    void aUsdBudgetIsChargedTheGuardrailsTextUnitsAtThePlansPrices() {
        InMemoryCounterStore store = storeWithKeyOn(guarded());
        answerWith(INTERVENED);
        send(store);
        // No tokens; 2 content units at 0.15 and 2 topic units at 0.10 per 1,000; word units are free.
        assertThat(used(store)).isEqualTo(2 * CONTENT_PRICE + 2 * TOPIC_PRICE);

        InMemoryCounterStore answered = storeWithKeyOn(guarded());
        STUB.server().resetAll();
        answerWith(ANSWER);
        send(answered);
        // The tokens at the model's prices, plus input and output assessments' units.
        assertThat(used(answered)).isEqualTo(HAIKU_RATES.cost(18, 9) + 2 * CONTENT_PRICE + 2 * TOPIC_PRICE);

        InMemoryCounterStore unguarded = storeWithKeyOn(open());
        STUB.server().resetAll();
        answerWith(ANSWER);
        send(unguarded);
        assertThat(used(unguarded)).isEqualTo(HAIKU_RATES.cost(18, 9));
    }
}
