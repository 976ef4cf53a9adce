package io.llmgateway.backend;

import io.llmgateway.backend.metering.Caller;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.common.PlanGuardrail;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.contract.OpenAiError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * The backend's log lines for every kind of outcome that counts a metric: an answer, a client error,
 * a Bedrock throttle, each token refusal, a store failure, a settlement that could not be written, a
 * misconfiguration, a function that could not init. What the stack's dashboard and alarms read is checked against these lines.
 */
public final class MetricScenarios {

    private MetricScenarios() {
    }

    /** One log line per outcome, each from a real handler. */
    public static List<String> lines() {
        List<String> lines = new ArrayList<>();
        Function<ConverseRequest, ConverseResponse> answers = r -> FakeBedrock.response("Hi.", StopReason.END_TURN, 21, 4);
        chat(lines, "premium", null, answers, TestSettings.HAIKU);
        chat(lines, null, null, answers, "no-such-model");
        chat(lines, "premium", null, r -> FakeBedrock.response("Hi.", StopReason.END_TURN, 21, 4).toBuilder()
                .usage(TokenUsage.builder().inputTokens(21).outputTokens(4).cacheReadInputTokens(2000)
                        .cacheWriteInputTokens(1500).totalTokens(3525).build()).build(), TestSettings.NOVA);
        chat(lines, "standard", null, r -> {
            throw ThrottlingException.builder().statusCode(429)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build();
        }, TestSettings.NOVA);
        chat(lines, "standard", new Refusal(new OpenAiError(429, OpenAiError.TOKENS, "rate_limit_exceeded", null,
                "Slow down."), Map.of("Retry-After", "2")), answers, TestSettings.HAIKU);
        chat(lines, "standard", new Refusal(new OpenAiError(429, OpenAiError.INSUFFICIENT_QUOTA, "insufficient_quota",
                null, "Budget spent."), Map.of("Retry-After", "3600")), answers, TestSettings.HAIKU);
        chat(lines, "standard", new Refusal(OpenAiError.unavailable(), Map.of("Retry-After", "5")), answers,
                TestSettings.HAIKU);
        chat(lines, "premium", null, answers, TestSettings.HAIKU, Map.of("TokenSettleFailures", 1));
        chat(lines, "premium", null, r -> {
            throw AccessDeniedException.builder().statusCode(403)
                    .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build();
        }, TestSettings.HAIKU);
        // A plan's guardrail blocks the prompt: an intervention, counted by plan and policy, and its text units.
        guardedChat(lines, "premium", Optional.of(new PlanGuardrail("abcd1234efgh", "1", Map.of())),
                r -> FakeBedrock.intervened("abcd1234efgh", "Not allowed.", 1), TestSettings.HAIKU);
        FailedStart.exchange("no settings", lines::add)
                .handle(TestEvents.fixture("models.json"), null);
        return lines;
    }

    private static void chat(List<String> lines, String plan, Refusal refusal,
                             Function<ConverseRequest, ConverseResponse> bedrock, String model) {
        chat(lines, plan, refusal, bedrock, model, Map.of(), Optional.empty());
    }

    private static void guardedChat(List<String> lines, String plan, Optional<PlanGuardrail> guardrail,
                                    Function<ConverseRequest, ConverseResponse> bedrock, String model) {
        chat(lines, plan, null, bedrock, model, Map.of(), guardrail);
    }

    private static void chat(List<String> lines, String plan, Refusal refusal,
                             Function<ConverseRequest, ConverseResponse> bedrock, String model,
                             Map<String, Object> settleLog) {
        chat(lines, plan, refusal, bedrock, model, settleLog, Optional.empty());
    }

    /** @param settleLog what the reservation says on the line once settled (a settle failure's count) */
    private static void chat(List<String> lines, String plan, Refusal refusal,
                             Function<ConverseRequest, ConverseResponse> bedrock, String model,
                             Map<String, Object> settleLog, Optional<PlanGuardrail> guardrail) {
        Metering metering = new Metering() {
            @Override
            public Entitlement entitlement(Caller caller) {
                return new Entitlement(Optional.empty(), OptionalInt.empty(), Optional.ofNullable(plan), Map.of(),
                        guardrail);
            }

            @Override
            public Reservation reserve(Caller caller, String alias, int inputEstimate, int maxOutputTokens,
                                       Instant deadline)
                    throws Refusal {
                if (refusal != null) {
                    throw refusal;
                }
                Reservation reservation = UNMETERED.reserve(caller, alias, inputEstimate, maxOutputTokens, deadline);
                return new Reservation() {
                    @Override
                    public int maxOutputTokens() {
                        return reservation.maxOutputTokens();
                    }

                    @Override
                    public Map<String, Object> logFields() {
                        return settleLog;
                    }

                    @Override
                    public void settle(int inputTokens, int outputTokens) {
                    }

                    @Override
                    public void release() {
                    }

                    @Override
                    public void chargeUnsettled() {
                    }

                    @Override
                    public void chargeUnsettled(int inputTokens, int outputTokens) {
                    }
                };
            }
        };
        BackendHandler handler = new BackendHandler(new FakeBedrock(bedrock), TestSettings.settings(), metering,
                TestEvents.clock(), lines::add);
        HandlerAnswer.invoke(handler, TestEvents.chat(Map.of("model", model,
                "messages", List.of(Map.of("role", "user", "content", "Hello there")))), TestContext.fresh());
    }
}
