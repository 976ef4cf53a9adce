package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.CONTRIBUTOR_INSIGHT_RULE;
import static io.llmgateway.infra.testing.AwsTypes.DASHBOARD;
import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static io.llmgateway.infra.testing.AwsTypes.LOG_GROUP;
import static io.llmgateway.infra.testing.AwsTypes.LOG_METRIC_FILTER;
import static io.llmgateway.infra.testing.AwsTypes.METRIC_ALARM;
import static io.llmgateway.infra.testing.AwsTypes.REST_API;
import static io.llmgateway.infra.testing.AwsTypes.TOPIC;
import static io.llmgateway.infra.testing.AwsTypes.TOPIC_SUBSCRIPTION;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.MetricScenarios;
import io.llmgateway.common.Json;
import io.llmgateway.config.AlarmKind;
import io.llmgateway.config.StackConfig;
import io.llmgateway.contract.Metrics;
import io.llmgateway.infra.testing.AwsMocks;
import io.llmgateway.infra.testing.AwsMocks.Registered;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import io.llmgateway.testing.Emf;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dashboard, the alarms and their topic, the metric filters and the Contributor Insights rules, on
 * the repository stacks and on config variants: what they read must be what the backend and the
 * access log produce.
 */
class ObservabilityTest {

    private static final Pattern SEARCH = Pattern.compile("SEARCH\\('\\{([^}]*)\\} MetricName=\"([^\"]+)\" ApiId=\"([^\"]+)\"'");

    static Stream<Named<StackRun>> stacks() {
        return StackRuns.both();
    }

    /** A metric as something reads it: namespace, name, dimension name to value (null: any value, a search). */
    record Read(String namespace, String name, Map<String, String> dimensions) {
        String shape() {
            return namespace + "/" + name + new TreeMap<>(dimensions).keySet();
        }
    }

    private static String prefix(StackRun run) {
        return "llm-gateway-" + run.engineConfig().stack();
    }

    private static String topicArn(StackRun run) {
        return AwsMocks.topicArn(prefix(run) + "-alarms");
    }

    private static String functionName(StackRun run, String which) {
        return (String) run.one(FUNCTION, which + "-function").state().get("name");
    }

    private static String apiName(StackRun run) {
        return run.one(REST_API, "api-rest").string("name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dashboard(StackRun run) throws Exception {
        return Json.readObject(run.one(DASHBOARD, "monitoring-dashboard").string("dashboardBody"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> widgets(StackRun run) throws Exception {
        return (List<Map<String, Object>>) dashboard(run).get("widgets");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(Map<String, Object> widget) {
        return (Map<String, Object>) widget.get("properties");
    }

    /** Every metric the dashboard's graphs read, lines and searches. */
    @SuppressWarnings("unchecked")
    private static List<Read> dashboardReads(StackRun run) throws Exception {
        List<Read> reads = new ArrayList<>();
        for (Map<String, Object> widget : widgets(run)) {
            Object metrics = properties(widget).get("metrics");
            if (!(metrics instanceof List<?> lines)) {
                continue;
            }
            for (Object line : lines) {
                if (line instanceof Map<?, ?> expression) {
                    Matcher m = SEARCH.matcher((String) expression.get("expression"));
                    assertThat(m.find()).as("a search expression: " + expression).isTrue();
                    List<String> schema = List.of(m.group(1).split(","));
                    Map<String, String> dimensions = new LinkedHashMap<>();
                    schema.subList(1, schema.size()).forEach(d -> dimensions.put(d, null));
                    dimensions.put("ApiId", m.group(3));
                    reads.add(new Read(schema.get(0), m.group(2), dimensions));
                    continue;
                }
                List<Object> parts = (List<Object>) line;
                Map<String, String> dimensions = new LinkedHashMap<>();
                for (int i = 2; i + 1 < parts.size(); i += 2) {
                    dimensions.put((String) parts.get(i), (String) parts.get(i + 1));
                }
                reads.add(new Read((String) parts.get(0), (String) parts.get(1), dimensions));
            }
        }
        return reads;
    }

    /** Every metric the alarms read, metric math included. */
    @SuppressWarnings("unchecked")
    private static List<Read> alarmReads(StackRun run) {
        List<Read> reads = new ArrayList<>();
        for (Registered alarm : run.ofType(METRIC_ALARM)) {
            Map<String, Object> in = alarm.inputs();
            if (in.containsKey("metricName")) {
                reads.add(new Read(alarm.string("namespace"), alarm.string("metricName"),
                        (Map<String, String>) in.get("dimensions")));
            }
            for (Map<String, Object> query : (List<Map<String, Object>>) in.getOrDefault("metricQueries", List.of())) {
                Map<String, Object> metric = (Map<String, Object>) query.get("metric");
                if (metric != null) {
                    reads.add(new Read((String) metric.get("namespace"), (String) metric.get("metricName"),
                            (Map<String, String>) metric.get("dimensions")));
                }
            }
        }
        return reads;
    }

    /** What the stack's metric filters produce: their namespace, name and dimension names. */
    @SuppressWarnings("unchecked")
    private static Set<String> filterShapes(StackRun run) {
        return run.ofType(LOG_METRIC_FILTER).stream().map(filter -> {
            Map<String, Object> t = (Map<String, Object>) filter.inputs().get("metricTransformation");
            return t.get("namespace") + "/" + t.get("name") + new TreeMap<>((Map<String, String>) t.get("dimensions")).keySet();
        }).collect(Collectors.toSet());
    }

    // ---- the one definition -------------------------------------------------------------------

    @Test
    void theBackendEmitsExactlyTheMetricsAndDimensionSetsTheDefinitionLists() {
        Set<String> emitted = Emf.readAll(MetricScenarios.lines()).stream().map(Emf.Datum::shape)
                .collect(Collectors.toSet());
        Set<String> defined = new HashSet<>();
        for (Metrics.Metric metric : Metrics.Metric.from(Metrics.Source.BACKEND)) {
            for (List<Metrics.Dimension> set : metric.split().dimensionSets()) {
                defined.add(Metrics.NAMESPACE + "/" + metric.metricName()
                        + new TreeMap<>(set.stream().collect(Collectors.toMap(Metrics.Dimension::key, d -> ""))).keySet());
            }
        }
        assertThat(emitted).isEqualTo(defined);
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void everyGatewayMetricTheDashboardAndAlarmsRead_isOneTheBackendOrAMetricFilterProduces(StackRun run)
            throws Exception {
        Set<String> produced = Emf.readAll(MetricScenarios.lines()).stream().map(Emf.Datum::shape)
                .collect(Collectors.toCollection(HashSet::new));
        produced.addAll(filterShapes(run));
        List<Read> reads = new ArrayList<>(dashboardReads(run));
        reads.addAll(alarmReads(run));
        List<Read> own = reads.stream().filter(r -> r.namespace().equals(Metrics.NAMESPACE)).toList();

        assertThat(own).isNotEmpty().allSatisfy(read -> {
            assertThat(produced).as("produced").contains(read.shape());
            assertThat(read.dimensions()).containsEntry("ApiId", AwsMocks.REST_API_ID);
        });
        StackConfig config = run.config();
        Set<String> plans = new HashSet<>(config.plans().keySet());
        plans.add(Metrics.NONE);
        Set<String> models = new HashSet<>(config.models().keySet());
        models.add(Metrics.NONE);
        assertThat(own).allSatisfy(read -> {
            if (read.dimensions().get("Model") != null) {
                assertThat(models).contains(read.dimensions().get("Model"));
            }
            if (read.dimensions().get("Plan") != null) {
                assertThat(plans).contains(read.dimensions().get("Plan"));
            }
        });
        // Every metric of the definition is on the dashboard.
        assertThat(own.stream().map(Read::name).collect(Collectors.toSet())).containsAll(
                Stream.of(Metrics.Metric.values()).map(Metrics.Metric::metricName).toList());
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void awsMetrics_areReadForThisStagesApiAndThisStacksFunctions(StackRun run) throws Exception {
        List<Read> reads = new ArrayList<>(dashboardReads(run));
        reads.addAll(alarmReads(run));
        Set<String> functions = Set.of(functionName(run, "backend"), functionName(run, "authorizer"));
        assertThat(reads).filteredOn(r -> r.namespace().equals("AWS/ApiGateway")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.dimensions()).isEqualTo(
                        Map.of("ApiName", apiName(run), "Stage", run.config().stageName())));
        assertThat(reads).filteredOn(r -> r.namespace().equals("AWS/Lambda")).isNotEmpty()
                .allSatisfy(r -> assertThat(functions).contains(r.dimensions().get("FunctionName")))
                .extracting(r -> r.dimensions().get("FunctionName")).containsAll(functions);
        assertThat(reads).extracting(Read::namespace).containsOnly("AWS/ApiGateway", "AWS/Lambda", Metrics.NAMESPACE);
    }

    // ---- metric filters and rules --------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("stacks")
    void metricFilters_countApiGatewaysOwn429sOnTheAccessLog(StackRun run) {
        String accessLog = (String) run.one(LOG_GROUP, "api-access-logs").state().get("name");
        assertThat(run.ofType(LOG_METRIC_FILTER)).hasSize(Metrics.Metric.from(Metrics.Source.ACCESS_LOG).size());
        for (Metrics.Metric metric : Metrics.Metric.from(Metrics.Source.ACCESS_LOG)) {
            Registered filter = run.one(LOG_METRIC_FILTER, "monitoring-" + Names.kebab(metric.metricName()) + "-filter");
            assertThat(filter.inputs()).containsEntry("logGroupName", accessLog)
                    .containsEntry("pattern", metric.accessLogPattern().orElseThrow())
                    .containsEntry("metricTransformation", Map.of("namespace", "LlmGateway", "name", metric.metricName(),
                            "value", "1", "unit", "Count", "dimensions", Map.of("ApiId", "$.apiId")));
        }
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void contributorInsights_rankKeysByRequestsAnd429sOnTheAccessLog_andByTokensOnTheBackendLog(StackRun run)
            throws Exception {
        String accessLog = (String) run.one(LOG_GROUP, "api-access-logs").state().get("name");
        String backendLog = (String) run.one(LOG_GROUP, "backend-logs").state().get("name");
        Map<String, Object> requests = rule(run, "monitoring-top-keys-by-requests", accessLog);
        assertThat(requests).containsEntry("AggregateOn", "Count")
                .containsEntry("Contribution", Map.of("Keys", List.of("$.apiKeyId")));
        Map<String, Object> throttles = rule(run, "monitoring-top-keys-by-429s", accessLog);
        assertThat(throttles).containsEntry("Contribution", Map.of("Keys", List.of("$.apiKeyId"),
                "Filters", List.of(Map.of("Match", "$.status", "In", List.of("429")))));
        Map<String, Object> tokens = rule(run, "monitoring-top-keys-by-tokens", backendLog);
        assertThat(tokens).containsEntry("AggregateOn", "Sum").containsEntry("Contribution", Map.of(
                "Keys", List.of("$.apiKeyId"), "ValueOf", "$.totalTokens",
                "Filters", List.of(Map.of("Match", "$.totalTokens", "IsPresent", true))));
    }

    private static Map<String, Object> rule(StackRun run, String logicalName, String logGroup) throws Exception {
        Registered rule = run.one(CONTRIBUTOR_INSIGHT_RULE, logicalName);
        assertThat(rule.inputs()).containsEntry("ruleState", "ENABLED")
                .containsEntry("ruleName", prefix(run) + logicalName.substring("monitoring".length()));
        Map<String, Object> definition = Json.readObject(rule.string("ruleDefinition"));
        assertThat(definition).containsEntry("Schema", Map.of("Name", "CloudWatchLogRule", "Version", 1))
                .containsEntry("LogFormat", "JSON").containsEntry("LogGroupNames", List.of(logGroup));
        return definition;
    }

    // ---- alarms ---------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("stacks")
    void byDefault_everyAlarmExists_notifiesTheTopic_andSaysWhatToDo(StackRun run) {
        String prefix = prefix(run);
        assertThat(run.ofType(METRIC_ALARM)).extracting(Registered::id).containsExactlyInAnyOrder(
                prefix + "-server-errors", prefix + "-latency", prefix + "-bedrock-throttles",
                prefix + "-lambda-throttles-backend", prefix + "-lambda-throttles-authorizer",
                prefix + "-lambda-errors-backend", prefix + "-lambda-errors-authorizer", prefix + "-backend-failures");
        assertThat(run.one(TOPIC, "monitoring-alarms").inputs()).containsEntry("name", prefix + "-alarms");
        assertThat(run.ofType(METRIC_ALARM)).allSatisfy(alarm -> {
            assertThat(alarm.inputs()).containsEntry("alarmActions", List.of(topicArn(run)))
                    .containsEntry("okActions", List.of(topicArn(run)))
                    .containsEntry("comparisonOperator", "GreaterThanOrEqualToThreshold")
                    .containsEntry("treatMissingData", "notBreaching")
                    .containsEntry("evaluationPeriods", 1.0);
            assertThat(alarm.string("alarmDescription")).hasSizeLessThanOrEqualTo(1024)
                    .contains("Dashboard: " + prefix + "-" + run.config().stageName() + ".")
                    .containsAnyOf("Read ", "Check ", "See ", "raise", "lower");
        });
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void alarmsReadTheirMetricsWithTheDefaultThresholds(StackRun run) {
        String prefix = prefix(run);
        StackConfig config = run.config();
        assertThat(run.one(METRIC_ALARM, "monitoring-server-errors").inputs())
                .containsEntry("namespace", "AWS/ApiGateway").containsEntry("metricName", "5XXError")
                .containsEntry("statistic", "Average").containsEntry("threshold", 0.05).containsEntry("period", 300.0);
        assertThat(run.one(METRIC_ALARM, "monitoring-latency").inputs())
                .containsEntry("metricName", "Latency").containsEntry("extendedStatistic", "p99")
                .containsEntry("threshold", config.api().integrationTimeoutMs() * 0.9);
        assertThat(run.one(METRIC_ALARM, "monitoring-bedrock-throttles").inputs())
                .containsEntry("namespace", "LlmGateway").containsEntry("metricName", "BedrockThrottles")
                .containsEntry("dimensions", Map.of("ApiId", AwsMocks.REST_API_ID)).containsEntry("threshold", 10.0);
        for (String which : List.of("backend", "authorizer")) {
            assertThat(run.one(METRIC_ALARM, "monitoring-lambda-throttles-" + which).inputs())
                    .containsEntry("namespace", "AWS/Lambda").containsEntry("metricName", "Throttles")
                    .containsEntry("dimensions", Map.of("FunctionName", functionName(run, which)));
        }
        assertThat(run.one(METRIC_ALARM, "monitoring-lambda-errors-backend").inputs())
                .containsEntry("namespace", "AWS/Lambda").containsEntry("metricName", "Errors")
                .containsEntry("dimensions", Map.of("FunctionName", functionName(run, "backend")));
        // The authorizer's "Unauthorized" (every request without a key) is a Lambda error by design: its
        // alarm counts what API Gateway reports as the authorizer failing, from the access log.
        assertThat(run.one(METRIC_ALARM, "monitoring-lambda-errors-authorizer").inputs())
                .containsEntry("namespace", "LlmGateway").containsEntry("metricName", "AuthorizerFailures")
                .containsEntry("dimensions", Map.of("ApiId", AwsMocks.REST_API_ID));
        assertThat(run.one(LOG_METRIC_FILTER, "monitoring-authorizer-failures-filter").inputs().get("pattern"))
                .isEqualTo("{ $.errorResponseType = \"AUTHORIZER_FAILURE\" || $.errorResponseType = \"AUTHORIZER_CONFIGURATION_ERROR\" }");
        Registered failures = run.one(METRIC_ALARM, "monitoring-backend-failures");
        assertThat(failures.inputs()).doesNotContainKey("metricName");
        assertThat(((List<?>) failures.inputs().get("metricQueries")).stream()
                .map(q -> String.valueOf(((Map<?, ?>) q).get("id"))).toList())
                .containsExactly("m1", "m2", "m3", "failures");
        assertThat(failures.inputs().get("metricQueries").toString()).contains("FILL(m1, 0) + FILL(m2, 0) + FILL(m3, 0)")
                .contains("BackendFailures", "TokenStoreFailures", "TokenSettleFailures");
        assertThat(prefix).isNotEmpty();
    }

    @Test
    void alarmsFollowTheConfig_switchedOffOrTuned_andEmailsSubscribe() {
        StackRun run = StackRuns.devWithAlarmSettings();
        assertThat(run.ofType(METRIC_ALARM)).extracting(Registered::name)
                .noneMatch(n -> n.startsWith("monitoring-lambda-errors") || n.equals("monitoring-latency"))
                .contains("monitoring-lambda-throttles-backend", "monitoring-backend-failures");
        assertThat(run.one(METRIC_ALARM, "monitoring-server-errors").inputs())
                .containsEntry("threshold", 0.025).containsEntry("period", 600.0);
        assertThat(run.ofType(TOPIC_SUBSCRIPTION)).extracting(Registered::inputs).containsExactlyInAnyOrder(
                Map.of("topic", topicArn(run), "protocol", "email", "endpoint", StackRuns.ALARM_EMAIL),
                Map.of("topic", topicArn(run), "protocol", "email", "endpoint", "oncall+llm@example.org"));
        assertThat(StackRuns.dev().ofType(TOPIC_SUBSCRIPTION)).isEmpty();
        assertThat(run.config().alarms().get(AlarmKind.LAMBDA_ERRORS).enabled()).isFalse();
    }

    // ---- dashboard -------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("stacks")
    void theDashboardIsNamedAndMarkedWithTheStage_andItsConsoleUrlIsExported(StackRun run) throws Exception {
        String stage = run.config().stageName();
        String name = prefix(run) + "-" + stage;
        assertThat(run.one(DASHBOARD, "monitoring-dashboard").inputs()).containsEntry("dashboardName", name);
        assertThat(properties(widgets(run).get(0)).get("markdown").toString())
                .startsWith("# llm-gateway, stage " + stage + "\n").contains(apiName(run), AwsMocks.REST_API_ID);
        assertThat(run.outputValue("dashboardUrl")).isEqualTo("https://us-east-1.console.aws.amazon.com/cloudwatch/"
                + "home?region=us-east-1#dashboards/dashboard/" + name);
        assertThat(run.outputValue("alarmTopicArn")).isEqualTo(topicArn(run));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theDashboardShowsTheTopKeysTheLogTablesAndEveryAlarm(StackRun run) throws Exception {
        List<Map<String, Object>> widgets = widgets(run);
        assertThat(widgets).filteredOn(w -> properties(w).containsKey("insightRule"))
                .extracting(w -> String.valueOf(((Map<?, ?>) properties(w).get("insightRule")).get("ruleName")))
                .containsExactlyInAnyOrder(prefix(run) + "-top-keys-by-requests", prefix(run) + "-top-keys-by-429s",
                        prefix(run) + "-top-keys-by-tokens");
        String accessLog = (String) run.one(LOG_GROUP, "api-access-logs").state().get("name");
        String backendLog = (String) run.one(LOG_GROUP, "backend-logs").state().get("name");
        assertThat(widgets).filteredOn(w -> "log".equals(w.get("type"))).extracting(w -> properties(w).get("query"))
                .anySatisfy(q -> assertThat(q.toString()).startsWith("SOURCE '" + accessLog + "' | "))
                .anySatisfy(q -> assertThat(q.toString()).startsWith("SOURCE '" + backendLog + "' | ")
                        .contains("sum(totalTokens)"));
        assertThat(widgets).filteredOn(w -> "alarm".equals(w.get("type"))).singleElement()
                .satisfies(w -> assertThat(((List<?>) properties(w).get("alarms")).stream().map(String::valueOf).toList())
                        .containsExactlyInAnyOrderElementsOf(
                                run.ofType(METRIC_ALARM).stream().map(a -> AwsMocks.alarmArn(a.id())).toList()));
        assertThat(widgets).allSatisfy(w -> {
            assertThat(((Number) w.get("x")).intValue() + ((Number) w.get("width")).intValue()).isLessThanOrEqualTo(24);
            if (properties(w).containsKey("region")) {
                assertThat(properties(w)).containsEntry("region", AwsMocks.REGION);
            }
        });
    }

    @Test
    void theConsoleUrlFollowsThePartition() {
        assertThat(Observability.consoleUrl("aws", "eu-west-1", "d")).isEqualTo(
                "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/d");
        assertThat(Observability.consoleUrl("aws-cn", "cn-north-1", "d")).startsWith(
                "https://cn-north-1.console.amazonaws.cn/cloudwatch/home?region=cn-north-1#");
        assertThat(Observability.consoleUrl("aws-us-gov", "us-gov-west-1", "d")).startsWith(
                "https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#");
    }
}
