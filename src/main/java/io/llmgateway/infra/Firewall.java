package io.llmgateway.infra;

import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.cloudwatch.LogGroupArgs;
import com.pulumi.aws.wafv2.IpSet;
import com.pulumi.aws.wafv2.IpSetArgs;
import com.pulumi.aws.wafv2.WebAcl;
import com.pulumi.aws.wafv2.WebAclArgs;
import com.pulumi.aws.wafv2.WebAclAssociation;
import com.pulumi.aws.wafv2.WebAclAssociationArgs;
import com.pulumi.aws.wafv2.WebAclLoggingConfiguration;
import com.pulumi.aws.wafv2.WebAclLoggingConfigurationArgs;
import com.pulumi.aws.wafv2.inputs.WebAclCustomResponseBodyArgs;
import com.pulumi.aws.wafv2.inputs.WebAclDefaultActionAllowArgs;
import com.pulumi.aws.wafv2.inputs.WebAclDefaultActionArgs;
import com.pulumi.aws.wafv2.inputs.WebAclLoggingConfigurationRedactedFieldArgs;
import com.pulumi.aws.wafv2.inputs.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleActionArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleActionBlockArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleActionBlockCustomResponseArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleActionBlockCustomResponseResponseHeaderArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleOverrideActionArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleOverrideActionNoneArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleStatementArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleStatementIpSetReferenceStatementArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleStatementManagedRuleGroupStatementArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseCountArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleStatementNotStatementArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleStatementOrStatementArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleStatementRateBasedStatementArgs;
import com.pulumi.aws.wafv2.inputs.WebAclRuleVisibilityConfigArgs;
import com.pulumi.aws.wafv2.inputs.WebAclVisibilityConfigArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import io.llmgateway.config.Cidr;
import io.llmgateway.config.WebFirewall;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.contract.RateLimits;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An AWS WAF web ACL (REGIONAL) on the stage (config {@code waf}). WAF inspects a request before API
 * Gateway runs the authorizer (API Gateway developer guide, "Use AWS WAF to protect your REST APIs"),
 * so floods, denied and unlisted addresses never invoke it. The rules, in the order WAF evaluates
 * them:
 * <ol>
 *   <li>{@value #DENY_RULE}: a source address in {@code denyCidrs} is blocked (403);</li>
 *   <li>{@value #ALLOW_RULE}: with {@code allowCidrs}, any other address is blocked (403); the listed
 *       ones go on to the rules below rather than being allowed outright, so they stay rate-limited;</li>
 *   <li>{@value #RATE_RULE}: an address whose requests in the trailing {@code rateWindowSeconds} (60,
 *       120, 300 or 600 s: AWS WAF's windows) exceed {@code rateLimitPer5Minutes} over that window is
 *       blocked (429 with Retry-After);</li>
 *   <li>the AWS managed rule groups, in config order; the common rule set's body-size rule only counts.</li>
 * </ol>
 * Everything else is allowed. The three rules of the stack answer with an OpenAI-shaped JSON error
 * (custom responses); a managed group's rule blocks with WAF's own 403, since a custom response there
 * needs every rule of the group named, and AWS keeps those lists for itself.
 *
 * <p>Children: {@code <name>-deny-ipv4}, {@code -deny-ipv6}, {@code -allow-ipv4}, {@code -allow-ipv6}
 * (IP sets, one per list and IP version, as WAF requires), {@code -acl}, {@code -association},
 * {@code -logs} and {@code -logging} (with {@code logging: true}).
 */
public final class Firewall extends ComponentResource {

    public static final String TYPE = "llm-gateway:infra:Firewall";
    static final String SCOPE = "REGIONAL";
    static final String DENY_RULE = "deny-list";
    static final String ALLOW_RULE = "allow-list";
    static final String RATE_RULE = "rate-per-ip";
    static final String BLOCKED_BODY = "blocked";
    static final String RATE_LIMITED_BODY = "rate-limited";
    /**
     * WAF accepts a logging destination only under this name prefix (AWS WAF Developer Guide, "Logging
     * web ACL traffic": "The name that you give the destination must start with aws-waf-logs-"); it
     * adds a resource policy to the log group itself when logging is switched on.
     */
    static final String LOG_GROUP_PREFIX = "aws-waf-logs-";
    /**
     * WAF logs every request's headers; these carry the API keys, which must never reach a log, so
     * they are redacted (the logging configuration's {@code RedactedFields}, AWS WAF Developer Guide,
     * "Logging web ACL traffic").
     */
    static final List<String> REDACTED_HEADERS = List.of("authorization", "x-api-key");

    /**
     * @param firewall         the validated config
     * @param namePrefix       e.g. {@code llm-gateway-prod}: the web ACL, IP sets and log group are named after it
     * @param cors             the stack's CORS policy: the firewall's own answers carry its static headers
     * @param logRetentionDays config {@code logRetentionDays}
     * @param stageArn         the stage to protect ({@link OpenAiRestApi#stageArn()})
     */
    public record Args(WebFirewall firewall, String namePrefix, Cors cors, int logRetentionDays, Output<String> stageArn) {
        public Args {
            Objects.requireNonNull(firewall, "firewall");
            Objects.requireNonNull(namePrefix, "namePrefix");
            Objects.requireNonNull(cors, "cors");
            Objects.requireNonNull(stageArn, "stageArn");
        }
    }

    private final String name;
    private final CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
    private final WebAcl acl;
    private final Optional<LogGroup> logs;

    public Firewall(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        this.name = name;
        WebFirewall config = args.firewall();
        List<WebAclRuleArgs> rules = new ArrayList<>();
        List<Output<String>> deny = ipSets("deny", args.namePrefix(), config.denyCidrs());
        if (!deny.isEmpty()) {
            rules.add(blockRule(DENY_RULE, rules.size(), anyOf(deny), 403, BLOCKED_BODY, args.cors(), Map.of()));
        }
        List<Output<String>> allow = ipSets("allow", args.namePrefix(), config.allowCidrs());
        if (!allow.isEmpty()) {
            WebAclRuleStatementArgs outside = WebAclRuleStatementArgs.builder()
                    .notStatement(WebAclRuleStatementNotStatementArgs.builder().statements(anyOf(allow)).build())
                    .build();
            rules.add(blockRule(ALLOW_RULE, rules.size(), outside, 403, BLOCKED_BODY, args.cors(), Map.of()));
        }
        WebAclRuleStatementArgs rate = WebAclRuleStatementArgs.builder()
                .rateBasedStatement(WebAclRuleStatementRateBasedStatementArgs.builder()
                        .limit((int) config.ruleLimit())
                        .aggregateKeyType("IP")
                        .evaluationWindowSec(config.rateWindowSeconds())
                        .build())
                .build();
        rules.add(blockRule(RATE_RULE, rules.size(), rate, 429, RATE_LIMITED_BODY, args.cors(),
                Map.of(Headers.RETRY_AFTER, Integer.toString(RateLimits.FIREWALL_RETRY_AFTER_SECONDS))));
        for (String group : config.managedRuleGroups()) {
            rules.add(managedGroupRule(group, rules.size(), config.rulesToCount(group)));
        }

        this.acl = new WebAcl(Names.child(name, "acl"), WebAclArgs.builder()
                .name(args.namePrefix())
                .description("llm-gateway: address lists, a rate limit per address and AWS managed rules")
                .scope(SCOPE)
                .defaultAction(WebAclDefaultActionArgs.builder().allow(WebAclDefaultActionAllowArgs.builder().build()).build())
                .customResponseBodies(
                        responseBody(BLOCKED_BODY, OpenAiError.firewallBlocked()),
                        responseBody(RATE_LIMITED_BODY, OpenAiError.firewallRateLimited()))
                .rules(rules)
                .visibilityConfig(WebAclVisibilityConfigArgs.builder()
                        .cloudwatchMetricsEnabled(true)
                        .metricName(args.namePrefix())
                        .sampledRequestsEnabled(true)
                        .build())
                .build(), child);
        new WebAclAssociation(Names.child(name, "association"), WebAclAssociationArgs.builder()
                .resourceArn(args.stageArn())
                .webAclArn(acl.arn())
                .build(), child);
        this.logs = config.logging() ? Optional.of(logging(args)) : Optional.empty();

        Map<String, Output<?>> outputs = new LinkedHashMap<>();
        outputs.put("webAclArn", acl.arn());
        logs.ifPresent(group -> outputs.put("logGroupName", group.name()));
        registerOutputs(outputs);
    }

    /** One IP set per IP version that the list has ranges of (a WAF IP set holds one version). */
    private List<Output<String>> ipSets(String list, String namePrefix, List<Cidr> ranges) {
        List<Output<String>> arns = new ArrayList<>();
        for (boolean ipv6 : new boolean[] {false, true}) {
            List<String> addresses = ranges.stream().filter(r -> r.ipv6() == ipv6).map(Cidr::toString).toList();
            if (addresses.isEmpty()) {
                continue;
            }
            String version = ipv6 ? "ipv6" : "ipv4";
            IpSet set = new IpSet(Names.child(name, list + "-" + version), IpSetArgs.builder()
                    .name(namePrefix + "-" + list + "-" + version)
                    .description("llm-gateway " + list + " list, IPv" + (ipv6 ? "6" : "4"))
                    .scope(SCOPE)
                    .ipAddressVersion(ipv6 ? "IPV6" : "IPV4")
                    .addresses(addresses)
                    .build(), child);
            arns.add(set.arn());
        }
        return arns;
    }

    /** A request from any of these sets: the one set itself, or both under an OR. */
    private static WebAclRuleStatementArgs anyOf(List<Output<String>> setArns) {
        List<WebAclRuleStatementArgs> references = setArns.stream()
                .map(arn -> WebAclRuleStatementArgs.builder()
                        .ipSetReferenceStatement(WebAclRuleStatementIpSetReferenceStatementArgs.builder().arn(arn).build())
                        .build())
                .toList();
        if (references.size() == 1) {
            return references.get(0);
        }
        return WebAclRuleStatementArgs.builder()
                .orStatement(WebAclRuleStatementOrStatementArgs.builder().statements(references).build())
                .build();
    }

    /**
     * A rule that blocks with an OpenAI-shaped body. WAF sends custom response headers as given (any
     * name but content-type, AWS WAF Developer Guide, "Custom responses for Block actions"); the
     * static CORS headers go along so a browser page can read the error (with several origins there is
     * no static value, and WAF cannot repeat a request header).
     */
    private static WebAclRuleArgs blockRule(String ruleName, int priority, WebAclRuleStatementArgs statement, int status,
                                            String bodyKey, Cors cors, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(cors.gatewayResponseStaticHeaders());
        all.putAll(headers);
        List<WebAclRuleActionBlockCustomResponseResponseHeaderArgs> responseHeaders = all.entrySet().stream()
                .map(h -> WebAclRuleActionBlockCustomResponseResponseHeaderArgs.builder()
                        .name(h.getKey()).value(h.getValue()).build())
                .toList();
        WebAclRuleActionBlockCustomResponseArgs.Builder response = WebAclRuleActionBlockCustomResponseArgs.builder()
                .responseCode(status)
                .customResponseBodyKey(bodyKey);
        if (!responseHeaders.isEmpty()) {
            response.responseHeaders(responseHeaders);
        }
        return WebAclRuleArgs.builder()
                .name(ruleName)
                .priority(priority)
                .statement(statement)
                .action(WebAclRuleActionArgs.builder()
                        .block(WebAclRuleActionBlockArgs.builder().customResponse(response.build()).build())
                        .build())
                .visibilityConfig(visibility(ruleName))
                .build();
    }

    /** An AWS managed rule group as it is, but for the rules that only count. */
    private static WebAclRuleArgs managedGroupRule(String group, int priority, List<String> counted) {
        List<WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs> overrides = counted.stream()
                .map(rule -> WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideArgs.builder()
                        .name(rule)
                        .actionToUse(WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseArgs.builder()
                                .count(WebAclRuleStatementManagedRuleGroupStatementRuleActionOverrideActionToUseCountArgs
                                        .builder().build())
                                .build())
                        .build())
                .toList();
        WebAclRuleStatementManagedRuleGroupStatementArgs.Builder statement =
                WebAclRuleStatementManagedRuleGroupStatementArgs.builder()
                        .vendorName(WebFirewall.AWS_VENDOR)
                        .name(group);
        if (!overrides.isEmpty()) {
            statement.ruleActionOverrides(overrides);
        }
        return WebAclRuleArgs.builder()
                .name(group)
                .priority(priority)
                .statement(WebAclRuleStatementArgs.builder().managedRuleGroupStatement(statement.build()).build())
                .overrideAction(WebAclRuleOverrideActionArgs.builder()
                        .none(WebAclRuleOverrideActionNoneArgs.builder().build()).build())
                .visibilityConfig(visibility(group))
                .build();
    }

    private static WebAclRuleVisibilityConfigArgs visibility(String metricName) {
        return WebAclRuleVisibilityConfigArgs.builder()
                .cloudwatchMetricsEnabled(true)
                .metricName(metricName)
                .sampledRequestsEnabled(true)
                .build();
    }

    private static WebAclCustomResponseBodyArgs responseBody(String key, OpenAiError error) {
        return WebAclCustomResponseBodyArgs.builder()
                .key(key)
                .contentType("APPLICATION_JSON")
                .content(error.toJson())
                .build();
    }

    /** WAF's logs in a log group of the required prefix, with the stack's retention and no key in them. */
    private LogGroup logging(Args args) {
        LogGroup group = new LogGroup(Names.child(name, "logs"), LogGroupArgs.builder()
                .namePrefix(LOG_GROUP_PREFIX + args.namePrefix() + "-")
                .retentionInDays(args.logRetentionDays())
                .build(), child);
        new WebAclLoggingConfiguration(Names.child(name, "logging"), WebAclLoggingConfigurationArgs.builder()
                .resourceArn(acl.arn())
                .logDestinationConfigs(group.arn().applyValue(List::of))
                .redactedFields(REDACTED_HEADERS.stream()
                        .map(header -> WebAclLoggingConfigurationRedactedFieldArgs.builder()
                                .singleHeader(WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs.builder()
                                        .name(header).build())
                                .build())
                        .toList())
                .build(), child);
        return group;
    }

    public Output<String> webAclArn() {
        return acl.arn();
    }

    /** The WAF log group's name, with {@code logging: true}. */
    public Optional<Output<String>> logGroupName() {
        return logs.map(LogGroup::name);
    }
}
