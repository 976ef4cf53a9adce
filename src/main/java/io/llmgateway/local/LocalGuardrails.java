package io.llmgateway.local;

import io.llmgateway.common.GuardrailPolicy;
import io.llmgateway.common.PlanGuardrail;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.config.GuardrailSpec;
import io.llmgateway.config.Plan;
import io.llmgateway.config.StackConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseTrace;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailCustomWord;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailInvocationMetrics;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailPiiEntityFilter;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailSensitiveInformationPolicyAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTopic;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTopicPolicyAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTraceAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailUsage;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailWordPolicyAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * The plans' declared guardrails, emulated in front of the local gateway's model, deterministically,
 * so clients and tests see the answers a deployment gives:
 * <ul>
 *   <li>a configured word (whole word, any case) or a denied topic's name or example in the prompt
 *       blocks it: the plan's blocked input message, stop reason {@code guardrail_intervened} (which
 *       the backend answers as {@code finish_reason: content_filter}), no tokens; in the answer, the
 *       blocked output message;</li>
 *   <li>{@code pii.EMAIL}: {@code BLOCK} blocks a prompt holding an e-mail address; {@code ANONYMIZE}
 *       masks addresses in the answer as <code>{EMAIL}</code>, as Bedrock masks them. No other PII type
 *       and no content filter is emulated;</li>
 *   <li>the trace reports the policies that acted and one text unit per 1,000 characters per configured
 *       policy, so USD budgets charge what they would on AWS.</li>
 * </ul>
 * A declared guardrail is named {@code local<plan>} here; an existing guardrail's id goes to the model
 * unchanged (the echo model ignores it).
 */
final class LocalGuardrails implements BedrockRuntimeClient {

    static final String ID_PREFIX = "local";
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}");
    private static final String MASKED_EMAIL = "{EMAIL}";

    private final BedrockRuntimeClient model;
    private final Map<String, GuardrailSpec.Declared> declared = new LinkedHashMap<>();

    LocalGuardrails(BedrockRuntimeClient model, StackConfig config) {
        this.model = model;
        for (Plan plan : config.plans().values()) {
            if (plan.guardrail().orElse(null) instanceof GuardrailSpec.Declared spec) {
                declared.put(localId(plan.name()), spec);
            }
        }
    }

    /** A declared guardrail's local id: Converse's identifier pattern allows lower-case letters and digits. */
    static String localId(String plan) {
        return ID_PREFIX + plan.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** The plans' limits as the stack's entitlements would carry them, with the local guardrail ids. */
    static Map<String, PlanLimits> route(StackConfig config) {
        Map<String, PlanLimits> routed = new LinkedHashMap<>();
        config.planLimits().forEach((name, limits) -> {
            Optional<GuardrailSpec> spec = config.plans().get(name).guardrail();
            routed.put(name, spec.isEmpty() ? limits : limits.routed(Map.of(), Optional.of(spec.get() instanceof
                    GuardrailSpec.Existing existing
                    ? new PlanGuardrail(existing.id(), existing.version(), existing.unitPrices())
                    : new PlanGuardrail(localId(name), "DRAFT", spec.get().unitPrices()))));
        });
        return routed;
    }

    @Override
    public ConverseResponse converse(ConverseRequest request) {
        GuardrailSpec.Declared spec = request.guardrailConfig() == null ? null
                : declared.get(request.guardrailConfig().guardrailIdentifier());
        if (spec == null) {
            return model.converse(request);
        }
        String id = request.guardrailConfig().guardrailIdentifier();
        String prompt = promptText(request);
        GuardrailAssessment.Builder input = assess(spec, prompt, true);
        if (blocks(input)) {
            return ConverseResponse.builder()
                    .output(text(spec.blockedInputMessage()))
                    .stopReason(StopReason.GUARDRAIL_INTERVENED)
                    .usage(TokenUsage.builder().inputTokens(0).outputTokens(0).totalTokens(0).build())
                    .trace(trace(id, input.build(), null))
                    .build();
        }
        // The model behind answers as if unguarded: the guardrail is this class.
        ConverseResponse answer = model.converse(request.toBuilder()
                .guardrailConfig((software.amazon.awssdk.services.bedrockruntime.model.GuardrailConfiguration) null).build());
        String reply = answerText(answer);
        GuardrailAssessment.Builder output = assess(spec, reply, false);
        StopReason stop = answer.stopReason();
        ConverseOutput out = answer.output();
        if (blocks(output)) {
            out = text(spec.blockedOutputMessage());
            stop = StopReason.GUARDRAIL_INTERVENED;
        } else if ("ANONYMIZE".equals(spec.pii().get("EMAIL")) && EMAIL.matcher(reply).find()) {
            out = text(EMAIL.matcher(reply).replaceAll(Matcher.quoteReplacement(MASKED_EMAIL)));
            stop = StopReason.GUARDRAIL_INTERVENED;
        }
        return answer.toBuilder().output(out).stopReason(stop).trace(trace(id, input.build(), output.build())).build();
    }

    /**
     * What the guardrail finds in a text: the words, topics and e-mail addresses of the emulation, with
     * BLOCKED (or ANONYMIZED for a masked address in an answer), and its text units per configured policy.
     */
    private static GuardrailAssessment.Builder assess(GuardrailSpec.Declared spec, String text, boolean prompt) {
        GuardrailAssessment.Builder assessment = GuardrailAssessment.builder();
        List<GuardrailCustomWord> words = new ArrayList<>();
        for (String word : spec.words()) {
            if (Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(word) + "(?![\\p{L}\\p{N}])",
                    Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(text).find()) {
                words.add(GuardrailCustomWord.builder().match(word).action("BLOCKED").build());
            }
        }
        if (!words.isEmpty()) {
            assessment.wordPolicy(GuardrailWordPolicyAssessment.builder().customWords(words).build());
        }
        String lower = text.toLowerCase(Locale.ROOT);
        List<GuardrailTopic> topics = new ArrayList<>();
        for (GuardrailSpec.DeniedTopic topic : spec.deniedTopics()) {
            boolean named = lower.contains(topic.name().toLowerCase(Locale.ROOT))
                    || topic.examples().stream().anyMatch(e -> lower.contains(e.toLowerCase(Locale.ROOT)));
            if (named) {
                topics.add(GuardrailTopic.builder().name(topic.name()).type("DENY").action("BLOCKED").build());
            }
        }
        if (!topics.isEmpty()) {
            assessment.topicPolicy(GuardrailTopicPolicyAssessment.builder().topics(topics).build());
        }
        String email = spec.pii().get("EMAIL");
        if (email != null && EMAIL.matcher(text).find() && (email.equals("BLOCK") || !prompt)) {
            assessment.sensitiveInformationPolicy(GuardrailSensitiveInformationPolicyAssessment.builder()
                    .piiEntities(GuardrailPiiEntityFilter.builder().type("EMAIL")
                            .action(email.equals("BLOCK") ? "BLOCKED" : "ANONYMIZED").build()).build());
        }
        int units = text.isEmpty() ? 0 : (text.length() + 999) / 1000;
        List<GuardrailPolicy> policies = spec.policies();
        GuardrailUsage.Builder usage = GuardrailUsage.builder()
                .contentPolicyUnits(policies.contains(GuardrailPolicy.CONTENT) ? units : 0)
                .topicPolicyUnits(policies.contains(GuardrailPolicy.TOPIC) ? units : 0)
                .wordPolicyUnits(policies.contains(GuardrailPolicy.WORD) ? units : 0)
                .sensitiveInformationPolicyUnits(policies.contains(GuardrailPolicy.SENSITIVE_INFORMATION) ? units : 0);
        return assessment.invocationMetrics(GuardrailInvocationMetrics.builder().usage(usage.build()).build());
    }

    /** True when the assessment blocked something (a masked address does not block). */
    private static boolean blocks(GuardrailAssessment.Builder assessment) {
        GuardrailAssessment a = assessment.build();
        return a.wordPolicy() != null || a.topicPolicy() != null || (a.sensitiveInformationPolicy() != null
                && a.sensitiveInformationPolicy().piiEntities().stream().anyMatch(p -> "BLOCKED".equals(p.actionAsString())));
    }

    private static ConverseTrace trace(String id, GuardrailAssessment input, GuardrailAssessment output) {
        GuardrailTraceAssessment.Builder guardrail = GuardrailTraceAssessment.builder().inputAssessment(Map.of(id, input));
        if (output != null) {
            guardrail.outputAssessments(Map.of(id, List.of(output)));
        }
        return ConverseTrace.builder().guardrail(guardrail.build()).build();
    }

    private static ConverseOutput text(String text) {
        return ConverseOutput.fromMessage(Message.builder().role(ConversationRole.ASSISTANT)
                .content(ContentBlock.fromText(text)).build());
    }

    /** The texts a guardrail evaluates by default: every message's text blocks. */
    private static String promptText(ConverseRequest request) {
        StringBuilder text = new StringBuilder();
        for (Message message : request.messages()) {
            for (ContentBlock block : message.content()) {
                if (block.text() != null) {
                    text.append(block.text()).append('\n');
                }
            }
        }
        return text.toString();
    }

    private static String answerText(ConverseResponse answer) {
        StringBuilder text = new StringBuilder();
        if (answer.output() != null && answer.output().message() != null && answer.output().message().hasContent()) {
            answer.output().message().content().stream().filter(b -> b.text() != null).forEach(b -> text.append(b.text()));
        }
        return text.toString();
    }

    @Override
    public InvokeModelResponse invokeModel(InvokeModelRequest request) {
        return model.invokeModel(request);
    }

    @Override
    public String serviceName() {
        return model.serviceName();
    }

    @Override
    public void close() {
        model.close();
    }
}
