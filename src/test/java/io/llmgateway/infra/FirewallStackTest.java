package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.IP_SET;
import static io.llmgateway.infra.testing.AwsTypes.LOG_GROUP;
import static io.llmgateway.infra.testing.AwsTypes.STAGE;
import static io.llmgateway.infra.testing.AwsTypes.WEB_ACL;
import static io.llmgateway.infra.testing.AwsTypes.WEB_ACL_ASSOCIATION;
import static io.llmgateway.infra.testing.AwsTypes.WEB_ACL_LOGGING;
import static io.llmgateway.testing.JsonPath.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.infra.testing.AwsMocks.Registered;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config waf: the web ACL's rules, its IP sets, its association with the stage, its logs. */
class FirewallStackTest {

    private static Registered acl(StackRun run) {
        return run.one(WEB_ACL, "waf-acl");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules(StackRun run) {
        return (List<Map<String, Object>>) acl(run).inputs().get("rules");
    }

    private static Map<String, Object> rule(StackRun run, String name) {
        return rules(run).stream().filter(r -> name.equals(r.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no rule " + name));
    }

    private static String setArn(StackRun run, String name) {
        return (String) run.one(IP_SET, name).state().get("arn");
    }

    @Test
    void aRegionalAclThatAllowsWhatNoRuleBlocks_inTheDocumentedOrder() {
        StackRun run = StackRuns.devWithFirewall();
        assertThat(acl(run).inputs()).containsEntry("scope", "REGIONAL")
                .containsEntry("defaultAction", Map.of("allow", Map.of()))
                .containsEntry("name", "llm-gateway-dev");
        assertThat(rules(run)).extracting(r -> r.get("name")).containsExactly("deny-list", "allow-list", "rate-per-ip",
                "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet");
        assertThat(rules(run)).extracting(r -> r.get("priority")).containsExactly(0.0, 1.0, 2.0, 3.0, 4.0);
        assertThat(rules(run)).allSatisfy(r -> assertThat(r.get("visibilityConfig")).isEqualTo(Map.of(
                "metricName", r.get("name"), "cloudwatchMetricsEnabled", true, "sampledRequestsEnabled", true)));
    }

    @Test
    void theCommonRuleSetOnlyCountsOversizedBodies() {
        Map<String, Object> common = rule(StackRuns.devWithFirewall(), "AWSManagedRulesCommonRuleSet");
        assertThat(at(common, "statement", "managedRuleGroupStatement", "vendorName").toString()).isEqualTo("AWS");
        List<Map<String, Object>> overrides = at(common, "statement", "managedRuleGroupStatement", "ruleActionOverrides");
        assertThat(overrides).contains(Map.of("name", "SizeRestrictions_BODY", "actionToUse", Map.of("count", Map.of())));
        assertThat(overrides).extracting(o -> o.get("name")).containsExactly("SizeRestrictions_BODY", "CrossSiteScripting_BODY");
        assertThat(common.get("overrideAction")).isEqualTo(Map.of("none", Map.of()));
        Map<String, Object> badInputs = rule(StackRuns.devWithFirewall(), "AWSManagedRulesKnownBadInputsRuleSet");
        Map<String, Object> statement = at(badInputs, "statement", "managedRuleGroupStatement");
        assertThat(statement).doesNotContainKey("ruleActionOverrides");
    }

    @Test
    void deniedAddressesAndAddressesOutsideTheAllowListGetAnOpenAi403() {
        StackRun run = StackRuns.devWithFirewall();
        assertThat(run.one(IP_SET, "waf-deny-ipv4").inputs()).containsEntry("addresses", List.of("203.0.113.66/32"))
                .containsEntry("ipAddressVersion", "IPV4").containsEntry("scope", "REGIONAL");
        assertThat(run.one(IP_SET, "waf-allow-ipv4").inputs()).containsEntry("addresses", List.of("203.0.113.0/24",
                "198.51.100.0/24")).containsEntry("ipAddressVersion", "IPV4");
        assertThat(run.one(IP_SET, "waf-allow-ipv6").inputs()).containsEntry("addresses", List.of("2001:db8::/32"))
                .containsEntry("ipAddressVersion", "IPV6");
        assertThat(run.ofType(IP_SET)).hasSize(3);

        Map<String, Object> deny = rule(run, "deny-list");
        assertThat(at(deny, "statement").toString()).isEqualTo(Map.of("ipSetReferenceStatement",
                Map.of("arn", setArn(run, "waf-deny-ipv4"))).toString());
        Map<String, Object> allow = rule(run, "allow-list");
        Object allowStatement = at(allow, "statement");
        assertThat(allowStatement).isEqualTo(Map.of("notStatement", Map.of("statements", List.of(
                Map.of("orStatement", Map.of("statements", List.of(
                        Map.of("ipSetReferenceStatement", Map.of("arn", setArn(run, "waf-allow-ipv4"))),
                        Map.of("ipSetReferenceStatement", Map.of("arn", setArn(run, "waf-allow-ipv6"))))))))));
        for (Map<String, Object> rule : List.of(deny, allow)) {
            assertThat(at(rule, "action", "block", "customResponse", "responseCode").toString()).isEqualTo("403.0");
            assertThat(at(rule, "action", "block", "customResponse", "customResponseBodyKey").toString()).isEqualTo("blocked");
        }
        assertThat(body(run, "blocked")).isEqualTo(OpenAiError.firewallBlocked().toBody());
    }

    @Test
    void aFloodFromOneAddressGetsAnOpenAi429WithRetryAfter() throws Exception {
        StackRun run = StackRuns.devWithFirewall();
        Map<String, Object> rate = rule(run, "rate-per-ip");
        Object rateStatement = at(rate, "statement", "rateBasedStatement");
        // 500 per five minutes, counted over the configured 60 s window: 100 per window.
        assertThat(rateStatement).isEqualTo(Map.of(
                "limit", 100.0, "aggregateKeyType", "IP", "evaluationWindowSec", 60.0));
        assertThat(at(rate, "action", "block", "customResponse", "responseCode").toString()).isEqualTo("429.0");
        List<Map<String, Object>> headers = at(rate, "action", "block", "customResponse", "responseHeaders");
        assertThat(headers).contains(Map.of("name", "Retry-After", "value", "30"));
        assertThat(body(run, "rate-limited")).isEqualTo(OpenAiError.firewallRateLimited().toBody());
        assertThat(OpenAiError.firewallRateLimited().status()).isEqualTo(429);
    }

    @Test
    void theFirewallsOwnAnswersCarryTheStaticCorsHeaders() {
        List<Map<String, Object>> headers = at(rule(StackRuns.devWithFirewall(), "deny-list"),
                "action", "block", "customResponse", "responseHeaders");
        assertThat(headers).contains(Map.of("name", "Access-Control-Allow-Origin", "value", StackRuns.APP_ORIGIN));
        Map<String, Object> plain = rule(StackRuns.devWithPlainFirewall(), "rate-per-ip");
        List<Map<String, Object>> plainHeaders = at(plain, "action", "block", "customResponse", "responseHeaders");
        assertThat(plainHeaders).containsExactly(Map.of("name", "Retry-After", "value", "30"));
    }

    @Test
    void withDefaultsOnlyTheRateRuleWith2000PerFiveMinutes() {
        StackRun run = StackRuns.devWithPlainFirewall();
        assertThat(rules(run)).extracting(r -> r.get("name")).containsExactly("rate-per-ip");
        assertThat(at(rule(run, "rate-per-ip"), "statement", "rateBasedStatement", "limit").toString()).isEqualTo("2000.0");
        assertThat(run.ofType(IP_SET)).isEmpty();
        assertThat(run.ofType(WEB_ACL_LOGGING)).isEmpty();
        assertThat(run.outputs()).containsKey("webAclArn").doesNotContainKey("wafLogGroupName");
    }

    @Test
    void theAclIsAssociatedWithTheStageByTheStagesArn() {
        StackRun run = StackRuns.devWithFirewall();
        Registered association = run.one(WEB_ACL_ASSOCIATION, "waf-association");
        String stageArn = (String) run.one(STAGE, "api-stage").state().get("arn");
        assertThat(association.inputs()).containsEntry("resourceArn", stageArn)
                .containsEntry("webAclArn", acl(run).state().get("arn"));
        assertThat(stageArn).isEqualTo("arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/dev");
        assertThat(run.request(WEB_ACL_ASSOCIATION, "waf-association").dependencies())
                .contains(run.request(STAGE, "api-stage").urn());
        assertThat(run.outputValue("webAclArn")).isEqualTo(acl(run).state().get("arn"));
    }

    @Test
    void logsGoToAnAwsWafLogsGroupWithTheStacksRetention_withoutKeys() {
        StackRun run = StackRuns.devWithFirewall();
        Registered group = run.one(LOG_GROUP, "waf-logs");
        assertThat(group.inputs()).containsEntry("namePrefix", "aws-waf-logs-llm-gateway-dev-")
                .containsEntry("retentionInDays", (double) run.config().logging().retentionDays());
        assertThat(run.one(WEB_ACL_LOGGING, "waf-logging").inputs())
                .containsEntry("resourceArn", acl(run).state().get("arn"))
                .containsEntry("logDestinationConfigs", List.of(group.state().get("arn")))
                .containsEntry("redactedFields", List.of(Map.of("singleHeader", Map.of("name", "authorization")),
                        Map.of("singleHeader", Map.of("name", "x-api-key"))));
        assertThat(run.outputValue("wafLogGroupName")).isEqualTo(group.state().get("name"));
    }

    @Test
    void theFirewallNeverRedeploysTheApi() {
        assertThat(StackRuns.devWithPlainFirewall().one(DEPLOYMENT, "api-deployment").inputs().get("triggers"))
                .isEqualTo(StackRuns.dev().one(DEPLOYMENT, "api-deployment").inputs().get("triggers"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(StackRun run, String key) {
        List<Map<String, Object>> bodies = (List<Map<String, Object>>) acl(run).inputs().get("customResponseBodies");
        Map<String, Object> body = bodies.stream().filter(b -> key.equals(b.get("key"))).findFirst().orElseThrow();
        assertThat(body.get("contentType")).isEqualTo("APPLICATION_JSON");
        try {
            return Json.readObject((String) body.get("content"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
