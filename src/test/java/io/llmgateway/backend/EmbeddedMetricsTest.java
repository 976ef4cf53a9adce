package io.llmgateway.backend;

import static io.llmgateway.backend.TestSettings.HAIKU;
import static io.llmgateway.backend.TestSettings.NOVA;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.metering.Caller;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.common.Json;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.Metrics;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.testing.Emf;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * The metrics each request line carries as embedded metric format, read back as CloudWatch Logs
 * reads them ({@link Emf}): what is counted, under which dimensions, and that no client input and no
 * key id can ever become a dimension value.
 */
class EmbeddedMetricsTest {

    private static final String API_ID = "a1b2c3d4e5";
    private static final Set<String> TOTAL = Set.of("ApiId");

    private final List<String> lines = new ArrayList<>();
    private String plan;
    private Refusal refusal;
    private Function<ConverseRequest, ConverseResponse> bedrock =
            request -> FakeBedrock.response("Hi.", StopReason.END_TURN, 21, 4);

    private final Metering metering = new Metering() {
        @Override
        public Entitlement entitlement(Caller caller) {
            return new Entitlement(Optional.empty(), OptionalInt.empty(), Optional.ofNullable(plan));
        }

        @Override
        public Reservation reserve(Caller caller, String modelAlias, int inputEstimate, int maxOutputTokens,
                                       Instant deadline)
                throws Refusal {
            if (refusal != null) {
                throw refusal;
            }
            return UNMETERED.reserve(caller, modelAlias, inputEstimate, maxOutputTokens, deadline);
        }
    };

    private List<Emf.Datum> chat(String model) {
        lines.clear();
        BackendHandler handler = new BackendHandler(new FakeBedrock(bedrock), TestSettings.settings(), metering,
                TestEvents.clock(), lines::add);
        HandlerAnswer.invoke(handler, TestEvents.chat(Map.of("model", model,
                "messages", List.of(Map.of("role", "user", "content", "Hello there")))), TestContext.fresh());
        assertThat(lines).hasSize(1);
        return Emf.read(lines.get(0));
    }

    private Map<String, Object> line() throws Exception {
        return Json.readObject(lines.get(0));
    }

    @Test
    void anAnsweredChat_countsOneRequestItsTokensAndLatency_byModelAndPlan() throws Exception {
        plan = "premium";

        List<Emf.Datum> data = chat(HAIKU);

        assertThat(data).allSatisfy(d -> {
            assertThat(d.namespace()).isEqualTo(Metrics.NAMESPACE);
            assertThat(d.timestamp()).isEqualTo(TestEvents.clock().millis());
            assertThat(d.dimensions()).containsEntry("ApiId", API_ID);
        });
        assertThat(Emf.values(data, TOTAL)).containsOnlyKeys("Requests", "InputTokens", "OutputTokens", "BackendLatency")
                .containsEntry("Requests", 1.0).containsEntry("InputTokens", 21.0).containsEntry("OutputTokens", 4.0);
        assertThat(Emf.values(data, Set.of("ApiId", "Model", "Plan"))).containsOnlyKeys("Requests", "InputTokens",
                "OutputTokens");
        assertThat(data).filteredOn(d -> d.dimensions().containsKey("Model"))
                .allSatisfy(d -> assertThat(d.dimensions()).containsEntry("Model", HAIKU));
        assertThat(data).filteredOn(d -> d.dimensions().containsKey("Plan"))
                .allSatisfy(d -> assertThat(d.dimensions()).containsEntry("Plan", "premium"));
        assertThat(data).filteredOn(d -> d.name().equals("BackendLatency")).extracting(Emf.Datum::shape)
                .containsExactlyInAnyOrder("LlmGateway/BackendLatency[ApiId]", "LlmGateway/BackendLatency[ApiId, Model]");
        assertThat(data).filteredOn(d -> d.name().equals("BackendLatency")).extracting(Emf.Datum::unit)
                .containsOnly("Milliseconds");
        // The documented fields stay as they were, with the total a Contributor Insights rule sums.
        assertThat(line()).containsEntry(BackendLog.INPUT_TOKENS, 21).containsEntry(BackendLog.OUTPUT_TOKENS, 4)
                .containsEntry(BackendLog.TOTAL_TOKENS, 25).containsEntry(BackendLog.PLAN, "premium")
                .containsEntry(BackendLog.MODEL, HAIKU).containsEntry(BackendLog.API_KEY_ID, TestEvents.API_KEY_ID);
    }

    @Test
    void withoutAPlan_thePlanDimensionIsNone() {
        plan = null;

        assertThat(chat(NOVA)).filteredOn(d -> d.dimensions().containsKey("Plan"))
                .isNotEmpty().allSatisfy(d -> assertThat(d.dimensions()).containsEntry("Plan", Metrics.NONE));
    }

    @Test
    void anUnknownModel_isCountedUnderNone_withItsErrorCode_andTheClientsTextStaysOutOfTheDimensions() {
        List<Emf.Datum> data = chat("gpt-4o-" + "x".repeat(100));

        assertThat(data).filteredOn(d -> d.dimensions().containsKey("Model"))
                .isNotEmpty().allSatisfy(d -> assertThat(d.dimensions()).containsEntry("Model", Metrics.NONE));
        assertThat(Emf.values(data, Set.of("ApiId", "ErrorCode"))).containsOnlyKeys("Errors");
        assertThat(data).filteredOn(d -> d.name().equals("Errors") && d.dimensions().containsKey("ErrorCode"))
                .singleElement().satisfies(d -> assertThat(d.dimensions()).containsEntry("ErrorCode", "model_not_found"));
        assertThat(Emf.values(data, TOTAL)).doesNotContainKeys("InputTokens", "BedrockThrottles", "BackendFailures");
    }

    @Test
    void aBedrockThrottle_isCountedByModel_asA429ErrorToo() {
        bedrock = request -> {
            throw ThrottlingException.builder().statusCode(429)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
        };

        List<Emf.Datum> data = chat(HAIKU);

        assertThat(Emf.values(data, TOTAL)).containsEntry("BedrockThrottles", 1.0).containsEntry("Errors", 1.0)
                .doesNotContainKeys("TokenRateRefusals", "BackendFailures");
        assertThat(Emf.values(data, Set.of("ApiId", "Model"))).containsEntry("BedrockThrottles", 1.0);
    }

    @Test
    void tokenRefusals_areSplitIntoRateAndBudget_byPlan_andAStoreFailureIsItsOwnCount() {
        plan = "standard";
        refusal = new Refusal(new OpenAiError(429, OpenAiError.TOKENS, "rate_limit_exceeded", null, "Slow down."),
                Map.of("Retry-After", "3"));
        assertThat(Emf.values(chat(HAIKU), Set.of("ApiId", "Plan"))).containsEntry("TokenRateRefusals", 1.0)
                .doesNotContainKey("TokenBudgetRefusals");

        refusal = new Refusal(new OpenAiError(429, OpenAiError.INSUFFICIENT_QUOTA, "insufficient_quota", null,
                "Budget spent."), Map.of("Retry-After", "3600"));
        assertThat(Emf.values(chat(HAIKU), Set.of("ApiId", "Plan"))).containsEntry("TokenBudgetRefusals", 1.0)
                .doesNotContainKey("TokenRateRefusals");

        refusal = new Refusal(OpenAiError.unavailable(), Map.of("Retry-After", "5"));
        assertThat(Emf.values(chat(HAIKU), TOTAL)).containsEntry("TokenStoreFailures", 1.0)
                .doesNotContainKeys("TokenRateRefusals", "TokenBudgetRefusals", "BackendFailures");
    }

    @Test
    void aMisconfiguration_isABackendFailure() {
        bedrock = request -> {
            throw AccessDeniedException.builder().statusCode(403)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build();
        };

        assertThat(Emf.values(chat(HAIKU), TOTAL)).containsEntry("BackendFailures", 1.0).containsEntry("Errors", 1.0);
    }

    @Test
    void aFunctionThatCouldNotInit_countsEveryRequestAsABackendFailure() {
        lines.clear();
        FailedStart.exchange("no settings", lines::add)
                .handle(TestEvents.fixture("models.json"), null);

        assertThat(Emf.values(Emf.read(lines.get(0)), TOTAL)).containsEntry("BackendFailures", 1.0)
                .containsEntry("Requests", 1.0);
    }

    @Test
    void aHostilePlanOrApiId_neverBecomesADimensionValue() {
        plan = "premium\"},{\"x";
        List<Emf.Datum> data = chat(HAIKU);
        assertThat(data).filteredOn(d -> d.dimensions().containsKey("Plan"))
                .isNotEmpty().allSatisfy(d -> assertThat(d.dimensions()).containsEntry("Plan", Metrics.NONE));
    }

    @Test
    void theSeriesStayBounded_byModelsAndPlans_whateverClientsSend() {
        // M = 2 configured models, P = 2 plans (and no plan): a model dimension takes M + 1 values and a
        // plan dimension P + 1, so a metric split by both has at most 1 + (M+1) + (P+1) + (M+1)(P+1)
        // = (M+2)(P+2) series, however many keys and model names there are.
        Random random = new Random(12);
        List<String> models = List.of(HAIKU, NOVA, "gpt-4o", "", "claude-" + random.nextInt());
        List<String> plans = new ArrayList<>(List.of("standard", "premium"));
        plans.add(null);
        Set<String> requestSeries = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            plan = plans.get(random.nextInt(plans.size()));
            String model = models.get(random.nextInt(models.size())) + (random.nextInt(4) == 0 ? random.nextInt() : "");
            chat(model).stream().filter(d -> d.name().equals("Requests")).forEach(d -> requestSeries.add(d.series()));
        }
        assertThat(requestSeries).hasSizeLessThanOrEqualTo((2 + 2) * (2 + 2)).hasSizeGreaterThan(4);
        assertThat(requestSeries).noneMatch(s -> s.contains(TestEvents.API_KEY_ID));
    }

    @Test
    void noDimensionSetNamesTheKeyId() {
        for (Metrics.Split split : Metrics.Split.values()) {
            assertThat(split.dimensionSets()).allSatisfy(set -> assertThat(set).startsWith(Metrics.Dimension.API_ID));
        }
        assertThat(Metrics.Dimension.values()).extracting(Metrics.Dimension::key).doesNotContain("apiKeyId", "ApiKeyId");
    }
}
