package io.llmgateway.infra;

import com.pulumi.aws.cloudwatch.ContributorInsightRule;
import com.pulumi.aws.cloudwatch.ContributorInsightRuleArgs;
import com.pulumi.aws.cloudwatch.Dashboard;
import com.pulumi.aws.cloudwatch.DashboardArgs;
import com.pulumi.aws.cloudwatch.LogMetricFilter;
import com.pulumi.aws.cloudwatch.LogMetricFilterArgs;
import com.pulumi.aws.cloudwatch.MetricAlarm;
import com.pulumi.aws.cloudwatch.MetricAlarmArgs;
import com.pulumi.aws.cloudwatch.inputs.LogMetricFilterMetricTransformationArgs;
import com.pulumi.aws.cloudwatch.inputs.MetricAlarmMetricQueryArgs;
import com.pulumi.aws.cloudwatch.inputs.MetricAlarmMetricQueryMetricArgs;
import com.pulumi.aws.sns.Topic;
import com.pulumi.aws.sns.TopicArgs;
import com.pulumi.aws.sns.TopicSubscription;
import com.pulumi.aws.sns.TopicSubscriptionArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import io.llmgateway.common.Text;
import io.llmgateway.config.Alarm;
import io.llmgateway.config.AlarmKind;
import io.llmgateway.contract.Metrics;
import io.llmgateway.contract.Metrics.Metric;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What operators watch: the metric filters that count API Gateway's own 429s in the access log, the
 * Contributor Insights rules that rank keys, the alarms with their SNS topic (and email subscribers),
 * and one dashboard per stack. Metric names, units and dimensions come from {@link Metrics}, the same
 * definition the backend emits from.
 *
 * <p>Children: {@code <name>-<metric>-filter} per access-log metric, {@code <name>-<rule>} per
 * Contributor Insights rule, {@code <name>-alarms} (the topic), {@code <name>-email-<address>} per
 * subscriber, {@code <name>-<alarm>} per alarm (Lambda alarms per function:
 * {@code <name>-<alarm>-backend}, {@code -authorizer}), {@code <name>-dashboard}.
 */
public final class Observability extends ComponentResource {

    public static final String TYPE = "llm-gateway:infra:Observability";
    /** An alarm sees no data when nothing happened (no requests, no throttles): that is fine, not breaching. */
    static final String TREAT_MISSING_DATA = "notBreaching";
    static final String AT_OR_ABOVE = "GreaterThanOrEqualToThreshold";

    private final String name;
    private final ObservabilityArgs args;
    private final CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
    private final Topic topic;
    private final Dashboard dashboard;
    private final Output<String> dashboardUrl;
    private final String dashboardName;

    public Observability(String name, ObservabilityArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        this.name = name;
        this.args = args;
        this.dashboardName = args.prefix() + "-" + args.stageName();

        metricFilters();
        Map<ContributorRules.Rule, ContributorInsightRule> rules = contributorRules();
        this.topic = new Topic(childName("alarms"), TopicArgs.builder()
                .name(args.prefix() + "-alarms")
                .displayName("llm-gateway " + args.stageName() + " alarms")
                .build(), child);
        subscriptions();
        List<MetricAlarm> alarms = alarms();
        this.dashboard = dashboard(rules, alarms);
        this.dashboardUrl = Output.tuple(args.aws().partition(), args.aws().region())
                .applyValue(t -> consoleUrl(t.t1, t.t2, dashboardName));

        registerOutputs(Map.of(
                "dashboardName", dashboard.dashboardName(),
                "dashboardUrl", dashboardUrl,
                "alarmTopicArn", topic.arn()));
    }

    private String childName(String suffix) {
        return Names.child(name, suffix);
    }

    /** The access log's 429s of API Gateway itself, which no AWS metric splits by cause. */
    private void metricFilters() {
        for (Metric metric : Metric.from(Metrics.Source.ACCESS_LOG)) {
            String pattern = metric.accessLogPattern().orElseThrow();
            new LogMetricFilter(childName(Names.kebab(metric.metricName()) + "-filter"), LogMetricFilterArgs.builder()
                    .name(args.prefix() + "-" + metric.metricName())
                    .logGroupName(args.api().accessLogGroupName())
                    .pattern(pattern)
                    .metricTransformation(LogMetricFilterMetricTransformationArgs.builder()
                            .namespace(Metrics.NAMESPACE)
                            .name(metric.metricName())
                            .value("1")
                            .unit(metric.unit().cloudWatchName())
                            .dimensions(Metrics.accessLogDimensions())
                            .build())
                    .build(), child);
        }
    }

    private Map<ContributorRules.Rule, ContributorInsightRule> contributorRules() {
        Map<ContributorRules.Rule, ContributorInsightRule> rules = new EnumMap<>(ContributorRules.Rule.class);
        for (ContributorRules.Rule rule : ContributorRules.Rule.values()) {
            Output<String> logGroup = rule.log() == ContributorRules.Log.ACCESS ? args.api().accessLogGroupName()
                    : args.backend().logGroupName();
            rules.put(rule, new ContributorInsightRule(childName(rule.suffix()), ContributorInsightRuleArgs.builder()
                    .ruleName(ContributorRules.name(args.prefix(), rule))
                    .ruleState("ENABLED")
                    .ruleDefinition(logGroup.applyValue(group -> ContributorRules.definition(rule, group)))
                    .build(), child));
        }
        return rules;
    }

    private void subscriptions() {
        Set<String> names = new HashSet<>();
        for (String email : args.alarms().emails()) {
            String logical = childName("email-" + Names.kebab(email));
            for (int n = 2; !names.add(logical); n++) {
                logical = childName("email-" + Names.kebab(email) + "-" + n);
            }
            // Email subscriptions stay pending until the address confirms; SNS mails it a link.
            new TopicSubscription(logical, TopicSubscriptionArgs.builder()
                    .topic(topic.arn())
                    .protocol("email")
                    .endpoint(email)
                    .build(), child);
        }
    }

    // ---- alarms -------------------------------------------------------------------------------

    private List<MetricAlarm> alarms() {
        List<MetricAlarm> alarms = new ArrayList<>();
        Map<String, Output<String>> apiGateway = Map.of("ApiName", args.api().name(), "Stage", args.api().stage());
        Map<String, Output<String>> ownTotal = Map.of(Metrics.Dimension.API_ID.key(), args.api().id());
        String dashboardHint = " Dashboard: " + dashboardName + ".";

        Alarm serverErrors = args.alarms().get(AlarmKind.SERVER_ERRORS);
        if (serverErrors.enabled()) {
            // API Gateway's 5XXError averages to the share of requests answered with a 5xx.
            alarms.add(alarm(serverErrors, "", "AWS/ApiGateway", "5XXError", apiGateway, "Average", null,
                    serverErrors.threshold() / 100.0,
                    "Over " + Text.grouped(serverErrors.threshold()) + "% of requests to stage " + args.stageName()
                            + " got a 5xx in " + minutes(serverErrors) + ". Read the backend log's status, errorCode "
                            + "and cause fields: 503 service_unavailable is Bedrock (retry, or move traffic to another "
                            + "model), 500 internal_error a misconfiguration whose cause is logged (model ids, Bedrock "
                            + "access), 502/504 the backend failing or timing out." + dashboardHint));
        }
        Alarm latency = args.alarms().get(AlarmKind.LATENCY);
        if (latency.enabled()) {
            alarms.add(alarm(latency, "", "AWS/ApiGateway", "Latency", apiGateway, null, "p99", latency.threshold(),
                    "p99 latency of stage " + args.stageName() + " reached " + Text.grouped(latency.threshold())
                            + " ms in " + minutes(latency) + ", near the " + Text.grouped(args.integrationTimeoutMs())
                            + " ms integration timeout: clients are about to get 504s. Check backend latency by model "
                            + "on the dashboard; lower maxTokensCeiling or maxTokensDefault, move traffic to a faster "
                            + "model, or raise integrationTimeoutMs (above 29000 needs an AWS quota increase)."
                            + dashboardHint));
        }
        Alarm bedrock = args.alarms().get(AlarmKind.BEDROCK_THROTTLES);
        if (bedrock.enabled()) {
            alarms.add(alarm(bedrock, "", Metrics.NAMESPACE, Metric.BEDROCK_THROTTLES.metricName(), ownTotal, "Sum",
                    null, bedrock.threshold(),
                    "Bedrock throttled " + Text.grouped(bedrock.threshold()) + " or more model calls in "
                            + minutes(bedrock) + "; clients got 429 (type tokens). See Bedrock throttles by model on "
                            + "the dashboard and the model's tokens-per-minute quota in Service Quotas: request an "
                            + "increase, use a cross-Region inference profile, or lower plan rates or maxTokensCeiling. "
                            + "State the quota in capacity.bedrockTokensPerMinute so pulumi preview checks it."
                            + dashboardHint));
        }
        for (AlarmKind kind : List.of(AlarmKind.LAMBDA_THROTTLES, AlarmKind.LAMBDA_ERRORS)) {
            Alarm alarm = args.alarms().get(kind);
            if (!alarm.enabled()) {
                continue;
            }
            boolean throttles = kind == AlarmKind.LAMBDA_THROTTLES;
            for (String which : List.of("backend", "authorizer")) {
                ObservabilityArgs.Function function = which.equals("backend") ? args.backend() : args.authorizer();
                String description = throttles
                        ? "Lambda throttled " + Text.grouped(alarm.threshold()) + " or more invocations of the "
                        + which + " function in " + minutes(alarm) + "; those requests failed. It hit "
                        + (which.equals("backend") ? "its reservedConcurrency or " : "") + "the account's "
                        + "concurrency: see the capacity report (pulumi stack output capacityReport), then raise "
                        + (which.equals("backend") ? "reservedConcurrency or " : "") + "the account's Lambda "
                        + "concurrency quota, or lower plan rates." + dashboardHint
                        : Text.grouped(alarm.threshold()) + " or more invocations of the " + which + " function "
                        + "failed in " + minutes(alarm) + " (an init failure, a timeout, out of memory: the "
                        + which + " answers every request itself otherwise). Read its log group for init_failed, "
                        + "'Task timed out' or OutOfMemoryError; check "
                        + (which.equals("backend") ? "lambdaTimeoutSeconds and lambdaMemoryMb." : "the last deployment.")
                        + dashboardHint;
                if (!throttles && which.equals("authorizer")) {
                    // The authorizer fails with "Unauthorized" for every request without a usable key, which
                    // Lambda counts as an error; what failed is what API Gateway reports as its failure.
                    alarms.add(alarm(alarm, "-" + which, Metrics.NAMESPACE, Metric.AUTHORIZER_FAILURES.metricName(),
                            ownTotal, "Sum", null, alarm.threshold(), Text.grouped(alarm.threshold())
                                    + " or more requests got a 500 because the authorizer function failed in "
                                    + minutes(alarm) + " (an init failure, a timeout, a malformed answer; its 401s for "
                                    + "requests without a key are not counted). Read its log group; check the last "
                                    + "deployment." + dashboardHint));
                    continue;
                }
                alarms.add(alarm(alarm, "-" + which, "AWS/Lambda", throttles ? "Throttles" : "Errors",
                        Map.of("FunctionName", function.name()), "Sum", null, alarm.threshold(), description));
            }
        }
        Alarm failures = args.alarms().get(AlarmKind.BACKEND_FAILURES);
        if (failures.enabled()) {
            alarms.add(failuresAlarm(failures, dashboardHint));
        }
        return alarms;
    }

    private MetricAlarm alarm(Alarm alarm, String suffix, String namespace, String metricName,
                              Map<String, Output<String>> dimensions, String statistic, String extendedStatistic,
                              double threshold, String description) {
        MetricAlarmArgs.Builder builder = common(alarm, suffix, description, threshold)
                .namespace(namespace)
                .metricName(metricName)
                .dimensions(dimensions(dimensions))
                .period(alarm.minutes() * 60);
        if (extendedStatistic != null) {
            builder.extendedStatistic(extendedStatistic);
        } else {
            builder.statistic(statistic);
        }
        return new MetricAlarm(childName(Names.kebab(alarm.kind().key()) + suffix), builder.build(), child);
    }

    /** Backend 500s and token-store failures together: a metric-math sum, each series filled with 0. */
    private MetricAlarm failuresAlarm(Alarm alarm, String dashboardHint) {
        Output<Map<String, String>> dimensions = dimensions(Map.of(Metrics.Dimension.API_ID.key(), args.api().id()));
        List<MetricAlarmMetricQueryArgs> queries = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Metric metric : List.of(Metric.BACKEND_FAILURES, Metric.TOKEN_STORE_FAILURES, Metric.TOKEN_SETTLE_FAILURES)) {
            String id = "m" + (ids.size() + 1);
            ids.add("FILL(" + id + ", 0)");
            queries.add(MetricAlarmMetricQueryArgs.builder()
                    .id(id)
                    .returnData(false)
                    .metric(MetricAlarmMetricQueryMetricArgs.builder()
                            .namespace(Metrics.NAMESPACE)
                            .metricName(metric.metricName())
                            .dimensions(dimensions)
                            .stat("Sum")
                            .period(alarm.minutes() * 60)
                            .build())
                    .build());
        }
        queries.add(MetricAlarmMetricQueryArgs.builder()
                .id("failures")
                .expression(String.join(" + ", ids))
                .label("backend and store failures")
                .returnData(true)
                .build());
        String description = "The backend answered " + Text.grouped(alarm.threshold()) + " or more requests with 500 "
                + "internal_error, or could not reach the token table, in " + minutes(alarm) + ". Read the cause "
                + "and tokenStoreCause fields in the backend log (Logs Insights: filter status = 500 or "
                + "ispresent(tokenStore) or ispresent(TokenSettleFailures)): AccessDenied or an unknown model id means "
                + "the models config or the Bedrock policy is wrong; a store failure means the DynamoDB token table "
                + "is failing or throttled (check its metrics; tokenStoreFailureMode decides whether clients get "
                + "503s meanwhile)." + dashboardHint;
        return new MetricAlarm(childName(Names.kebab(alarm.kind().key())),
                common(alarm, "", description, alarm.threshold()).metricQueries(queries).build(), child);
    }

    private MetricAlarmArgs.Builder common(Alarm alarm, String suffix, String description, double threshold) {
        return MetricAlarmArgs.builder()
                .name(args.prefix() + "-" + Names.kebab(alarm.kind().key()) + suffix)
                .alarmDescription(description)
                .comparisonOperator(AT_OR_ABOVE)
                .threshold(threshold)
                .evaluationPeriods(1)
                .treatMissingData(TREAT_MISSING_DATA)
                .alarmActions(topic.arn().applyValue(List::of))
                .okActions(topic.arn().applyValue(List::of));
    }

    private static Output<Map<String, String>> dimensions(Map<String, Output<String>> dimensions) {
        List<String> keys = new ArrayList<>(dimensions.keySet());
        return Output.all(keys.stream().map(dimensions::get).toList()).applyValue(values -> {
            Map<String, String> map = new java.util.LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                map.put(keys.get(i), values.get(i));
            }
            return map;
        });
    }

    private static String minutes(Alarm alarm) {
        return alarm.minutes() == 1 ? "1 minute" : alarm.minutes() + " minutes";
    }

    // ---- dashboard ----------------------------------------------------------------------------

    private Dashboard dashboard(Map<ContributorRules.Rule, ContributorInsightRule> rules, List<MetricAlarm> alarms) {
        Map<ContributorRules.Rule, String> ruleNames = new EnumMap<>(ContributorRules.Rule.class);
        rules.keySet().forEach(rule -> ruleNames.put(rule, ContributorRules.name(args.prefix(), rule)));
        Output<List<String>> names = Output.all(args.aws().region(), args.api().id(), args.api().name(),
                args.api().stage(), args.backend().name(), args.authorizer().name(), args.api().accessLogGroupName(),
                args.backend().logGroupName());
        Output<List<String>> alarmArns = Output.all(alarms.stream().map(MetricAlarm::arn).toList());
        Alarm latency = args.alarms().get(AlarmKind.LATENCY);
        Output<String> body = Output.tuple(names, alarmArns).applyValue(t -> DashboardBody.json(new DashboardBody.Monitored(
                t.t1.get(0), args.stackName(), t.t1.get(3), t.t1.get(1), t.t1.get(2), t.t1.get(4), t.t1.get(5),
                t.t1.get(6), t.t1.get(7), ruleNames, t.t2, args.models(), args.plans(), args.integrationTimeoutMs(),
                latency.enabled() ? latency.threshold() : null, args.reservedConcurrency())));
        // The rules must exist before a widget names them.
        return new Dashboard(childName("dashboard"), DashboardArgs.builder()
                .dashboardName(dashboardName)
                .dashboardBody(body)
                .build(), CustomResourceOptions.builder().parent(this).dependsOn(List.copyOf(rules.values())).build());
    }

    /**
     * The dashboard in the CloudWatch console of the stack's Region: each partition has its own console
     * host ({@code console.aws.amazon.com}, {@code console.amazonaws.cn}, {@code console.amazonaws-us-gov.com}).
     */
    static String consoleUrl(String partition, String region, String dashboardName) {
        String host = switch (partition) {
            case "aws-cn" -> region + ".console.amazonaws.cn";
            case "aws-us-gov" -> "console.amazonaws-us-gov.com";
            default -> region + ".console.aws.amazon.com";
        };
        return "https://" + host + "/cloudwatch/home?region=" + region + "#dashboards/dashboard/" + dashboardName;
    }

    public Output<String> dashboardUrl() {
        return dashboardUrl;
    }

    public Output<String> dashboardName() {
        return dashboard.dashboardName();
    }

    public Output<String> alarmTopicArn() {
        return topic.arn();
    }
}
