package io.llmgateway.infra;

import io.llmgateway.common.Json;
import io.llmgateway.contract.AccessLogFormat;
import io.llmgateway.contract.BackendLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Contributor Insights rules: CloudWatch's answer for high-cardinality keys ("Using Contributor
 * Insights to analyze high-cardinality data"). A rule ranks the top contributors, here API key ids, from
 * a log group without a metric per key: it costs per rule and per matched log event, not per key. The
 * definitions follow "Contributor Insights rule syntax in CloudWatch" (schema CloudWatchLogRule 1, JSON
 * log format). Field names come from {@link AccessLogFormat} and {@link BackendLog}.
 */
final class ContributorRules {

    /** What a rule ranks keys by, and on which log. */
    enum Rule {
        /** The access log: every request, API Gateway's refusals included. */
        REQUESTS("top-keys-by-requests", Log.ACCESS),
        /** The access log's 429s, whatever refused them (throttle, quota, tokens, Bedrock). */
        THROTTLES("top-keys-by-429s", Log.ACCESS),
        /** The backend log: input plus output tokens of answered chat requests. */
        TOKENS("top-keys-by-tokens", Log.BACKEND);

        private final String suffix;
        private final Log log;

        Rule(String suffix, Log log) {
            this.suffix = suffix;
            this.log = log;
        }

        String suffix() {
            return suffix;
        }

        Log log() {
            return log;
        }
    }

    enum Log { ACCESS, BACKEND }

    private ContributorRules() {
    }

    /** The rule's name: {@code <prefix>-<suffix>}, at most 128 characters. */
    static String name(String prefix, Rule rule) {
        return prefix + "-" + rule.suffix();
    }

    /** The rule's definition on its log group. */
    static String definition(Rule rule, String logGroupName) {
        Map<String, Object> contribution = new LinkedHashMap<>();
        String aggregateOn = "Count";
        switch (rule) {
            case REQUESTS -> contribution.put("Keys", List.of("$." + AccessLogFormat.API_KEY_ID));
            case THROTTLES -> {
                contribution.put("Keys", List.of("$." + AccessLogFormat.API_KEY_ID));
                // The access log quotes every value ($context.status is written as "429").
                contribution.put("Filters", List.of(Map.of("Match", "$." + AccessLogFormat.STATUS, "In", List.of("429"))));
            }
            case TOKENS -> {
                contribution.put("Keys", List.of("$." + BackendLog.API_KEY_ID));
                contribution.put("ValueOf", "$." + BackendLog.TOTAL_TOKENS);
                contribution.put("Filters", List.of(Map.of("Match", "$." + BackendLog.TOTAL_TOKENS, "IsPresent", true)));
                aggregateOn = "Sum";
            }
            default -> throw new IllegalArgumentException(rule.name());
        }
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("Schema", Map.of("Name", "CloudWatchLogRule", "Version", 1));
        definition.put("LogGroupNames", List.of(logGroupName));
        definition.put("LogFormat", "JSON");
        definition.put("Contribution", contribution);
        definition.put("AggregateOn", aggregateOn);
        return Json.write(definition);
    }
}
