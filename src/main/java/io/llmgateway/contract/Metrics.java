package io.llmgateway.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The gateway's own CloudWatch metrics, defined once: the backend emits them as embedded metric
 * format (EMF) log lines, the stack turns two access-log fields into metrics with metric filters, and
 * the dashboard and the alarms read them. Nothing else names a metric.
 *
 * <p>Every dimension set starts with {@link Dimension#API_ID}, so two stacks in one account and Region
 * never mix their figures, and each adds at most a model alias, a plan or an error code: values the
 * stack config or the gateway bounds. The API key id is never a dimension: each distinct combination
 * of dimension values is a separately billed custom metric, and with 10,000 keys a key dimension
 * would make 10,000 metrics per name ("Amazon CloudWatch pricing", custom metrics). Per-key figures
 * come from the logs instead (Logs Insights, Contributor Insights).
 */
public final class Metrics {

    /** The namespace of every metric here. */
    public static final String NAMESPACE = "LlmGateway";
    /**
     * The dimension value when there is none to give: a request without a configured model (an
     * unknown alias, {@code GET /v1/models}, a body that does not parse), a caller without a plan
     * (no token metering), an event without an API id. Client text never becomes a dimension value.
     */
    public static final String NONE = "none";

    private Metrics() {
    }

    public enum Dimension {
        /** API Gateway's id of the REST API ({@code requestContext.apiId}; the access log's {@code apiId}). */
        API_ID("ApiId"),
        /** A model alias of the stack's {@code models}, or {@link #NONE}. */
        MODEL("Model"),
        /** The caller's plan, as token metering knows it, or {@link #NONE}. */
        PLAN("Plan"),
        /** OpenAI's {@code error.code} of the answer ({@code model_not_found}, {@code timeout}, ...). */
        ERROR_CODE("ErrorCode"),
        /** The guardrail policy that intervened ({@code contentPolicy}, {@code topicPolicy}, ...; GuardrailPolicy). */
        GUARDRAIL_POLICY("GuardrailPolicy");

        private final String key;

        Dimension(String key) {
            this.key = key;
        }

        /** The dimension's name in CloudWatch, and the log field that carries its value. */
        public String key() {
            return key;
        }
    }

    /** How a metric is split: its dimension sets, each one a separately billed metric per value combination. */
    public enum Split {
        TOTAL(List.of(List.of(Dimension.API_ID))),
        BY_MODEL(List.of(List.of(Dimension.API_ID), List.of(Dimension.API_ID, Dimension.MODEL))),
        BY_PLAN(List.of(List.of(Dimension.API_ID), List.of(Dimension.API_ID, Dimension.PLAN))),
        BY_MODEL_AND_PLAN(List.of(List.of(Dimension.API_ID), List.of(Dimension.API_ID, Dimension.MODEL),
                List.of(Dimension.API_ID, Dimension.PLAN), List.of(Dimension.API_ID, Dimension.MODEL, Dimension.PLAN))),
        BY_ERROR_CODE(List.of(List.of(Dimension.API_ID), List.of(Dimension.API_ID, Dimension.ERROR_CODE))),
        BY_PLAN_AND_GUARDRAIL_POLICY(List.of(List.of(Dimension.API_ID), List.of(Dimension.API_ID, Dimension.PLAN),
                List.of(Dimension.API_ID, Dimension.PLAN, Dimension.GUARDRAIL_POLICY)));

        private final List<List<Dimension>> dimensionSets;

        Split(List<List<Dimension>> dimensionSets) {
            this.dimensionSets = dimensionSets;
        }

        public List<List<Dimension>> dimensionSets() {
            return dimensionSets;
        }

        /** Every dimension any of the sets uses. */
        public List<Dimension> dimensions() {
            return Arrays.stream(Dimension.values())
                    .filter(d -> dimensionSets.stream().anyMatch(set -> set.contains(d)))
                    .toList();
        }
    }

    /** Who produces a metric. */
    public enum Source {
        /** The backend's request log line, as EMF. */
        BACKEND,
        /** A metric filter on the stage's access log. */
        ACCESS_LOG
    }

    /** CloudWatch's units, as EMF and the PutMetricData API spell them. */
    public enum Unit {
        COUNT("Count"), MILLISECONDS("Milliseconds");

        private final String cloudWatchName;

        Unit(String cloudWatchName) {
            this.cloudWatchName = cloudWatchName;
        }

        public String cloudWatchName() {
            return cloudWatchName;
        }
    }

    public enum Metric {
        REQUESTS("Requests", Unit.COUNT, Split.BY_MODEL_AND_PLAN, Source.BACKEND,
                "requests the backend answered, whatever the outcome"),
        INPUT_TOKENS("InputTokens", Unit.COUNT, Split.BY_MODEL_AND_PLAN, Source.BACKEND,
                "input tokens Bedrock reported for answered chat requests, prompt-cache reads and writes included"),
        OUTPUT_TOKENS("OutputTokens", Unit.COUNT, Split.BY_MODEL_AND_PLAN, Source.BACKEND,
                "output tokens Bedrock reported for answered chat requests"),
        CACHE_READ_TOKENS("CacheReadTokens", Unit.COUNT, Split.BY_MODEL_AND_PLAN, Source.BACKEND,
                "input tokens read from the prompt cache (part of InputTokens, billed at the cache-read price)"),
        CACHE_WRITE_TOKENS("CacheWriteTokens", Unit.COUNT, Split.BY_MODEL_AND_PLAN, Source.BACKEND,
                "input tokens written to the prompt cache (part of InputTokens, billed at the cache-write price)"),
        BACKEND_LATENCY("BackendLatency", Unit.MILLISECONDS, Split.BY_MODEL, Source.BACKEND,
                "the backend's time per request, the model call included"),
        BEDROCK_THROTTLES("BedrockThrottles", Unit.COUNT, Split.BY_MODEL, Source.BACKEND,
                "model calls Bedrock throttled (ThrottlingException, ServiceQuotaExceededException): a 429 to the client"),
        TOKEN_RATE_REFUSALS("TokenRateRefusals", Unit.COUNT, Split.BY_PLAN, Source.BACKEND,
                "429s of token metering the caller may retry soon: its tokens per minute were used up, or its "
                        + "budget is held by its own calls in flight"),
        TOKEN_BUDGET_REFUSALS("TokenBudgetRefusals", Unit.COUNT, Split.BY_PLAN, Source.BACKEND,
                "429s of token metering: the caller's token budget for the period was used up"),
        ERRORS("Errors", Unit.COUNT, Split.BY_ERROR_CODE, Source.BACKEND,
                "answers of the backend with an OpenAI error, by its code"),
        BACKEND_FAILURES("BackendFailures", Unit.COUNT, Split.TOTAL, Source.BACKEND,
                "500s of the backend: a misconfiguration (Bedrock access denied, an unknown model id, "
                        + "unreadable settings) or a bug; the cause is in the backend log"),
        TOKEN_STORE_FAILURES("TokenStoreFailures", Unit.COUNT, Split.TOTAL, Source.BACKEND,
                "requests token metering could not meter because its store failed: refused with 503, or "
                        + "served unmetered, as the deployment says"),
        TOKEN_SETTLE_FAILURES("TokenSettleFailures", Unit.COUNT, Split.TOTAL, Source.BACKEND,
                "answered calls whose real usage could not be recorded: the reservation stays charged"),
        GUARDRAIL_INTERVENTIONS("GuardrailInterventions", Unit.COUNT, Split.BY_PLAN_AND_GUARDRAIL_POLICY,
                Source.BACKEND, "calls a plan's guardrail blocked or masked (finish_reason content_filter), under "
                        + "the first policy that acted"),
        GUARDRAIL_TEXT_UNITS("GuardrailTextUnits", Unit.COUNT, Split.BY_PLAN, Source.BACKEND,
                "text units plans' guardrails billed, all policies together"),
        GATEWAY_THROTTLED("GatewayThrottled", Unit.COUNT, Split.TOTAL, Source.ACCESS_LOG,
                "429s of API Gateway's usage-plan or stage throttle (THROTTLED)"),
        GATEWAY_QUOTA_EXCEEDED("GatewayQuotaExceeded", Unit.COUNT, Split.TOTAL, Source.ACCESS_LOG,
                "429s of API Gateway's usage-plan quota (QUOTA_EXCEEDED)"),
        AUTHORIZER_FAILURES("AuthorizerFailures", Unit.COUNT, Split.TOTAL, Source.ACCESS_LOG,
                "500s of API Gateway because the authorizer failed (AUTHORIZER_FAILURE, "
                        + "AUTHORIZER_CONFIGURATION_ERROR); its 401s for requests without a usable key are not failures");

        private final String metricName;
        private final Unit unit;
        private final Split split;
        private final Source source;
        private final String description;

        Metric(String metricName, Unit unit, Split split, Source source, String description) {
            this.metricName = metricName;
            this.unit = unit;
            this.split = split;
            this.source = source;
            this.description = description;
        }

        /** The metric's name in CloudWatch, and in an EMF line the field that carries its value. */
        public String metricName() {
            return metricName;
        }

        public Unit unit() {
            return unit;
        }

        public Split split() {
            return split;
        }

        public Source source() {
            return source;
        }

        public String description() {
            return description;
        }

        /**
         * For an {@link Source#ACCESS_LOG} metric, the metric filter's pattern on the access log
         * ({@link AccessLogFormat}); the filter counts 1 per matching line. CloudWatch Logs filter
         * syntax for JSON log events: {@code { $.field = "value" }}.
         */
        public Optional<String> accessLogPattern() {
            return switch (this) {
                case GATEWAY_THROTTLED -> Optional.of(errorResponseType(GatewayResponses.THROTTLED));
                case GATEWAY_QUOTA_EXCEEDED -> Optional.of(errorResponseType(GatewayResponses.QUOTA_EXCEEDED));
                case AUTHORIZER_FAILURES -> Optional.of(errorResponseType(GatewayResponses.AUTHORIZER_FAILURE,
                        GatewayResponses.AUTHORIZER_CONFIGURATION_ERROR));
                default -> Optional.empty();
            };
        }

        public static List<Metric> from(Source source) {
            return Arrays.stream(values()).filter(m -> m.source == source).toList();
        }

        public static Optional<Metric> byName(String metricName) {
            return Arrays.stream(values()).filter(m -> m.metricName.equals(metricName)).findFirst();
        }
    }

    /**
     * A metric filter's dimensions on the access log: dimension name to the JSON selector of the
     * field that carries its value. Only {@link Dimension#API_ID} exists there.
     */
    public static Map<String, String> accessLogDimensions() {
        return Map.of(Dimension.API_ID.key(), "$." + AccessLogFormat.API_ID);
    }

    private static String errorResponseType(String... responseTypes) {
        return "{ " + Arrays.stream(responseTypes).map(t -> "$." + AccessLogFormat.ERROR_RESPONSE_TYPE + " = \"" + t + "\"")
                .collect(Collectors.joining(" || ")) + " }";
    }
}
