package io.llmgateway.config;

import io.llmgateway.common.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code capacity} (optional): the account's limits and the models' quotas as the operator states
 * them, for the capacity report. Every field has AWS's default, except the per-model Bedrock quotas,
 * which AWS sets per model, Region and account: a model without one is not checked.
 */
final class CapacityReader {

    static final String ACCOUNT_RATE_LIMIT = "accountRateLimit";
    static final String ACCOUNT_BURST_LIMIT = "accountBurstLimit";
    static final String ACCOUNT_CONCURRENCY = "accountConcurrency";
    static final String MODEL_LATENCY_MS = "modelLatencyMs";
    static final String BEDROCK_TOKENS_PER_MINUTE = "bedrockTokensPerMinute";
    private static final List<String> KEYS = List.of(ACCOUNT_RATE_LIMIT, ACCOUNT_BURST_LIMIT, ACCOUNT_CONCURRENCY,
            MODEL_LATENCY_MS, BEDROCK_TOKENS_PER_MINUTE);

    private final TypedValues typed;
    private final LoadReport report;

    private CapacityReader(TypedValues typed, LoadReport report) {
        this.typed = typed;
        this.report = report;
    }

    /** @param models the configured aliases, which {@code bedrockTokensPerMinute} must name */
    static Capacity read(Object node, Set<String> models, TypedValues typed, LoadReport report) {
        return new CapacityReader(typed, report).read(node, models);
    }

    private Capacity read(Object node, Set<String> models) {
        Capacity defaults = Capacity.defaults();
        if (node == null) {
            return defaults;
        }
        KeyPath path = KeyPath.of(ConfigLoader.CAPACITY);
        Map<String, Object> map = typed.object(path, node, KEYS);
        if (map == null) {
            return defaults;
        }
        long rate = number(path.child(ACCOUNT_RATE_LIMIT), map.get(ACCOUNT_RATE_LIMIT), defaults.accountRateLimit(),
                1_000_000);
        long burst = number(path.child(ACCOUNT_BURST_LIMIT), map.get(ACCOUNT_BURST_LIMIT), defaults.accountBurstLimit(),
                1_000_000);
        long concurrency = number(path.child(ACCOUNT_CONCURRENCY), map.get(ACCOUNT_CONCURRENCY),
                defaults.accountConcurrency(), 1_000_000);
        long latency = number(path.child(MODEL_LATENCY_MS), map.get(MODEL_LATENCY_MS), defaults.modelLatencyMs(),
                900_000);
        Map<String, Long> quotas = new LinkedHashMap<>();
        Object quotaNode = map.get(BEDROCK_TOKENS_PER_MINUTE);
        if (quotaNode != null) {
            KeyPath quotasPath = path.child(BEDROCK_TOKENS_PER_MINUTE);
            Map<String, Object> entries = typed.object(quotasPath, quotaNode, null,
                    ", e.g. {\"nova-micro\": 2000000}");
            if (entries != null) {
                entries.forEach((alias, value) -> {
                    KeyPath entry = quotasPath.child(alias);
                    if (!models.contains(alias)) {
                        report.problem(entry, "is not a model of this stack" + Suggestions.didYouMean(alias, models)
                                + "; models: " + String.join(", ", models));
                        return;
                    }
                    long quota = number(entry, value, -1, 1_000_000_000_000L);
                    if (quota > 0) {
                        quotas.put(alias, quota);
                    }
                });
            }
        }
        return new Capacity(rate, burst, concurrency, latency, quotas);
    }

    /** An integer from 1 to {@code max}, or {@code otherwise} when absent or refused. */
    private long number(KeyPath path, Object node, long otherwise, long max) {
        if (node == null) {
            return otherwise;
        }
        TypedValues.Num n = typed.integer(path, node);
        if (n == null) {
            return otherwise;
        }
        if (!n.within(1, max)) {
            report.problem(path, n.shown() + " is out of range; allowed: 1-" + Text.number(max));
            return otherwise;
        }
        return n.value().longValueExact();
    }
}
