package io.llmgateway.infra;

import io.llmgateway.common.Json;
import io.llmgateway.contract.AccessLogFormat;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.Metrics;
import io.llmgateway.contract.Metrics.Dimension;
import io.llmgateway.contract.Metrics.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The stack's CloudWatch dashboard, as the JSON {@code dashboardBody} ("Dashboard body structure and
 * syntax", Amazon CloudWatch API Reference): API Gateway's requests, errors and latency for the stage;
 * the 429s by cause; tokens by model and by plan; Bedrock throttles; both functions' duration, errors,
 * throttles and concurrency; the top keys (Contributor Insights) and per-key tables (Logs Insights);
 * budget use; the alarms. Built from plain names, so a test can read it without Pulumi.
 *
 * <p>Every metric of the gateway's own namespace comes from {@link Metrics}; per-key figures come
 * only from the logs, never from a metric ({@link Metrics} explains why).
 */
final class DashboardBody {

    static final int WIDTH = 24;
    static final int HALF = 12;
    static final int THIRD = 8;
    static final int HEIGHT = 6;
    /** One minute: the finest period of API Gateway's and Lambda's standard metrics. */
    static final int PERIOD_SECONDS = 60;
    static final int TOP_CONTRIBUTORS = 10;

    /**
     * What the dashboard shows, by name.
     *
     * @param ruleNames           Contributor Insights rules by {@link ContributorRules.Rule}
     * @param alarmArns           every alarm of the stack
     * @param models              the configured model aliases
     * @param plans               the configured plan names
     * @param latencyAlarmMs      the latency alarm's threshold, or null when it is off
     * @param reservedConcurrency the backend's, or -1 for unreserved
     */
    record Monitored(String region, String stackName, String stageName, String apiId, String apiName,
                     String backendFunction, String authorizerFunction, String accessLogGroup, String backendLogGroup,
                     Map<ContributorRules.Rule, String> ruleNames, List<String> alarmArns, List<String> models,
                     List<String> plans, int integrationTimeoutMs, Double latencyAlarmMs, int reservedConcurrency) {
        Monitored {
            Objects.requireNonNull(region, "region");
            ruleNames = Map.copyOf(ruleNames);
            alarmArns = List.copyOf(alarmArns);
            models = List.copyOf(models);
            plans = List.copyOf(plans);
        }
    }

    private final Monitored m;
    private final List<Map<String, Object>> widgets = new ArrayList<>();
    private int x;
    private int y;
    private int rowHeight;

    private DashboardBody(Monitored monitored) {
        this.m = monitored;
    }

    static String json(Monitored monitored) {
        return Json.write(new DashboardBody(monitored).build());
    }

    private Map<String, Object> build() {
        header();
        metric("Requests and errors (API Gateway, stage " + m.stageName() + ")", HALF, "Sum", List.of(
                apiGateway("Count", "requests"), apiGateway("4XXError", "4xx"), apiGateway("5XXError", "5xx")), null);
        List<Map<String, Object>> latencyLines = new ArrayList<>();
        latencyLines.add(annotation("integration timeout", m.integrationTimeoutMs()));
        if (m.latencyAlarmMs() != null) {
            latencyLines.add(annotation("latency alarm", m.latencyAlarmMs()));
        }
        metric("Latency (API Gateway), ms", HALF, null, List.of(
                withStat(apiGateway("Latency", "p50"), "p50"), withStat(apiGateway("Latency", "p99"), "p99"),
                withStat(apiGateway("IntegrationLatency", "integration p99"), "p99")), latencyLines);

        metric("429s by cause", HALF, "Sum", List.of(
                own(Metric.GATEWAY_THROTTLED, Map.of(), "THROTTLED (plan or stage throttle)"),
                own(Metric.GATEWAY_QUOTA_EXCEEDED, Map.of(), "QUOTA_EXCEEDED (plan quota)"),
                own(Metric.TOKEN_RATE_REFUSALS, Map.of(), "tokens per minute (metering)"),
                own(Metric.TOKEN_BUDGET_REFUSALS, Map.of(), "token budget (metering)"),
                own(Metric.BEDROCK_THROTTLES, Map.of(), "Bedrock throttled the model")), null);
        List<Object> errors = new ArrayList<>();
        errors.add(search(Metric.ERRORS, Dimension.ERROR_CODE, "e1"));
        errors.add(own(Metric.BACKEND_FAILURES, Map.of(), "backend 500s"));
        errors.add(own(Metric.TOKEN_STORE_FAILURES, Map.of(), "token store failures"));
        errors.add(own(Metric.TOKEN_SETTLE_FAILURES, Map.of(), "token settlements not recorded"));
        metric("Backend errors by code", HALF, "Sum", errors, null);

        perValue("Backend requests by model", Metric.REQUESTS, Dimension.MODEL, withNone(m.models()), HALF);
        metric("Backend requests by plan", HALF, "Sum", List.of(search(Metric.REQUESTS, Dimension.PLAN, "p1")), null);
        perValue("Input tokens by model", Metric.INPUT_TOKENS, Dimension.MODEL, m.models(), HALF);
        perValue("Output tokens by model", Metric.OUTPUT_TOKENS, Dimension.MODEL, m.models(), HALF);
        perValue("Input tokens by plan", Metric.INPUT_TOKENS, Dimension.PLAN, withNone(m.plans()), HALF);
        perValue("Output tokens by plan", Metric.OUTPUT_TOKENS, Dimension.PLAN, withNone(m.plans()), HALF);
        // Parts of the input tokens, billed at their own prices (docs/prompt-caching.md).
        perValue("Prompt-cache reads by model (part of input)", Metric.CACHE_READ_TOKENS, Dimension.MODEL, m.models(), HALF);
        perValue("Prompt-cache writes by model (part of input)", Metric.CACHE_WRITE_TOKENS, Dimension.MODEL, m.models(),
                HALF);
        perValue("Prompt-cache reads by plan", Metric.CACHE_READ_TOKENS, Dimension.PLAN, withNone(m.plans()), HALF);
        perValue("Prompt-cache writes by plan", Metric.CACHE_WRITE_TOKENS, Dimension.PLAN, withNone(m.plans()), HALF);
        perValue("Bedrock throttles by model", Metric.BEDROCK_THROTTLES, Dimension.MODEL, m.models(), HALF);
        // Plans with a guardrail: interventions by plan and policy, and the text units they billed.
        metric("Guardrail interventions by plan and policy", HALF, "Sum", List.of(
                search(Metric.GUARDRAIL_INTERVENTIONS, List.of(Dimension.PLAN, Dimension.GUARDRAIL_POLICY), "g1")), null);
        metric("Guardrail text units by plan", HALF, "Sum", List.of(
                search(Metric.GUARDRAIL_TEXT_UNITS, Dimension.PLAN, "g2")), null);
        List<Object> backendLatency = new ArrayList<>();
        for (String model : m.models()) {
            backendLatency.add(withStat(own(Metric.BACKEND_LATENCY, Map.of(Dimension.MODEL, model), model + " p99"), "p99"));
        }
        metric("Backend latency by model, p99 ms", HALF, null, backendLatency, null);

        List<Object> duration = new ArrayList<>();
        List<Object> failures = new ArrayList<>();
        List<Object> concurrency = new ArrayList<>();
        for (String function : List.of(m.backendFunction(), m.authorizerFunction())) {
            String which = function.equals(m.backendFunction()) ? "backend" : "authorizer";
            duration.add(withStat(lambda("Duration", function, which + " p50"), "p50"));
            duration.add(withStat(lambda("Duration", function, which + " p99"), "p99"));
            failures.add(lambda("Errors", function, which + " errors"));
            failures.add(lambda("Throttles", function, which + " throttles"));
            concurrency.add(withStat(lambda("ConcurrentExecutions", function, which), "Maximum"));
        }
        metric("Lambda duration, ms", THIRD, null, duration, null);
        metric("Lambda errors and throttles", THIRD, "Sum", failures, null);
        metric("Lambda concurrent executions", THIRD, null, concurrency, m.reservedConcurrency() > 0
                ? List.of(annotation("backend reservedConcurrency", m.reservedConcurrency())) : null);

        contributors("Top keys by requests", ContributorRules.Rule.REQUESTS);
        contributors("Top keys by 429s", ContributorRules.Rule.THROTTLES);
        contributors("Top keys by tokens", ContributorRules.Rule.TOKENS);

        logs("Tokens per key and model (backend log)", HALF, m.backendLogGroup(),
                "filter ispresent(" + BackendLog.TOTAL_TOKENS + ")"
                        + " | stats count(*) as requests, sum(" + BackendLog.INPUT_TOKENS + ") as input, sum("
                        + BackendLog.CACHE_READ_TOKENS + ") as cacheRead, sum(" + BackendLog.CACHE_WRITE_TOKENS
                        + ") as cacheWrite, sum(" + BackendLog.OUTPUT_TOKENS + ") as output by "
                        + BackendLog.API_KEY_ID + ", " + BackendLog.MODEL
                        + " | sort output desc | limit 50");
        logs("Refusals per key and cause (access log)", HALF, m.accessLogGroup(),
                "filter " + AccessLogFormat.STATUS + " = 429"
                        + " | stats count(*) as refusals by " + AccessLogFormat.API_KEY_ID + ", "
                        + AccessLogFormat.ERROR_RESPONSE_TYPE + " | sort refusals desc | limit 50");

        // Any number of plans: one search per refusal kind, not a line per plan (a widget holds 500 lines).
        metric("Budget use: token refusals by plan", HALF, "Sum", List.of(
                search(Metric.TOKEN_BUDGET_REFUSALS, Dimension.PLAN, "b1"),
                search(Metric.TOKEN_RATE_REFUSALS, Dimension.PLAN, "r1")), null);
        logs("Budget use: tokens per key and plan (backend log)", HALF, m.backendLogGroup(),
                "filter ispresent(" + BackendLog.TOTAL_TOKENS + ")"
                        + " | stats sum(" + BackendLog.TOTAL_TOKENS + ") as tokens, count(*) as requests by "
                        + BackendLog.API_KEY_ID + ", " + BackendLog.PLAN + " | sort tokens desc | limit 50");

        if (!m.alarmArns().isEmpty()) {
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("title", "Alarms");
            properties.put("alarms", m.alarmArns());
            properties.put("sortBy", "stateUpdatedTimestamp");
            add("alarm", WIDTH, 3, properties);
        }
        return Map.of("widgets", widgets);
    }

    private void header() {
        String text = "# llm-gateway, stage " + m.stageName() + "\n"
                + "Stack **" + m.stackName() + "** in " + m.region() + ": API `" + m.apiName() + "` (" + m.apiId()
                + "), backend `" + m.backendFunction() + "`, authorizer `" + m.authorizerFunction() + "`. "
                + "Metrics in `" + Metrics.NAMESPACE + "` are by model and plan, never by key: per-key figures are "
                + "the Contributor Insights and Logs Insights widgets below. Key ids map to clients with "
                + "`pulumi stack output apiKeyIds`.";
        add("text", WIDTH, 2, Map.of("markdown", text));
    }

    // ---- metric lines -------------------------------------------------------------------------

    private List<Object> apiGateway(String metricName, String label) {
        return line("AWS/ApiGateway", metricName, List.of("ApiName", m.apiName(), "Stage", m.stageName()), label);
    }

    private List<Object> lambda(String metricName, String function, String label) {
        return line("AWS/Lambda", metricName, List.of("FunctionName", function), label);
    }

    /** A metric of the gateway's own namespace: always under this API's id, plus the given split. */
    private List<Object> own(Metric metric, Map<Dimension, String> split, String label) {
        List<Object> dimensions = new ArrayList<>(List.of(Dimension.API_ID.key(), m.apiId()));
        split.forEach((dimension, value) -> {
            dimensions.add(dimension.key());
            dimensions.add(value);
        });
        return line(Metrics.NAMESPACE, metric.metricName(), dimensions, label);
    }

    private static List<Object> line(String namespace, String metricName, List<?> dimensions, String label) {
        List<Object> line = new ArrayList<>();
        line.add(namespace);
        line.add(metricName);
        line.addAll(dimensions);
        line.add(new LinkedHashMap<>(Map.of("label", label)));
        return line;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> withStat(List<Object> line, String stat) {
        ((Map<String, Object>) line.get(line.size() - 1)).put("stat", stat);
        return line;
    }

    /** Every value of a split the metric has, found by a search (for an open set such as error codes). */
    private Map<String, Object> search(Metric metric, Dimension split, String id) {
        return search(metric, List.of(split), id);
    }

    private Map<String, Object> search(Metric metric, List<Dimension> split, String id) {
        StringBuilder schema = new StringBuilder();
        split.forEach(d -> schema.append(',').append(d.key()));
        String expression = "SEARCH('{" + Metrics.NAMESPACE + "," + Dimension.API_ID.key() + schema
                + "} MetricName=\"" + metric.metricName() + "\" " + Dimension.API_ID.key() + "=\"" + m.apiId()
                + "\"', 'Sum', " + PERIOD_SECONDS + ")";
        return new LinkedHashMap<>(Map.of("expression", expression, "id", id, "label", ""));
    }

    private void perValue(String title, Metric metric, Dimension split, List<String> values, int width) {
        List<Object> lines = new ArrayList<>();
        for (String value : values) {
            lines.add(own(metric, Map.of(split, value), value));
        }
        metric(title, width, "Sum", lines, null);
    }

    private static List<String> withNone(List<String> values) {
        List<String> all = new ArrayList<>(values);
        all.add(Metrics.NONE);
        return all;
    }

    private static Map<String, Object> annotation(String label, double value) {
        return Map.of("label", label, "value", value);
    }

    // ---- widgets ------------------------------------------------------------------------------

    private void metric(String title, int width, String stat, List<?> lines, List<Map<String, Object>> horizontal) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("title", title);
        properties.put("region", m.region());
        properties.put("view", "timeSeries");
        properties.put("stacked", false);
        properties.put("period", PERIOD_SECONDS);
        if (stat != null) {
            properties.put("stat", stat);
        }
        properties.put("metrics", lines);
        if (horizontal != null) {
            properties.put("annotations", Map.of("horizontal", horizontal));
        }
        add("metric", width, HEIGHT, properties);
    }

    private void contributors(String title, ContributorRules.Rule rule) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("title", title + " (Contributor Insights)");
        properties.put("region", m.region());
        properties.put("view", "timeSeries");
        properties.put("period", 300);
        properties.put("insightRule", Map.of("maxContributorCount", TOP_CONTRIBUTORS, "orderBy", "Sum",
                "ruleName", m.ruleNames().get(rule)));
        properties.put("legend", Map.of("position", "right"));
        add("metric", THIRD, HEIGHT, properties);
    }

    private void logs(String title, int width, String logGroup, String query) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("title", title);
        properties.put("region", m.region());
        properties.put("view", "table");
        properties.put("query", "SOURCE '" + logGroup + "' | " + query);
        add("log", width, HEIGHT, properties);
    }

    /** Widgets fill rows left to right; a widget that does not fit starts the next row. */
    private void add(String type, int width, int height, Map<String, Object> properties) {
        if (x + width > WIDTH) {
            x = 0;
            y += rowHeight;
            rowHeight = 0;
        }
        Map<String, Object> widget = new LinkedHashMap<>();
        widget.put("type", type);
        widget.put("x", x);
        widget.put("y", y);
        widget.put("width", width);
        widget.put("height", height);
        widget.put("properties", properties);
        widgets.add(widget);
        x += width;
        rowHeight = Math.max(rowHeight, height);
    }
}
