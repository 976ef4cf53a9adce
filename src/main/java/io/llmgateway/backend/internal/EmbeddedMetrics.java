package io.llmgateway.backend.internal;

import io.llmgateway.common.GuardrailPolicy;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.Metrics;
import io.llmgateway.contract.Metrics.Dimension;
import io.llmgateway.contract.Metrics.Metric;
import io.llmgateway.contract.Metrics.Split;
import io.llmgateway.contract.OpenAiError;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a request's log line into a CloudWatch embedded metric format (EMF) document, in place: an
 * {@code _aws} member naming the {@link Metrics} this request counts, and their values and
 * dimensions as top-level fields beside the line's own ("Specification: Embedded metric format",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html).
 * On Lambda, CloudWatch Logs extracts the metrics from the function's log with no API call and no
 * added latency ("Using the embedded metric format with Lambda").
 *
 * <p>One line, not a second one: the metrics describe exactly this request, so they travel with its
 * ids, and each request still costs one log event. The line's documented fields keep their names; the
 * metric fields are added beside them (CloudWatch names are PascalCase, as AWS's own metrics are).
 *
 * <p>Dimension values are bounded whatever a client sends: a model is a configured alias or
 * {@link Metrics#NONE}, a plan and an API id must look like one, an error code like OpenAI's. A count
 * is emitted only when it is not zero, so a series exists only once something happened.
 */
final class EmbeddedMetrics {

    private static final Pattern API_ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Pattern PLAN = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z0-9_]{1,64}");
    /** The dimension value for an error code that does not look like one (never expected). */
    static final String OTHER_CODE = "other";

    private EmbeddedMetrics() {
    }

    /**
     * @param apiId           {@code requestContext.apiId}, or null
     * @param models          the configured model aliases
     * @param timestampMillis when the request was answered
     */
    static void annotate(RequestLog line, String apiId, Set<String> models, long timestampMillis) {
        Map<Metric, Number> values = values(line);
        Map<Dimension, String> dimensions = new EnumMap<>(Dimension.class);
        dimensions.put(Dimension.API_ID, bounded(apiId, API_ID, Metrics.NONE));
        Object model = line.get(BackendLog.MODEL);
        dimensions.put(Dimension.MODEL, model instanceof String alias && models.contains(alias) ? alias : Metrics.NONE);
        dimensions.put(Dimension.PLAN, bounded(line.get(BackendLog.PLAN), PLAN, Metrics.NONE));
        dimensions.put(Dimension.ERROR_CODE, bounded(line.get(BackendLog.ERROR_CODE), ERROR_CODE, OTHER_CODE));
        Object policy = line.get(BackendLog.GUARDRAIL_POLICY);
        dimensions.put(Dimension.GUARDRAIL_POLICY, policy instanceof String p && GuardrailPolicy.named(p).isPresent()
                ? p : Metrics.NONE);

        Map<Split, List<Metric>> bySplit = new LinkedHashMap<>();
        values.keySet().forEach(metric -> bySplit.computeIfAbsent(metric.split(), s -> new ArrayList<>()).add(metric));
        Set<Dimension> used = EnumSet.noneOf(Dimension.class);
        List<Map<String, Object>> directives = new ArrayList<>();
        bySplit.forEach((split, metrics) -> {
            used.addAll(split.dimensions());
            Map<String, Object> directive = new LinkedHashMap<>();
            directive.put("Namespace", Metrics.NAMESPACE);
            directive.put("Dimensions", split.dimensionSets().stream()
                    .map(set -> set.stream().map(Dimension::key).toList()).toList());
            directive.put("Metrics", metrics.stream()
                    .map(m -> Map.of("Name", m.metricName(), "Unit", m.unit().cloudWatchName())).toList());
            directives.add(directive);
        });
        for (Dimension dimension : used) {
            line.put(dimension.key(), dimensions.get(dimension));
        }
        values.forEach((metric, value) -> line.put(metric.metricName(), value));
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", timestampMillis);
        aws.put("CloudWatchMetrics", directives);
        line.put("_aws", aws);
    }

    /** What this request counts, read from the line's own fields. */
    private static Map<Metric, Number> values(RequestLog line) {
        Map<Metric, Number> values = new EnumMap<>(Metric.class);
        Object status = line.get(BackendLog.STATUS);
        int code = status instanceof Number n ? n.intValue() : 0;
        Object errorCode = line.get(BackendLog.ERROR_CODE);
        boolean refusedByTokens = BackendLog.REFUSED_BY_TOKENS.equals(line.get(BackendLog.REFUSED_BY));

        values.put(Metric.REQUESTS, 1);
        if (line.get(BackendLog.INPUT_TOKENS) instanceof Number input) {
            values.put(Metric.INPUT_TOKENS, input);
        }
        if (line.get(BackendLog.OUTPUT_TOKENS) instanceof Number output) {
            values.put(Metric.OUTPUT_TOKENS, output);
        }
        if (line.get(BackendLog.CACHE_READ_TOKENS) instanceof Number read && read.longValue() > 0) {
            values.put(Metric.CACHE_READ_TOKENS, read);
        }
        if (line.get(BackendLog.CACHE_WRITE_TOKENS) instanceof Number write && write.longValue() > 0) {
            values.put(Metric.CACHE_WRITE_TOKENS, write);
        }
        if (line.get(BackendLog.LATENCY_MS) instanceof Number latency) {
            values.put(Metric.BACKEND_LATENCY, latency);
        }
        // ChatRoute logs upstreamError only for a failed Bedrock call, and maps only Bedrock's
        // throttling to a 429 (BedrockErrors).
        if (line.get(RequestLog.UPSTREAM_ERROR) != null && code == 429) {
            values.put(Metric.BEDROCK_THROTTLES, 1);
        }
        if (refusedByTokens && code == 429) {
            // Token metering names the limit; a budget refusal is also OpenAI's insufficient_quota.
            boolean budget = BackendLog.TOKEN_LIMIT_BUDGET.equals(line.get(BackendLog.TOKEN_LIMIT))
                    || OpenAiError.INSUFFICIENT_QUOTA.equals(errorCode);
            values.put(budget ? Metric.TOKEN_BUDGET_REFUSALS : Metric.TOKEN_RATE_REFUSALS, 1);
        }
        // Token metering marks a store failure itself, refused (a 503) or served unmetered.
        if (line.get(Metric.TOKEN_STORE_FAILURES.metricName()) instanceof Number || (refusedByTokens && code == 503)) {
            values.put(Metric.TOKEN_STORE_FAILURES, 1);
        }
        if (line.get(Metric.TOKEN_SETTLE_FAILURES.metricName()) instanceof Number) {
            values.put(Metric.TOKEN_SETTLE_FAILURES, 1);
        }
        if (errorCode != null) {
            values.put(Metric.ERRORS, 1);
        }
        if (BackendLog.GUARDRAIL_INTERVENED.equals(line.get(BackendLog.GUARDRAIL))) {
            values.put(Metric.GUARDRAIL_INTERVENTIONS, 1);
        }
        if (line.get(BackendLog.GUARDRAIL_UNITS) instanceof Number units && units.longValue() > 0) {
            values.put(Metric.GUARDRAIL_TEXT_UNITS, units);
        }
        if (code == 500) {
            values.put(Metric.BACKEND_FAILURES, 1);
        }
        return values;
    }

    private static String bounded(Object value, Pattern allowed, String otherwise) {
        return value instanceof String s && allowed.matcher(s).matches() ? s : otherwise;
    }
}
