package io.llmgateway.infra.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;

/**
 * The program run once per stack config and shared by every test class in the JVM: the runs are the
 * slow part, the assertions are not.
 */
public final class StackRuns {

    /** A key the dev variant with a supplied key uses; it must never appear outside a secret. */
    public static final String SUPPLIED_KEY = "sk-supplied-0123456789-abcdefghijklmnop";

    private static final Map<String, StackRun> RUNS = new HashMap<>();

    private StackRuns() {
    }

    /** Pulumi.dev.yaml as it is in the repository. */
    public static StackRun dev() {
        return cached("dev", () -> EngineConfig.load("dev"));
    }

    /** Pulumi.prod.yaml as it is in the repository. */
    public static StackRun prod() {
        return cached("prod", () -> EngineConfig.load("prod"));
    }

    /** Both repository stacks, for parameterized tests. */
    public static Stream<Named<StackRun>> both() {
        return Stream.of(Named.of("dev", dev()), Named.of("prod", prod()));
    }

    /** dev with {@code authorizerCacheTtlSeconds: 300}: only the authorizer config differs. */
    public static StackRun devWithAuthorizerCache() {
        return cached("dev+authorizerCache", () -> EngineConfig.load("dev").with("authorizerCacheTtlSeconds", "300"));
    }

    /** dev with {@code manageCloudWatchRole: false} and {@code loggingLevel: OFF}. */
    public static StackRun devWithoutLoggingSetup() {
        return cached("dev+noLoggingSetup", () -> EngineConfig.load("dev")
                .with("manageCloudWatchRole", "false")
                .with("loggingLevel", "OFF"));
    }

    /** dev with other plan limits that leave every gateway response alone: burst 1 (below the rate) and quota 700. */
    public static StackRun devWithOtherPlanLimits() {
        return cached("dev+planLimits", () -> EngineConfig.load("dev")
                .with("plans.dev.throttle.burstLimit", 1)
                .with("plans.dev.quota.limit", 700));
    }

    /** dev with a slower plan rate, 0.25 rps: THROTTLED's Retry-After becomes 4 s. */
    public static StackRun devWithSlowerRate() {
        return cached("dev+slowerRate", () -> EngineConfig.load("dev").with("plans.dev.throttle.rateLimit", 0.25));
    }

    /** dev whose demo client supplies its key as a secret ({@link #SUPPLIED_KEY}). */
    public static StackRun devWithSuppliedKey() {
        return cached("dev+suppliedKey", () -> EngineConfig.load("dev")
                .with("clients.demo.apiKey", SUPPLIED_KEY)
                .secret("clients"));
    }

    /** The email address dev's alarm variant subscribes first. */
    public static final String ALARM_EMAIL = "ops@example.com";

    /**
     * dev with alarm settings: two email subscribers, the Lambda errors and latency alarms off, the 5xx
     * alarm at 2.5 % over 10 minutes.
     */
    public static StackRun devWithAlarmSettings() {
        return cached("dev+alarms", () -> EngineConfig.load("dev")
                .with("alarms", Map.of(
                        "emails", List.of(ALARM_EMAIL, "oncall+llm@example.org"),
                        "lambdaErrors", Map.of("enabled", false),
                        "latency", Map.of("enabled", "false"),
                        "serverErrors", Map.of("threshold", 2.5, "minutes", 10))));
    }

    /**
     * Pulumi.dev.yaml as it is, after the provider replaced this resource (a logical name such as
     * {@code backend-function}): its physical name and ARNs change, nothing else.
     */
    public static StackRun devAfterReplacing(String logicalName) {
        return cached("dev+replaced:" + logicalName, () -> EngineConfig.load("dev"), new AwsMocks(Set.of(logicalName)));
    }

    // ---- how clients reach the API (config customDomain, waf, cors, privateApi) ----------------

    public static final String DOMAIN = "llm.example.com";
    public static final String CERTIFICATE =
            "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    public static final String HOSTED_ZONE = "Z0123456789ABCDEFGHIJ";
    public static final String APP_ORIGIN = "https://app.example.com";
    public static final String ADMIN_ORIGIN = "http://localhost:3000";
    public static final List<String> VPC_ENDPOINTS = List.of("vpce-0123456789abcdef0", "vpce-0fedcba9876543210");

    /** dev under a custom domain with a base path, a Route 53 zone, and the execute-api endpoint off. */
    public static StackRun devWithCustomDomain() {
        return cached("dev+customDomain", () -> EngineConfig.load("dev")
                .with("customDomain", Map.of("domainName", DOMAIN, "certificateArn", CERTIFICATE, "basePath", "llm",
                        "hostedZoneId", HOSTED_ZONE, "disableExecuteApiEndpoint", true)));
    }

    /** prod under a custom domain at its root, without a zone (the operator writes the DNS record). */
    public static StackRun prodWithCustomDomainOnly() {
        return cached("prod+customDomainOnly", () -> EngineConfig.load("prod")
                .with("customDomain", Map.of("domainName", DOMAIN, "certificateArn", CERTIFICATE)));
    }

    /**
     * dev with a firewall using every option (both lists, IPv4 and IPv6, two managed groups, a counted
     * rule, logging) and one CORS origin, whose static headers the firewall's answers carry (and with
     * which every CORS header value of the API is static).
     */
    public static StackRun devWithFirewall() {
        return cached("dev+waf", () -> EngineConfig.load("dev")
                .with("waf", Map.of(
                        "rateLimitPer5Minutes", 500,
                        "rateWindowSeconds", 60,
                        "allowCidrs", List.of("203.0.113.0/24", "2001:db8::/32", "198.51.100.0/24"),
                        "denyCidrs", List.of("203.0.113.66/32"),
                        "managedRuleGroups", List.of("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"),
                        "countRules", Map.of("AWSManagedRulesCommonRuleSet", List.of("CrossSiteScripting_BODY")),
                        "logging", true))
                .with("cors", Map.of("allowedOrigins", List.of(APP_ORIGIN))));
    }

    /** dev with only the firewall's defaults: a rate limit, nothing else. */
    public static StackRun devWithPlainFirewall() {
        return cached("dev+plainWaf", () -> EngineConfig.load("dev").with("waf", Map.of("logging", false)));
    }

    /** dev with two CORS origins: gateway responses repeat the request's Origin. */
    public static StackRun devWithCors() {
        return cached("dev+cors", () -> EngineConfig.load("dev")
                .with("cors", Map.of("allowedOrigins", List.of(APP_ORIGIN, ADMIN_ORIGIN))));
    }

    /** dev as a private API behind two VPC endpoints. */
    public static StackRun devPrivate() {
        return cached("dev+private", () -> EngineConfig.load("dev")
                .with("privateApi", Map.of("vpcEndpointIds", VPC_ENDPOINTS)));
    }

    // ---- streaming ---------------------------------------------------------------------------------

    /** The stream timeout the streaming variants set: ten minutes, above lambdaTimeoutSeconds and the default. */
    public static final int STREAM_TIMEOUT_MS = 600_000;

    /** dev with streaming on and a ten-minute stream timeout. */
    public static StackRun devWithStreaming() {
        return cached("dev+streaming", () -> EngineConfig.load("dev")
                .with("streaming", Map.of("enabled", true, "timeoutMs", STREAM_TIMEOUT_MS)));
    }

    /** dev with streaming off: the API as it was before streaming, every route buffered. */
    public static StackRun devBuffered() {
        return cached("dev+buffered", () -> EngineConfig.load("dev").with("streaming", Map.of("enabled", false)));
    }

    /** dev with a stream timeout but streaming off: nothing may change. */
    public static StackRun devWithStreamingOff() {
        return cached("dev+streamingOff", () -> EngineConfig.load("dev")
                .with("streaming", Map.of("enabled", false, "timeoutMs", STREAM_TIMEOUT_MS)));
    }

    /** {@link #devWithStreaming()} after the provider replaced the backend function. */
    public static StackRun devWithStreamingAfterReplacing(String logicalName) {
        return cached("dev+streaming+replaced:" + logicalName, () -> EngineConfig.load("dev")
                .with("streaming", Map.of("enabled", true, "timeoutMs", STREAM_TIMEOUT_MS)),
                new AwsMocks(Set.of(logicalName)));
    }

    // ---- cost allocation and guardrails ------------------------------------------------------------

    /** An existing guardrail the prod variant's standard plan names. */
    public static final String EXISTING_GUARDRAIL_ID = "abcd1234efgh";

    /**
     * prod with cost allocation on premium (and the operator's tags), a declared guardrail on premium and
     * an existing one on standard.
     */
    public static EngineConfig prodWithChargebackConfig() {
        return EngineConfig.load("prod")
                .with("plans.premium.costAllocation", Map.of("enabled", true,
                        "tags", Map.of("team", "acme", "cost-center", "cc-42")))
                .with("plans.premium.guardrail", Map.of(
                        "blockedInputMessage", "Blocked by the premium policy.",
                        "contentFilters", Map.of("HATE", Map.of("input", "HIGH", "output", "MEDIUM"),
                                "PROMPT_ATTACK", Map.of("input", "HIGH", "output", "NONE")),
                        "deniedTopics", List.of(Map.of("name", "Investment advice",
                                "definition", "Recommendations on which stocks or funds to buy",
                                "examples", List.of("Which stock should I buy?"))),
                        "words", List.of("project-x"),
                        "managedWordLists", List.of("PROFANITY"),
                        "pii", Map.of("EMAIL", "ANONYMIZE", "US_SOCIAL_SECURITY_NUMBER", "BLOCK")))
                .with("plans.standard.guardrail", Map.of("id", EXISTING_GUARDRAIL_ID, "version", "3"));
    }

    public static StackRun prodWithChargeback() {
        return cached("prod+chargeback", StackRuns::prodWithChargebackConfig);
    }

    /** {@link #prodWithChargeback()} after the premium guardrail's version was replaced. */
    public static StackRun prodWithChargebackAfterReplacing(String logicalName) {
        return cached("prod+chargeback+replaced:" + logicalName, StackRuns::prodWithChargebackConfig,
                new AwsMocks(Set.of(logicalName)));
    }

    private static StackRun cached(String key, Supplier<EngineConfig> config) {
        return cached(key, config, new AwsMocks());
    }

    private static synchronized StackRun cached(String key, Supplier<EngineConfig> config, AwsMocks mocks) {
        return RUNS.computeIfAbsent(key, k -> StackRun.of(config.get(), mocks).throwOnError());
    }
}
