package io.llmgateway.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * config {@code waf}: an AWS WAF web ACL (REGIONAL) on the stage. WAF evaluates a request before
 * API Gateway runs the authorizer, so a flood of unauthenticated requests never reaches it.
 *
 * @param rateLimitPer5Minutes requests per source IP address in any five minutes before the rate-based
 *                             rule blocks that address (429)
 * @param rateWindowSeconds    how far back WAF counts: 60, 120, 300 or 600; the rule's limit is the
 *                             rate over that window ({@link #ruleLimit()})
 * @param allowCidrs           when not empty, only these ranges get through (403 for the rest)
 * @param denyCidrs            these ranges never get through (403)
 * @param managedRuleGroups    AWS managed rule groups, by name, in evaluation order
 * @param countedRules         per managed rule group, the rules to only count, as configured
 * @param logging              send WAF's logs to a CloudWatch log group ({@code aws-waf-logs-...})
 */
public record WebFirewall(long rateLimitPer5Minutes, int rateWindowSeconds, List<Cidr> allowCidrs, List<Cidr> denyCidrs,
                          List<String> managedRuleGroups, Map<String, List<String>> countedRules, boolean logging) {

    /** AWS's vendor name for its own managed rule groups. */
    public static final String AWS_VENDOR = "AWS";
    public static final String COMMON_RULE_SET = "AWSManagedRulesCommonRuleSet";
    /**
     * The common rule set's rule that blocks request bodies over 8 KB (AWS WAF Developer Guide, "Core
     * rule set (CRS) managed rule group"): most LLM prompts are longer, so it only ever counts here.
     */
    public static final String BODY_SIZE_RULE = "SizeRestrictions_BODY";

    /** The seconds {@code rateLimitPer5Minutes} is stated over. */
    static final int RATE_SECONDS = 300;

    /** The rate-based rule's limit: the rate over the window, rounded down (never above the rate). */
    static long ruleLimit(long ratePer5Minutes, int windowSeconds) {
        return ratePer5Minutes * windowSeconds / RATE_SECONDS;
    }

    /** The rate-based rule's limit, per {@link #rateWindowSeconds()}. */
    public long ruleLimit() {
        return ruleLimit(rateLimitPer5Minutes, rateWindowSeconds);
    }

    public WebFirewall {
        allowCidrs = List.copyOf(allowCidrs);
        denyCidrs = List.copyOf(denyCidrs);
        managedRuleGroups = List.copyOf(managedRuleGroups);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        countedRules.forEach((group, rules) -> copy.put(group, List.copyOf(rules)));
        countedRules = Collections.unmodifiableMap(copy);
    }

    /**
     * The rules of a managed group that only count: the configured ones and, for
     * {@value #COMMON_RULE_SET}, always {@value #BODY_SIZE_RULE}.
     */
    public List<String> rulesToCount(String group) {
        LinkedHashSet<String> rules = new LinkedHashSet<>();
        if (COMMON_RULE_SET.equals(group)) {
            rules.add(BODY_SIZE_RULE);
        }
        rules.addAll(countedRules.getOrDefault(group, List.of()));
        return new ArrayList<>(rules);
    }
}
