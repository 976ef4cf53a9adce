package io.llmgateway.config;

import io.llmgateway.common.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code waf}: an AWS WAF web ACL on the stage. */
final class FirewallReader {

    static final String KEY = "waf";
    static final String RATE_LIMIT = "rateLimitPer5Minutes";
    static final String RATE_WINDOW = "rateWindowSeconds";
    static final String ALLOW_CIDRS = "allowCidrs";
    static final String DENY_CIDRS = "denyCidrs";
    static final String MANAGED_RULE_GROUPS = "managedRuleGroups";
    static final String COUNT_RULES = "countRules";
    static final String LOGGING = "logging";
    private static final List<String> KEYS = List.of(RATE_LIMIT, RATE_WINDOW, ALLOW_CIDRS, DENY_CIDRS, MANAGED_RULE_GROUPS,
            COUNT_RULES, LOGGING);

    static final long DEFAULT_RATE_LIMIT = 2000;
    /** AWS WAF's range for a rate-based rule's limit (AWS WAF Developer Guide, "Rate-based rule high-level settings"). */
    static final long MIN_RATE_LIMIT = 10;
    static final long MAX_RATE_LIMIT = 2_000_000_000L;
    /**
     * How far back AWS WAF counts a rate-based rule's requests: 60, 120, 300 or 600 seconds, 300 by
     * default (AWS WAF Developer Guide, "Rate-based rule high-level settings",
     * https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html;
     * API Reference, "RateBasedStatement", {@code EvaluationWindowSec}).
     */
    static final List<Integer> RATE_WINDOWS = List.of(60, 120, 300, 600);
    static final int DEFAULT_RATE_WINDOW = 300;
    /** Addresses or ranges per IP set (AWS WAF Developer Guide, "IP set match rule statement"). */
    static final int MAX_ADDRESSES = 10_000;

    /**
     * The AWS managed rule groups that need no configuration and cost nothing beyond WAF's standard
     * price (AWS WAF Developer Guide, "AWS Managed Rules rule groups list": baseline, use-case and IP
     * reputation groups).
     */
    static final List<String> MANAGED_GROUPS = List.of(
            WebFirewall.COMMON_RULE_SET, "AWSManagedRulesAdminProtectionRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesLinuxRuleSet",
            "AWSManagedRulesUnixRuleSet", "AWSManagedRulesWindowsRuleSet", "AWSManagedRulesPHPRuleSet",
            "AWSManagedRulesWordPressRuleSet", "AWSManagedRulesAmazonIpReputationList",
            "AWSManagedRulesAnonymousIpList");
    /** Groups that need a managed rule group configuration (and cost extra), which this stack does not declare. */
    static final List<String> CONFIGURED_GROUPS = List.of("AWSManagedRulesBotControlRuleSet",
            "AWSManagedRulesATPRuleSet", "AWSManagedRulesACFPRuleSet", "AWSManagedRulesAntiDDoSRuleSet");
    private static final Pattern RULE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final TypedValues typed;
    private final LoadReport report;

    private FirewallReader(TypedValues typed, LoadReport report) {
        this.typed = typed;
        this.report = report;
    }

    /** @return the firewall, or empty when the key is absent or has problems (reported) */
    static Optional<WebFirewall> read(Object node, TypedValues typed, LoadReport report) {
        return node == null ? Optional.empty() : new FirewallReader(typed, report).read(node);
    }

    private Optional<WebFirewall> read(Object node) {
        KeyPath path = KeyPath.of(KEY);
        Map<String, Object> map = typed.object(path, node, KEYS);
        if (map == null) {
            return Optional.empty();
        }
        int before = report.problems().size();
        long rateLimit = DEFAULT_RATE_LIMIT;
        if (map.get(RATE_LIMIT) != null) {
            TypedValues.Num n = typed.integer(path.child(RATE_LIMIT), map.get(RATE_LIMIT));
            if (n != null && !n.within(MIN_RATE_LIMIT, MAX_RATE_LIMIT)) {
                report.problem(path.child(RATE_LIMIT), n.shown() + " is out of range; allowed: " + MIN_RATE_LIMIT + "-"
                        + MAX_RATE_LIMIT + " requests per IP address in five minutes");
            } else if (n != null) {
                rateLimit = n.value().longValueExact();
            }
        }
        int window = DEFAULT_RATE_WINDOW;
        if (map.get(RATE_WINDOW) != null) {
            TypedValues.Num n = typed.integer(path.child(RATE_WINDOW), map.get(RATE_WINDOW));
            if (n != null && !RATE_WINDOWS.contains(n.value().intValue())) {
                report.problem(path.child(RATE_WINDOW), n.shown() + " is not allowed; AWS WAF counts over 60, 120, 300 "
                        + "or 600 seconds");
            } else if (n != null) {
                window = n.value().intValueExact();
            }
        }
        long ruleLimit = WebFirewall.ruleLimit(rateLimit, window);
        if (report.problems().size() == before && ruleLimit < MIN_RATE_LIMIT) {
            long lowest = (MIN_RATE_LIMIT * WebFirewall.RATE_SECONDS + window - 1) / window;
            report.problem(path.child(RATE_LIMIT), rateLimit + " over the " + window + " s window (" + RATE_WINDOW
                    + ") is a limit of " + ruleLimit + " requests, under AWS WAF's minimum of " + MIN_RATE_LIMIT
                    + " per window; raise it to at least " + lowest + " or count over a longer window");
        }
        Map<Cidr, KeyPath> allow = cidrs(path.child(ALLOW_CIDRS), map.get(ALLOW_CIDRS));
        Map<Cidr, KeyPath> deny = cidrs(path.child(DENY_CIDRS), map.get(DENY_CIDRS));
        deny.forEach((range, denyPath) -> {
            if (allow.containsKey(range)) {
                report.warn(path.child(ALLOW_CIDRS), report.showChecked(range.toString(), allow.get(range), denyPath)
                        + " is in both lists; the deny list is checked first, so it is blocked");
            }
        });
        List<String> groups = managedGroups(path.child(MANAGED_RULE_GROUPS), map.get(MANAGED_RULE_GROUPS));
        Map<String, List<String>> counted = countRules(path.child(COUNT_RULES), map.get(COUNT_RULES), groups);
        Boolean logging = false;
        if (map.get(LOGGING) != null) {
            logging = typed.bool(path.child(LOGGING), map.get(LOGGING));
        }
        if (report.problems().size() > before || logging == null) {
            return Optional.empty();
        }
        return Optional.of(new WebFirewall(rateLimit, window, List.copyOf(allow.keySet()), List.copyOf(deny.keySet()),
                groups, counted, logging));
    }

    /** The ranges listed at {@code path}, each with where it is listed (first, if it is listed twice). */
    private Map<Cidr, KeyPath> cidrs(KeyPath path, Object node) {
        Map<Cidr, KeyPath> ranges = new LinkedHashMap<>();
        if (node == null) {
            return ranges;
        }
        List<Object> items = typed.list(path, node, "CIDR ranges, e.g. [\"203.0.113.0/24\", \"2001:db8::/32\"]");
        if (items == null) {
            return ranges;
        }
        if (items.isEmpty()) {
            report.problem(path, "is empty; leave the key out for no list");
        }
        for (int i = 0; i < items.size(); i++) {
            KeyPath itemPath = path.element(i);
            String text = typed.string(itemPath, items.get(i));
            if (text == null) {
                continue;
            }
            try {
                Cidr range = Cidr.parse(text);
                if (ranges.putIfAbsent(range, itemPath) != null) {
                    report.problem(itemPath, report.show(itemPath, text) + " is listed twice");
                }
            } catch (Cidr.Invalid e) {
                report.problem(itemPath, report.show(itemPath, text) + " " + e.getMessage());
            }
        }
        long v4 = ranges.keySet().stream().filter(r -> !r.ipv6()).count();
        if (v4 > MAX_ADDRESSES || ranges.size() - v4 > MAX_ADDRESSES) {
            report.problem(path, "more than " + MAX_ADDRESSES + " ranges of one IP version, the most an AWS WAF IP set holds");
        }
        return ranges;
    }

    private List<String> managedGroups(KeyPath path, Object node) {
        List<String> groups = new ArrayList<>();
        if (node == null) {
            return groups;
        }
        List<Object> items = typed.list(path, node, "AWS managed rule group names, e.g. [\"" + WebFirewall.COMMON_RULE_SET
                + "\", \"AWSManagedRulesKnownBadInputsRuleSet\"]");
        if (items == null) {
            return groups;
        }
        for (int i = 0; i < items.size(); i++) {
            KeyPath itemPath = path.element(i);
            String name = typed.string(itemPath, items.get(i));
            if (name == null) {
                continue;
            }
            if (CONFIGURED_GROUPS.contains(name)) {
                report.problem(itemPath, Text.quote(name) + " needs a managed rule group configuration and is "
                        + "charged per request; this stack does not declare one. Supported: " + String.join(", ", MANAGED_GROUPS));
            } else if (!MANAGED_GROUPS.contains(name)) {
                report.problem(itemPath, report.show(itemPath, name) + " is not an AWS managed rule group this stack "
                        + "supports" + Suggestions.didYouMean(name, MANAGED_GROUPS) + "; supported: "
                        + String.join(", ", MANAGED_GROUPS));
            } else if (groups.contains(name)) {
                report.problem(itemPath, Text.quote(name) + " is listed twice");
            } else {
                groups.add(name);
            }
        }
        return groups;
    }

    private Map<String, List<String>> countRules(KeyPath path, Object node, List<String> groups) {
        Map<String, List<String>> counted = new LinkedHashMap<>();
        if (node == null) {
            return counted;
        }
        Map<String, Object> map = typed.object(path, node, null,
                ": per managed rule group, the rules to count instead of block, e.g. {\"" + WebFirewall.COMMON_RULE_SET
                        + "\": [\"CrossSiteScripting_BODY\"]}");
        if (map == null) {
            return counted;
        }
        map.forEach((group, value) -> {
            KeyPath groupPath = path.child(group);
            if (!groups.contains(group)) {
                report.problem(groupPath, "names a rule group that " + MANAGED_RULE_GROUPS + " does not list"
                        + Suggestions.didYouMean(group, groups) + "; add it there, or remove this entry");
                return;
            }
            List<Object> items = typed.list(groupPath, value, "rule names, e.g. [\"CrossSiteScripting_BODY\"]");
            if (items == null) {
                return;
            }
            List<String> rules = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                KeyPath itemPath = groupPath.element(i);
                String rule = typed.string(itemPath, items.get(i));
                if (rule != null && !RULE_NAME.matcher(rule).matches()) {
                    report.problem(itemPath, report.show(itemPath, rule) + " is not a rule name (1-128 letters, "
                            + "digits, '_' or '-', as the rule group's documentation lists them)");
                } else if (rule != null && !rules.contains(rule)) {
                    rules.add(rule);
                }
            }
            counted.put(group, rules);
        });
        return counted;
    }
}
