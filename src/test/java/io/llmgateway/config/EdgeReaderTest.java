package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.contract.Cors;
import io.llmgateway.contract.Route;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** customDomain, waf, cors and privateApi: each option's rules, and the rules between them. */
class EdgeReaderTest {

    static final String CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    static final StackRegion US_EAST_1 = new StackRegion("us-east-1", "aws:region");

    private static Map<String, Object> domain(Object... more) {
        Map<String, Object> domain = map("domainName", "llm.example.com", "certificateArn", CERTIFICATE);
        for (int i = 0; i < more.length; i += 2) {
            domain.put((String) more[i], more[i + 1]);
        }
        return set(valid(), "customDomain", domain);
    }

    private static ConfigLoader.Result load(Map<String, Object> config) {
        return ConfigLoader.load(config, Secrets.withoutStackFile(Set.of(), "test"), Optional.of(US_EAST_1));
    }

    private static List<String> problems(Map<String, Object> config) {
        return Configs.problems(config, Secrets.withoutStackFile(Set.of(), "test"), Optional.of(US_EAST_1));
    }

    @Test
    void withoutTheKeysEverythingIsOff() {
        Edge edge = load(valid()).config().edge();
        assertThat(edge).isEqualTo(Edge.NONE);
        assertThat(load(valid()).config().backendSettings().toEnvironment()).doesNotContainKey("LLM_GATEWAY_CORS_ORIGINS");
    }

    // ---- customDomain ----------------------------------------------------------------------

    @Test
    void aCustomDomainLoads() {
        CustomDomain domain = load(domain("basePath", "team/llm", "hostedZoneId", "Z0123456789ABCDEFGHIJ",
                "disableExecuteApiEndpoint", "true")).config().edge().customDomain().orElseThrow();
        assertThat(domain).isEqualTo(new CustomDomain("llm.example.com", CERTIFICATE, "team/llm",
                Optional.of("Z0123456789ABCDEFGHIJ"), true));
        assertThat(domain.url()).isEqualTo("https://llm.example.com/team/llm");
        CustomDomain plain = load(domain()).config().edge().customDomain().orElseThrow();
        assertThat(plain.url()).isEqualTo("https://llm.example.com");
        assertThat(plain.disableExecuteApiEndpoint()).isFalse();
        assertThat(plain.hostedZoneId()).isEmpty();
    }

    @Test
    void aCertificateFromAnotherRegionIsRefusedWithTheRegionToUse() {
        assertThat(problems(domain("certificateArn", CERTIFICATE.replace("us-east-1", "eu-west-1")))).containsExactly(
                "customDomain.certificateArn: the certificate is in 'eu-west-1', but the stack deploys to us-east-1 "
                        + "(aws:region): a REGIONAL custom domain needs an ACM certificate in the API's own Region. "
                        + "Request or import one for the domain in us-east-1 (aws acm request-certificate --region "
                        + "us-east-1 ...) and use its ARN");
    }

    @Test
    void withoutAKnownRegionTheCertificateRegionIsAWarning() {
        ConfigLoader.Result result = ConfigLoader.load(domain("certificateArn", CERTIFICATE.replace("us-east-1", "eu-west-1")),
                Secrets.withoutStackFile(Set.of(), "test"), Optional.empty());
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).startsWith("customDomain.certificateArn: the stack's "
                + "Region is not known here"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:iam::123456789012:server-certificate/x", "not-an-arn",
            "arn:aws:acm:us-east-1:12345:certificate/abc"})
    void somethingElseThanAnAcmCertificateArnIsRefused(String arn) {
        assertThat(problems(domain("certificateArn", arn))).singleElement().asString()
                .startsWith("customDomain.certificateArn: '" + arn + "' is not an ACM certificate ARN");
    }

    @Test
    void malformedDomainNamesAreRefusedWithWhatToWrite() {
        assertThat(problems(domain("domainName", "LLM.Example.com"))).containsExactly("customDomain.domainName: "
                + "'LLM.Example.com' has upper-case letters; DNS names are case-insensitive and API Gateway keeps them "
                + "in lower case: write 'llm.example.com'");
        assertThat(problems(domain("domainName", "https://llm.example.com/v1"))).singleElement().asString()
                .contains("is not a host name: give the name alone");
        assertThat(problems(domain("domainName", "llm.example.com."))).singleElement().asString().contains("ends with a dot");
        assertThat(problems(domain("domainName", "*.example.com"))).singleElement().asString().contains("wildcard");
        for (String bad : List.of("localhost", "llm..example.com", "-llm.example.com", "llm_gw.example.com",
                "10.0.0.1", "a".repeat(64) + ".example.com")) {
            assertThat(problems(domain("domainName", bad))).as(bad).singleElement().asString()
                    .contains("is not a domain name");
        }
        assertThat(problems(domain("domainName", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com")))
                .singleElement().asString().contains("is an AWS endpoint name");
    }

    @Test
    void aBasePathStartingWithARouteSegmentIsRefusedAndWhy() {
        assertThat(problems(domain("basePath", "v1"))).containsExactly("customDomain.basePath: 'v1' starts with 'v1', "
                + "the first segment of the API's routes (" + Route.summary() + "): clients would "
                + "call https://<domain>/v1/v1/..., and the domain's /v1/... would mean the base path, not the API's. "
                + "Use another base path (e.g. llm), or none to serve the API at the domain's root");
        assertThat(problems(domain("basePath", "v1/chat"))).singleElement().asString().contains("starts with 'v1'");
        assertThat(load(domain("basePath", "llm/v1")).config().edge().customDomain().orElseThrow().basePath())
                .as("only a first segment can shadow a route").isEqualTo("llm/v1");
        assertThat(load(domain("basePath", "")).config().edge().customDomain().orElseThrow().basePath()).isEmpty();
    }

    @Test
    void malformedBasePathsAndZoneIdsAreRefused() {
        assertThat(problems(domain("basePath", "/llm"))).singleElement().asString().contains("starts or ends with '/'");
        assertThat(problems(domain("basePath", "llm gw"))).singleElement().asString().contains("is not a base path");
        assertThat(problems(domain("basePath", "a//b"))).singleElement().asString().contains("is not a base path");
        assertThat(problems(domain("hostedZoneId", "/hostedzone/Z123"))).containsExactly("customDomain.hostedZoneId: "
                + "'/hostedzone/Z123' includes the '/hostedzone/' prefix; give the id alone ('Z123')");
        assertThat(problems(domain("hostedZoneId", "z-123"))).singleElement().asString()
                .contains("is not a Route 53 hosted zone id");
    }

    @Test
    void requiredKeysAndUnknownKeys() {
        assertThat(problems(set(valid(), "customDomain", map("domainName", "llm.example.com")))).containsExactly(
                "customDomain.certificateArn: required: an ACM certificate for the domain in the stack's Region, "
                        + "arn:aws:acm:<region>:<account>:certificate/<id>");
        assertThat(problems(domain("hostedZone", "Z1"))).singleElement().asString()
                .startsWith("customDomain.hostedZone: unknown key (did you mean 'hostedZoneId'?)");
        assertThat(problems(domain("disableExecuteApiEndpoint", "yes"))).singleElement().asString()
                .startsWith("customDomain.disableExecuteApiEndpoint: must be true or false");
    }

    // ---- waf ---------------------------------------------------------------------------------

    @Test
    void aFirewallLoadsWithItsDefaults() {
        WebFirewall waf = load(set(valid(), "waf", map("logging", "true"))).config().edge().firewall().orElseThrow();
        assertThat(waf.rateLimitPer5Minutes()).isEqualTo(2000);
        assertThat(waf.rateWindowSeconds()).isEqualTo(300);
        assertThat(waf.ruleLimit()).isEqualTo(2000);
        assertThat(waf.allowCidrs()).isEmpty();
        assertThat(waf.denyCidrs()).isEmpty();
        assertThat(waf.managedRuleGroups()).isEmpty();
        assertThat(waf.logging()).isTrue();
    }

    @Test
    void theCommonRuleSetAlwaysCountsItsBodySizeRule() throws Exception {
        WebFirewall waf = load(set(valid(), "waf", map("rateLimitPer5Minutes", 500,
                "allowCidrs", List.of("203.0.113.0/24", "2001:db8::/32"),
                "denyCidrs", List.of("198.51.100.7/32"),
                "managedRuleGroups", List.of("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"),
                "countRules", map("AWSManagedRulesCommonRuleSet", List.of("CrossSiteScripting_BODY")))))
                .config().edge().firewall().orElseThrow();
        assertThat(waf.rateLimitPer5Minutes()).isEqualTo(500);
        assertThat(waf.allowCidrs()).containsExactly(Cidr.parse("203.0.113.0/24"), Cidr.parse("2001:db8::/32"));
        assertThat(waf.denyCidrs()).containsExactly(Cidr.parse("198.51.100.7/32"));
        assertThat(waf.rulesToCount("AWSManagedRulesCommonRuleSet"))
                .containsExactly("SizeRestrictions_BODY", "CrossSiteScripting_BODY");
        assertThat(waf.rulesToCount("AWSManagedRulesKnownBadInputsRuleSet")).isEmpty();
    }

    /**
     * AWS WAF counts over 60, 120, 300 or 600 s (RateBasedStatement EvaluationWindowSec); the rate
     * stays stated per five minutes, and the rule's limit is that rate over the window.
     */
    @Test
    void theRateWindowIsOneOfWafsFour_andTheRuleLimitIsTheRateOverIt() {
        WebFirewall waf = load(set(valid(), "waf", map("rateLimitPer5Minutes", 500, "rateWindowSeconds", 60)))
                .config().edge().firewall().orElseThrow();
        assertThat(waf.rateWindowSeconds()).isEqualTo(60);
        assertThat(waf.ruleLimit()).isEqualTo(100);

        assertThat(problems(set(valid(), "waf", map("rateWindowSeconds", 90)))).containsExactly(
                "waf.rateWindowSeconds: 90 is not allowed; AWS WAF counts over 60, 120, 300 or 600 seconds");
        assertThat(problems(set(valid(), "waf", map("rateLimitPer5Minutes", 20, "rateWindowSeconds", 60)))).containsExactly(
                "waf.rateLimitPer5Minutes: 20 over the 60 s window (rateWindowSeconds) is a limit of 4 requests, "
                        + "under AWS WAF's minimum of 10 per window; raise it to at least 50 or count over a longer window");
    }

    @Test
    void firewallMistakesAreNamedByTheirPath() {
        assertThat(problems(set(valid(), "waf", map("rateLimitPer5Minutes", 5)))).containsExactly(
                "waf.rateLimitPer5Minutes: 5 is out of range; allowed: 10-2000000000 requests per IP address in five minutes");
        assertThat(problems(set(valid(), "waf", map("allowCidrs", List.of("203.0.113.7/24", "0.0.0.0/0")))))
                .containsExactly(
                        "waf.allowCidrs[0]: '203.0.113.7/24' has host bits set; the range starts at 203.0.113.0/24, write that",
                        "waf.allowCidrs[1]: '0.0.0.0/0' /0 is every address, which AWS WAF does not accept in an IP set; "
                                + "to let every address through, leave the list out");
        assertThat(problems(set(valid(), "waf", map("denyCidrs", "203.0.113.0/24")))).singleElement().asString()
                .startsWith("waf.denyCidrs: must be a list, got '203.0.113.0/24'");
        assertThat(problems(set(valid(), "waf", map("denyCidrs", List.of("203.0.113.0/24", "203.0.113.0/24")))))
                .containsExactly("waf.denyCidrs[1]: '203.0.113.0/24' is listed twice");
        assertThat(problems(set(valid(), "waf", map("managedRuleGroups", List.of("AWSManagedRulesCommonRuleSetx")))))
                .singleElement().asString().startsWith("waf.managedRuleGroups[0]: 'AWSManagedRulesCommonRuleSetx' is not "
                        + "an AWS managed rule group this stack supports (did you mean 'AWSManagedRulesCommonRuleSet'?)");
        assertThat(problems(set(valid(), "waf", map("managedRuleGroups", List.of("AWSManagedRulesBotControlRuleSet")))))
                .singleElement().asString().contains("needs a managed rule group configuration");
        assertThat(problems(set(valid(), "waf", map("countRules", map("AWSManagedRulesSQLiRuleSet", List.of("x"))))))
                .singleElement().asString().startsWith("waf.countRules.AWSManagedRulesSQLiRuleSet: names a rule group "
                        + "that managedRuleGroups does not list");
        assertThat(problems(set(valid(), "waf", map("rateLimit", 100)))).singleElement().asString()
                .isEqualTo("waf.rateLimit: unknown key; valid keys here: rateLimitPer5Minutes, rateWindowSeconds, allowCidrs, denyCidrs, "
                        + "managedRuleGroups, countRules, logging");
    }

    @Test
    void aRangeInBothListsIsBlocked_andSaysSo() {
        ConfigLoader.Result result = load(set(valid(), "waf", map("allowCidrs", List.of("203.0.113.0/24"),
                "denyCidrs", List.of("203.0.113.0/24"))));
        assertThat(result.warnings()).contains("waf.allowCidrs: 203.0.113.0/24 is in both lists; the deny list is "
                + "checked first, so it is blocked");
    }

    // ---- cors --------------------------------------------------------------------------------

    @Test
    void allowedOriginsLoadAndReachTheBackendAndTheGatewayResponses() {
        StackConfig config = load(set(valid(), "cors", map("allowedOrigins",
                List.of("https://app.example.com", "http://localhost:3000", "http://[::1]:8080")))).config();
        assertThat(config.edge().cors()).isEqualTo(new Cors(List.of("https://app.example.com", "http://localhost:3000",
                "http://[::1]:8080")));
        assertThat(config.backendSettings().corsOrigins()).isEqualTo(config.edge().cors().allowedOrigins());
        assertThat(config.backendSettings().toEnvironment()).containsEntry("LLM_GATEWAY_CORS_ORIGINS",
                "[\"https://app.example.com\",\"http://localhost:3000\",\"http://[::1]:8080\"]");
        assertThat(config.gatewayResponses()).allSatisfy(r -> assertThat(r.echoes())
                .containsEntry(Cors.ALLOW_ORIGIN, Cors.ORIGIN));
    }

    @Test
    void anOriginMustBeWhatABrowserSends() {
        assertThat(problems(set(valid(), "cors", map("allowedOrigins", List.of("https://app.example.com/")))))
                .containsExactly("cors.allowedOrigins[0]: 'https://app.example.com/' is not an origin: scheme://host[:port], "
                        + "with http or https and no path, e.g. https://app.example.com or http://localhost:3000; "
                        + "without the path: 'https://app.example.com'");
        assertThat(problems(set(valid(), "cors", map("allowedOrigins", List.of("https://App.example.com")))))
                .singleElement().asString().contains("write 'https://app.example.com'");
        assertThat(problems(set(valid(), "cors", map("allowedOrigins", List.of("https://app.example.com:443")))))
                .singleElement().asString().contains("names the scheme's default port");
        for (String bad : List.of("app.example.com", "ftp://app.example.com", "https://app_1.example.com",
                "https://app.example.com:70000", "chrome-extension://abc")) {
            assertThat(problems(set(valid(), "cors", map("allowedOrigins", List.of(bad))))).as(bad).hasSize(1);
        }
        assertThat(problems(set(valid(), "cors", map("allowedOrigins", List.of())))).containsExactly(
                "cors.allowedOrigins: is empty; list at least one origin, or remove cors to allow none");
    }

    @Test
    void anyOriginStandsAloneAndWarns() {
        assertThat(problems(set(valid(), "cors", map("allowedOrigins", List.of("*", "https://app.example.com")))))
                .containsExactly("cors.allowedOrigins: '*' allows every origin; list it alone, or list origins without it");
        ConfigLoader.Result any = load(set(valid(), "cors", map("allowedOrigins", List.of("*"))));
        assertThat(any.config().edge().cors().anyOrigin()).isTrue();
        assertThat(any.warnings()).anySatisfy(w -> assertThat(w).startsWith("cors.allowedOrigins: '*' lets a page of "
                + "any website call the API"));
    }

    @Test
    void theOriginsMustFitTheBackendsEnvironment() {
        List<String> many = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> "https://team-" + i + ".apps.example.com").toList();
        assertThat(problems(set(valid(), "cors", map("allowedOrigins", many)))).singleElement().asString()
                .startsWith("cors.allowedOrigins: the origins take ").endsWith("bytes, above the 512 bytes the backend's "
                        + "4 KB Lambda environment leaves for them; list fewer");
    }

    // ---- privateApi --------------------------------------------------------------------------

    @Test
    void aPrivateApiLoadsAndSaysWhatClientsNeed() {
        ConfigLoader.Result result = load(set(valid(), "privateApi", map("vpcEndpointIds",
                List.of("vpce-0123456789abcdef0", "vpce-1a2b3c4d"))));
        assertThat(result.config().edge().privateApi().orElseThrow().vpcEndpointIds())
                .containsExactly("vpce-0123456789abcdef0", "vpce-1a2b3c4d");
        assertThat(result.warnings()).anySatisfy(w -> assertThat(w).startsWith("privateApi: the API is PRIVATE: only "
                + "requests through vpce-0123456789abcdef0, vpce-1a2b3c4d reach it").contains("privateBaseUrls",
                "x-apigw-api-id"));
    }

    @Test
    void vpcEndpointIdsAreChecked() {
        assertThat(problems(set(valid(), "privateApi", map("vpcEndpointIds", List.of("vpc-0123456789abcdef0")))))
                .singleElement().asString().startsWith("privateApi.vpcEndpointIds[0]: 'vpc-0123456789abcdef0' is not "
                        + "a VPC endpoint id");
        assertThat(problems(set(valid(), "privateApi", map()))).containsExactly("privateApi.vpcEndpointIds: required: "
                + "the interface VPC endpoints for execute-api that may reach the API, e.g. [\"vpce-0123456789abcdef0\"]");
    }

    @Test
    void aPrivateApiCannotHaveTheRegionalCustomDomain_butMayHaveAFirewallAndCors() {
        Map<String, Object> both = set(domain(), "privateApi", map("vpcEndpointIds", List.of("vpce-0123456789abcdef0")));
        assertThat(problems(both)).containsExactly("customDomain, privateApi: a private API cannot have this custom "
                + "domain: a REGIONAL domain name maps public (Regional) APIs only. Remove customDomain (clients in the "
                + "VPC use the privateBaseUrls output or the VPC endpoint's private DNS), or remove privateApi");
        Map<String, Object> allowed = set(set(set(valid(), "privateApi", map("vpcEndpointIds",
                List.of("vpce-0123456789abcdef0"))), "waf", map("allowCidrs", List.of("10.0.0.0/8"))),
                "cors", map("allowedOrigins", List.of("https://intranet.example.com")));
        Edge edge = load(allowed).config().edge();
        assertThat(edge.privateApi()).isPresent();
        assertThat(edge.firewall()).isPresent();
        assertThat(edge.cors().enabled()).isTrue();
    }

    @Test
    void aSecretValueIsNeverShown() {
        Map<String, Object> config = domain("hostedZoneId", "/hostedzone/ZSECRET123");
        List<String> problems = Configs.problems(config, Secrets.withoutStackFile(Set.of("customDomain"), "test"),
                Optional.of(US_EAST_1));
        assertThat(problems).singleElement().asString().doesNotContain("ZSECRET123").contains("[secret]");
    }
}
