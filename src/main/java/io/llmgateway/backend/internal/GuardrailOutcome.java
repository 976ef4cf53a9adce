package io.llmgateway.backend.internal;

import io.llmgateway.common.GuardrailPolicy;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseTrace;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailTraceAssessment;
import software.amazon.awssdk.services.bedrockruntime.model.GuardrailUsage;

/**
 * What a guardrail did to one call, read from Converse's trace ({@code trace.guardrail}, present when
 * {@code guardrailConfig.trace} is enabled): which policies acted (blocked or masked), and the text
 * units each policy billed, summed over the input assessment and every output assessment
 * (Bedrock API reference, "GuardrailTraceAssessment" and "GuardrailUsage",
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailUsage.html). Only the
 * policies' names and counts are kept: the findings' {@code match} fields and {@code modelOutput} hold
 * prompt and answer text, which is never logged.
 *
 * @param acted the policies that blocked or masked something
 * @param units text units per policy
 */
public record GuardrailOutcome(Set<GuardrailPolicy> acted, Map<GuardrailPolicy, Long> units) {

    public static final GuardrailOutcome NONE = new GuardrailOutcome(Set.of(), Map.of());

    /** The log line's fields: {@code guardrailPolicies} and {@code guardrailUnits}. */
    public static final String POLICIES_FIELD = "guardrailPolicies";
    public static final String UNITS_FIELD = "guardrailUnits";

    public GuardrailOutcome {
        acted = acted.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(acted));
        units = Map.copyOf(units);
    }

    public static GuardrailOutcome of(ConverseTrace trace) {
        return trace == null ? NONE : of(trace.guardrail());
    }

    public static GuardrailOutcome of(GuardrailTraceAssessment assessment) {
        if (assessment == null) {
            return NONE;
        }
        Set<GuardrailPolicy> acted = EnumSet.noneOf(GuardrailPolicy.class);
        Map<GuardrailPolicy, Long> units = new EnumMap<>(GuardrailPolicy.class);
        Stream<GuardrailAssessment> all = Stream.concat(
                assessment.hasInputAssessment() ? assessment.inputAssessment().values().stream() : Stream.empty(),
                assessment.hasOutputAssessments()
                        ? assessment.outputAssessments().values().stream().flatMap(Collection::stream) : Stream.empty());
        all.forEach(a -> {
            acted.addAll(acted(a));
            if (a.invocationMetrics() != null && a.invocationMetrics().usage() != null) {
                add(units, a.invocationMetrics().usage());
            }
        });
        return new GuardrailOutcome(acted, units);
    }

    /** True when some policy blocked or masked something. */
    public boolean intervened() {
        return !acted.isEmpty();
    }

    /** The policy an intervention's metric counts under: the first that acted, in {@link GuardrailPolicy} order. */
    public String metricPolicy() {
        return acted.stream().sorted().findFirst().map(GuardrailPolicy::configName).orElse("none");
    }

    public long totalUnits() {
        return units.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The sum of two calls' outcomes. */
    public GuardrailOutcome plus(GuardrailOutcome other) {
        Set<GuardrailPolicy> both = EnumSet.noneOf(GuardrailPolicy.class);
        both.addAll(acted);
        both.addAll(other.acted);
        Map<GuardrailPolicy, Long> sum = new EnumMap<>(GuardrailPolicy.class);
        sum.putAll(units);
        other.units.forEach((p, n) -> sum.merge(p, n, Long::sum));
        return new GuardrailOutcome(both, sum);
    }

    private static Set<GuardrailPolicy> acted(GuardrailAssessment a) {
        Set<GuardrailPolicy> acted = EnumSet.noneOf(GuardrailPolicy.class);
        if (a.topicPolicy() != null && a.topicPolicy().hasTopics()
                && a.topicPolicy().topics().stream().anyMatch(t -> acting(t.actionAsString()))) {
            acted.add(GuardrailPolicy.TOPIC);
        }
        if (a.contentPolicy() != null && a.contentPolicy().hasFilters()
                && a.contentPolicy().filters().stream().anyMatch(f -> acting(f.actionAsString()))) {
            acted.add(GuardrailPolicy.CONTENT);
        }
        if (a.wordPolicy() != null && Stream.concat(
                a.wordPolicy().hasCustomWords() ? a.wordPolicy().customWords().stream().map(w -> w.actionAsString())
                        : Stream.empty(),
                a.wordPolicy().hasManagedWordLists() ? a.wordPolicy().managedWordLists().stream().map(w -> w.actionAsString())
                        : Stream.empty()).anyMatch(GuardrailOutcome::acting)) {
            acted.add(GuardrailPolicy.WORD);
        }
        if (a.sensitiveInformationPolicy() != null && Stream.concat(
                a.sensitiveInformationPolicy().hasPiiEntities()
                        ? a.sensitiveInformationPolicy().piiEntities().stream().map(e -> e.actionAsString()) : Stream.empty(),
                a.sensitiveInformationPolicy().hasRegexes()
                        ? a.sensitiveInformationPolicy().regexes().stream().map(r -> r.actionAsString()) : Stream.empty())
                .anyMatch(GuardrailOutcome::acting)) {
            acted.add(GuardrailPolicy.SENSITIVE_INFORMATION);
        }
        if (a.contextualGroundingPolicy() != null && a.contextualGroundingPolicy().hasFilters()
                && a.contextualGroundingPolicy().filters().stream().anyMatch(f -> acting(f.actionAsString()))) {
            acted.add(GuardrailPolicy.CONTEXTUAL_GROUNDING);
        }
        return acted;
    }

    /** BLOCKED, or ANONYMIZED for a masked entity; NONE and anything newer is not an action on the text. */
    private static boolean acting(String action) {
        return List.of("BLOCKED", "ANONYMIZED").contains(action);
    }

    private static void add(Map<GuardrailPolicy, Long> units, GuardrailUsage usage) {
        put(units, GuardrailPolicy.TOPIC, usage.topicPolicyUnits());
        put(units, GuardrailPolicy.CONTENT, usage.contentPolicyUnits());
        put(units, GuardrailPolicy.WORD, usage.wordPolicyUnits());
        put(units, GuardrailPolicy.SENSITIVE_INFORMATION, usage.sensitiveInformationPolicyUnits());
        put(units, GuardrailPolicy.SENSITIVE_INFORMATION_FREE, usage.sensitiveInformationPolicyFreeUnits());
        put(units, GuardrailPolicy.CONTEXTUAL_GROUNDING, usage.contextualGroundingPolicyUnits());
        put(units, GuardrailPolicy.CONTENT_IMAGE, usage.contentPolicyImageUnits());
        put(units, GuardrailPolicy.AUTOMATED_REASONING, usage.automatedReasoningPolicyUnits());
    }

    private static void put(Map<GuardrailPolicy, Long> units, GuardrailPolicy policy, Integer count) {
        if (count != null && count > 0) {
            units.merge(policy, count.longValue(), Long::sum);
        }
    }
}
