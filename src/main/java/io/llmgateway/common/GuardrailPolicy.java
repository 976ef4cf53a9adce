package io.llmgateway.common;

import java.util.Arrays;
import java.util.Optional;

/**
 * The policies of a Bedrock guardrail that Bedrock bills in text units (a text unit is up to 1,000
 * characters), one per field of the runtime's {@code GuardrailUsage}
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailUsage.html). The config
 * prices them ({@code guardrailPrices}), the backend counts them from the trace, and the metrics name
 * interventions by them.
 */
public enum GuardrailPolicy {
    CONTENT("contentPolicy", true),
    TOPIC("topicPolicy", true),
    /** Word filters: free, so charged only when the operator prices them. */
    WORD("wordPolicy", false),
    SENSITIVE_INFORMATION("sensitiveInformationPolicy", true),
    /** Custom regexes of the sensitive-information policy: {@code sensitiveInformationPolicyFreeUnits}. */
    SENSITIVE_INFORMATION_FREE("sensitiveInformationPolicyFree", false),
    CONTEXTUAL_GROUNDING("contextualGroundingPolicy", true),
    CONTENT_IMAGE("contentPolicyImage", true),
    AUTOMATED_REASONING("automatedReasoningPolicy", true);

    private final String configName;
    private final boolean billed;

    GuardrailPolicy(String configName, boolean billed) {
        this.configName = configName;
        this.billed = billed;
    }

    /** The key under {@code guardrailPrices}, and the metrics' policy dimension. */
    public String configName() {
        return configName;
    }

    /**
     * True when AWS bills the policy's units: an unpriced one is then charged at the dearest price the
     * plan lists (erring high); a free one is charged only when priced.
     */
    public boolean billed() {
        return billed;
    }

    public static Optional<GuardrailPolicy> named(String configName) {
        return Arrays.stream(values()).filter(p -> p.configName.equals(configName)).findFirst();
    }
}
