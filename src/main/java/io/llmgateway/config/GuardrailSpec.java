package io.llmgateway.config;

import io.llmgateway.common.GuardrailPolicy;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A plan's guardrail ({@code plans.<plan>.guardrail}): one the stack declares from config, or one that
 * exists already, named by id and version. Either way every Converse call of the plan names it.
 */
public sealed interface GuardrailSpec {

    /** Per policy, nano-dollars per text unit for this plan ({@code prices} over {@code guardrailPrices}). */
    Map<GuardrailPolicy, Long> unitPrices();

    /** The same guardrail with these prices. */
    GuardrailSpec pricedAt(Map<GuardrailPolicy, Long> prices);

    /** An existing guardrail, e.g. one a security team owns. */
    record Existing(String id, String version, Map<GuardrailPolicy, Long> unitPrices) implements GuardrailSpec {
        public Existing {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(version, "version");
            unitPrices = prices(unitPrices);
        }

        @Override
        public GuardrailSpec pricedAt(Map<GuardrailPolicy, Long> prices) {
            return new Existing(id, version, prices);
        }
    }

    /** A content filter: a category and how strictly prompts and answers are filtered. */
    record ContentFilter(String type, String inputStrength, String outputStrength) {
    }

    /** A denied topic: Bedrock blocks prompts and answers about it. */
    record DeniedTopic(String name, String definition, List<String> examples) {
        public DeniedTopic {
            examples = List.copyOf(examples);
        }
    }

    /**
     * A guardrail the stack declares ({@code aws.bedrock.Guardrail}) and versions
     * ({@code aws.bedrock.GuardrailVersion}, replaced when this changes).
     *
     * @param blockedInputMessage  what the client gets when the prompt is blocked
     * @param blockedOutputMessage what the client gets when the answer is blocked
     * @param contentFilters       content filters, by category
     * @param deniedTopics         denied topics
     * @param words                words and phrases to block
     * @param managedWordLists     AWS-managed word lists ({@code PROFANITY})
     * @param pii                  PII entity type to action, {@code BLOCK} or {@code ANONYMIZE}; sorted by
     *                             type, as the filters are, so the order of the stack file changes nothing
     */
    record Declared(String blockedInputMessage, String blockedOutputMessage, List<ContentFilter> contentFilters,
                    List<DeniedTopic> deniedTopics, List<String> words, List<String> managedWordLists,
                    Map<String, String> pii, Map<GuardrailPolicy, Long> unitPrices) implements GuardrailSpec {
        public Declared {
            Objects.requireNonNull(blockedInputMessage, "blockedInputMessage");
            Objects.requireNonNull(blockedOutputMessage, "blockedOutputMessage");
            contentFilters = contentFilters.stream()
                    .sorted(java.util.Comparator.comparing(ContentFilter::type)).toList();
            deniedTopics = List.copyOf(deniedTopics);
            words = List.copyOf(words);
            managedWordLists = List.copyOf(managedWordLists);
            pii = Collections.unmodifiableMap(new java.util.TreeMap<>(pii));
            unitPrices = prices(unitPrices);
        }

        @Override
        public GuardrailSpec pricedAt(Map<GuardrailPolicy, Long> prices) {
            return new Declared(blockedInputMessage, blockedOutputMessage, contentFilters, deniedTopics, words,
                    managedWordLists, pii, prices);
        }

        /** The billed policies this guardrail configures: each needs a price under a USD budget. */
        public List<GuardrailPolicy> policies() {
            List<GuardrailPolicy> policies = new java.util.ArrayList<>();
            if (!contentFilters.isEmpty()) {
                policies.add(GuardrailPolicy.CONTENT);
            }
            if (!deniedTopics.isEmpty()) {
                policies.add(GuardrailPolicy.TOPIC);
            }
            if (!words.isEmpty() || !managedWordLists.isEmpty()) {
                policies.add(GuardrailPolicy.WORD);
            }
            if (!pii.isEmpty()) {
                policies.add(GuardrailPolicy.SENSITIVE_INFORMATION);
            }
            return policies;
        }
    }

    private static Map<GuardrailPolicy, Long> prices(Map<GuardrailPolicy, Long> prices) {
        EnumMap<GuardrailPolicy, Long> copy = new EnumMap<>(GuardrailPolicy.class);
        copy.putAll(prices);
        return Collections.unmodifiableMap(copy);
    }
}
