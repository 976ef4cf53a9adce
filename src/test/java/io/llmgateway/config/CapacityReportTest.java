package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The capacity report's arithmetic and warnings, on configs crafted for each line. */
class CapacityReportTest {

    /**
     * Plan a: 10 rps, burst 20, 500 a DAY; plan b: 2.5 rps, burst 5, chat held to 1 rps burst 2, 7,000 a
     * WEEK. Three keys on a (one more disabled), two on b.
     */
    private static Map<String, Object> crafted() {
        Map<String, Object> config = valid();
        config.put("models", map("nova", "amazon.nova-micro-v1:0", "haiku", "anthropic.claude-3-haiku-20240307-v1:0"));
        config.put("plans", map(
                "a", map("throttle", map("rateLimit", 10, "burstLimit", 20),
                        "quota", map("limit", 500, "period", "DAY")),
                "b", map("throttle", map("rateLimit", 2.5, "burstLimit", 5),
                        "quota", map("limit", 7000, "period", "WEEK"),
                        "methodThrottles", map("/v1/chat/completions/POST", map("rateLimit", 1, "burstLimit", 2)))));
        config.put("clients", map(
                "a1", map("plan", "a"), "a2", map("plan", "a"), "a3", map("plan", "a"),
                "a4", map("plan", "a", "enabled", false),
                "b1", map("plan", "b"), "b2", map("plan", "b")));
        config.put("maxTokensCeiling", 1000);
        config.put("maxTokensDefault", 100);
        return config;
    }

    private static CapacityReport report(Map<String, Object> config) {
        return ConfigLoader.load(config, Set.of()).capacity();
    }

    @Test
    void requests_sumEveryEnabledKeyAtItsPlanRate_andChatAtItsMethodThrottle() {
        CapacityReport.Figures f = report(crafted()).figures();

        assertThat(f.keys()).isEqualTo(5);
        assertThat(f.requestsPerSecond()).isEqualTo(3 * 10 + 2 * 2.5);
        assertThat(f.burst()).isEqualTo(3 * 20 + 2 * 5);
        assertThat(f.chatRequestsPerSecond()).isEqualTo(3 * 10 + 2 * 1);
        assertThat(f.chatBurst()).isEqualTo(3 * 20 + 2 * 2);
        assertThat(report(crafted()).warnings()).isEmpty();
        assertThat(report(crafted()).lines().get(0).text()).isEqualTo("Requests: 5 enabled keys can send 35 rps "
                + "(bursts of 70), 32 rps (bursts of 64) to POST /v1/chat/completions; the stage allows 100 rps "
                + "(burst 200) per method, the account 10,000 rps (burst 5,000) per Region.");
    }

    @Test
    void anAliasWithAutomaticPromptCaching_saysItsTokenFigureCountsCacheReadsBedrocksQuotaLeavesOut() {
        Map<String, Object> config = crafted();
        config.put("models", map("nova", map("id", "amazon.nova-micro-v1:0", "promptCache", "5m"),
                "haiku", "anthropic.claude-3-haiku-20240307-v1:0"));

        assertThat(report(config).lines()).extracting(CapacityReport.Line::text).containsOnlyOnce(
                "Prompt caching, nova: automatic cache points (5m); cache reads count in the figure above and in "
                        + "tokens.perMinute but not against Bedrock's quota, so the figure is an upper bound of what "
                        + "Bedrock counts.");
        assertThat(report(crafted()).lines()).noneMatch(l -> l.text().startsWith("Prompt caching"));
        assertThat(report(config).figures()).isEqualTo(report(crafted()).figures());
    }

    @Test
    void aStageBelowWhatTheKeysCanSend_isAWarningNamingBothFiguresAndTheKeys() {
        CapacityReport report = report(set(set(crafted(), "stageRateLimit", 20), "stageBurstLimit", 50));

        assertThat(report.warnings()).containsExactly(
                "capacity: the keys can send 32 rps to POST /v1/chat/completions, above stageRateLimit 20: at full use "
                        + "the stage throttles every client (429 THROTTLED). Raise stageRateLimit to 32, or lower "
                        + "plans.a.throttle.rateLimit.",
                "capacity: the keys' buckets hold 64 chat requests at once, above stageBurstLimit 50: a burst from "
                        + "every key at once is throttled (429 THROTTLED). Raise stageBurstLimit or lower "
                        + "plans.a.throttle.burstLimit.");
        assertThat(report.figures().servedChatRequestsPerSecond()).isEqualTo(20);
    }

    @Test
    void theAccountRate_isConfigurable_forAccountsWithRaisedQuotas() {
        Map<String, Object> config = set(crafted(), "capacity", map("accountRateLimit", 30));
        assertThat(report(config).warnings()).singleElement().asString().startsWith(
                "capacity: the keys can send 35 rps, above the account's 30 rps per Region").endsWith(
                "Lower plans.a.throttle.rateLimit, or ask AWS to raise the account's API Gateway throttle and set "
                        + "capacity.accountRateLimit.");
        assertThat(report(set(crafted(), "capacity", map("accountRateLimit", 35))).warnings()).isEmpty();
    }

    @Test
    void concurrency_isTheChatRateThatGetsThroughTimesTheExpectedLatency() {
        // 32 chat rps, capped at stageRateLimit 25, at 2,000 ms: 50 executions.
        Map<String, Object> config = set(set(crafted(), "stageRateLimit", 25), "capacity", map("modelLatencyMs", 2000));
        CapacityReport.Figures f = report(config).figures();
        assertThat(f.servedChatRequestsPerSecond()).isEqualTo(25);
        assertThat(f.concurrency()).isEqualTo(50);
        assertThat(f.concurrencyLimit()).isEqualTo(1000);

        CapacityReport reserved = report(set(config, "reservedConcurrency", 40));
        assertThat(reserved.figures().concurrencyLimit()).isEqualTo(40);
        assertThat(reserved.warnings()).contains("capacity: the backend needs about 50 concurrent executions, above "
                + "reservedConcurrency 40: requests beyond it are throttled. Raise reservedConcurrency to at least 50, "
                + "or lower plans.a.throttle.rateLimit (if chat requests take less than 2,000 ms, state it in "
                + "capacity.modelLatencyMs).");
    }

    @Test
    void withStreaming_theReportSaysWhatLongStreamsHold_andTheFiguresStay() {
        Map<String, Object> config = set(set(crafted(), "stageRateLimit", 25), "capacity", map("modelLatencyMs", 2000));
        CapacityReport buffered = report(set(config, "streaming", map("enabled", false)));
        CapacityReport streaming = report(set(config, "streaming", map("enabled", true, "timeoutMs", 600_000)));
        assertThat(streaming.figures()).isEqualTo(buffered.figures());
        assertThat(buffered.lines()).noneSatisfy(l -> assertThat(l.text()).startsWith("Streams:"));
        // 25 chat rps get through: 25 more executions per second beyond 2,000 ms, 15,000 at 600 s each.
        assertThat(streaming.lines()).contains(new CapacityReport.Line("Streams: POST /v1/chat/completions, POST /v1/responses stream "
                + "(streaming.enabled); a stream holds its execution for as long as it generates, up to 600,000 ms "
                + "(streaming.timeoutMs), where a buffered answer ends at 29,000 ms (integrationTimeoutMs). The Lambda "
                + "line takes 2,000 ms a request (capacity.modelLatencyMs): each second streams run beyond it holds 25 "
                + "more executions, and streams that all ran to the timeout would hold 15,000.", false));
        assertThat(streaming.warnings()).isEqualTo(buffered.warnings());
    }

    @Test
    void unreservedConcurrency_isCheckedAgainstTheAccounts_andAReservationMustLeaveLambdaItsHundred() {
        Map<String, Object> config = set(crafted(), "capacity", map("accountConcurrency", 120, "modelLatencyMs", 5000));
        // 32 rps x 5 s = 160 executions, above the account's 120.
        assertThat(report(config).warnings()).singleElement().asString().startsWith("capacity: the backend needs "
                + "about 160 concurrent executions, above the account's 120 concurrent executions (unreserved)")
                .contains("Ask AWS for more Lambda concurrency and set capacity.accountConcurrency");

        assertThat(report(set(config, "reservedConcurrency", 50)).warnings()).contains("capacity: reservedConcurrency 50 "
                + "leaves the account fewer than the 100 unreserved executions Lambda requires (account: 120, "
                + "capacity.accountConcurrency), so Lambda refuses it. Set reservedConcurrency to at most 20, or ask "
                + "AWS for more concurrency and set capacity.accountConcurrency.");
    }

    @Test
    void tokensPerMinute_perModel_againstTheQuotaTheOperatorStates() {
        Map<String, Object> config = set(crafted(), "capacity", map("bedrockTokensPerMinute", map("nova", 2_000_000)));
        CapacityReport report = report(config);

        // No plan has tokens.perMinute: 32 chat rps x 60 s x 1,000 output tokens.
        assertThat(report.figures().tokensPerMinute()).containsEntry("nova", 1_920_000.0)
                .containsEntry("haiku", 1_920_000.0);
        assertThat(report.warnings()).isEmpty();
        assertThat(report.text()).contains("Tokens, haiku: up to 1,920,000 tokens per minute (output only at "
                + "max_tokens for plans without tokens.perMinute (a, b), whose input is not bounded); no Bedrock quota "
                + "stated (capacity.bedrockTokensPerMinute.haiku).");

        assertThat(report(set(config, "capacity.bedrockTokensPerMinute.nova", 1_000_000)).warnings()).containsExactly(
                "capacity: the keys can ask nova for 1,920,000 tokens per minute, above its Bedrock quota of 1,000,000 "
                        + "(capacity.bedrockTokensPerMinute.nova): Bedrock throttles first (429). Set "
                        + "plans.a.tokens.perMinute, lower maxTokensCeiling or plans.a.throttle.rateLimit, or ask AWS "
                        + "for a higher quota and set capacity.bedrockTokensPerMinute.nova.");
    }

    @Test
    void tokenLimitsAndAllowLists_boundWhatEachModelCanBeAskedFor() {
        // a: 5,000 tokens a minute per key (input and output); b: nova only, max_tokens 200, no token limit.
        Map<String, Object> config = set(set(set(crafted(), "plans.a.tokens", map("perMinute", 5000)),
                "plans.b.models", List.of("nova")), "plans.b.maxTokens", 200);
        CapacityReport report = report(set(config, "capacity", map("bedrockTokensPerMinute", map("haiku", 14_000))));

        // haiku: only a's 3 keys, 3 x 5,000. nova: that plus b's 2 keys x 1 chat rps x 60 s x 200 output tokens.
        assertThat(report.figures().tokensPerMinute()).containsEntry("haiku", 15_000.0)
                .containsEntry("nova", 15_000.0 + 2 * 60 * 200);
        assertThat(report.text()).contains("Tokens, haiku: up to 15,000 tokens per minute (tokens.perMinute of every "
                + "plan that may use it); Bedrock quota 14,000 tokens per minute.");
        assertThat(report.warnings()).singleElement().asString().contains("Lower plans.<plan>.tokens.perMinute, or ask "
                + "AWS for a higher quota and set capacity.bedrockTokensPerMinute.haiku.");
    }

    @Test
    void anEmbeddingModel_isBoundedOnlyByTokensPerMinute_forItsInputIsNotCapped() {
        Map<String, Object> config = set(crafted(), "models", map("nova", "amazon.nova-micro-v1:0",
                "embed", "amazon.titan-embed-text-v2:0"));
        CapacityReport report = report(set(config, "capacity", map("bedrockTokensPerMinute", map("embed", 300_000))));

        assertThat(report.figures().tokensPerMinute()).containsEntry("embed", Double.POSITIVE_INFINITY);
        assertThat(report.warnings()).containsExactly("capacity: the keys can ask embed for any number of tokens per "
                + "minute (embeddings are input, which only tokens.perMinute bounds), against its Bedrock quota of "
                + "300,000 (capacity.bedrockTokensPerMinute.embed). Set plans.a.tokens.perMinute.");

        // With every plan limited, the figure is theirs: 3 x 1,000 + 2 x 500.
        Map<String, Object> limited = set(set(config, "plans.a.tokens", map("perMinute", 1000)),
                "plans.b.tokens", map("perMinute", 500));
        assertThat(report(limited).figures().tokensPerMinute()).containsEntry("embed", 4000.0);
    }

    @Test
    void daily_isWhatTheQuotasAllowInOneDay_andAKeyWithoutOneCountsAtItsRate() {
        CapacityReport.Figures f = report(crafted()).figures();
        // a: 3 keys x 500 a DAY; b: 2 keys x min(7,000 a WEEK, 2.5 rps x 86,400).
        assertThat(f.requestsPerDay()).isCloseTo(3 * 500 + 2 * 7000, within(1e-9));
        assertThat(f.outputTokensPerDay()).isCloseTo((3 * 500 + 2 * 7000) * 1000.0, within(1e-6));
        assertThat(f.keysWithoutQuota()).isZero();
        assertThat(f.usdPerDay()).isZero();
        assertThat(report(crafted()).text()).contains("no model prices are configured (modelPrices), so no cost.");

        CapacityReport noQuota = report(set(crafted(), "plans.b.quota", null));
        assertThat(noQuota.figures().requestsPerDay()).isCloseTo(3 * 500 + 2 * 2.5 * 86_400, within(1e-9));
        assertThat(noQuota.figures().keysWithoutQuota()).isEqualTo(2);
        assertThat(noQuota.text()).contains("Daily: the quotas allow up to 433,500 requests a day (2 keys without a "
                + "quota, counted at their rate)");
    }

    @Test
    void dailyTokens_stayWithinTokenBudgets_andCostIsPricedAtTheDearestModelAPlanMayUse() {
        Map<String, Object> config = set(set(crafted(), "plans.a.tokens", map("budget", map("limit", 200_000,
                "period", "DAY"))), "modelPrices", map(
                "nova", map("inputPerMillion", 0.035, "outputPerMillion", 0.14),
                "haiku", map("inputPerMillion", 0.8, "outputPerMillion", 4)));
        config = set(config, "plans.b.models", List.of("nova"));
        CapacityReport.Figures f = report(config).figures();

        // a: 500 requests x 1,000 tokens = 500,000, held to the 200,000 budget, per key; b: 7,000 x 1,000.
        double aTokens = 200_000;
        double bTokens = 7_000 * 1_000;
        assertThat(f.outputTokensPerDay()).isCloseTo(3 * aTokens + 2 * bTokens, within(1e-6));
        // a may use haiku ($4 per million output tokens); b only nova ($0.14).
        assertThat(f.usdPerDay()).isCloseTo(3 * aTokens * 4e-6 + 2 * bTokens * 0.14e-6, within(1e-9));

        // A USD budget caps a plan's cost: b at $0.50 a day per key.
        CapacityReport usd = report(set(config, "plans.b.tokens", map("budget", map("limit", 0.5, "period", "DAY",
                "unit", "usd"))));
        assertThat(usd.figures().usdPerDay()).isCloseTo(3 * aTokens * 4e-6 + 2 * 0.5, within(1e-9));
        assertThat(usd.text()).contains("at the dearest output price each plan may use, up to $3.4 a day.");
    }

    /** A plan held to 2,000 tokens a minute was shown 353.9 billion tokens a day before. */
    @Test
    void dailyTokens_stayWithinTokensPerMinute_andWithinWhatAUsdBudgetBuys_eachBoundThatApplies() {
        // a: 500 requests x 1,000 tokens = 500,000 a day per key, but 200 tokens a minute is 288,000.
        CapacityReport.Figures perMinute = report(set(crafted(), "plans.a.tokens", map("perMinute", 200))).figures();
        assertThat(perMinute.outputTokensPerDay()).isCloseTo(3 * 200.0 * 1440 + 2 * 7_000 * 1_000.0, within(1e-6));

        // b may use only nova ($0.14 per million output tokens): $0.50 a day buys 3,571,428.6 tokens of its 7,000,000.
        Map<String, Object> priced = set(set(crafted(), "modelPrices", map(
                "nova", map("inputPerMillion", 0.035, "outputPerMillion", 0.14),
                "haiku", map("inputPerMillion", 0.8, "outputPerMillion", 4))), "plans.b.models", List.of("nova"));
        CapacityReport.Figures usd = report(set(priced, "plans.b.tokens", map("perMinute", 1_000_000,
                "budget", map("limit", 0.5, "period", "DAY", "unit", "usd")))).figures();
        assertThat(usd.outputTokensPerDay()).isCloseTo(3 * 500_000.0 + 2 * (0.5 / 0.14e-6), within(1e-3));
        assertThat(usd.usdPerDay()).isCloseTo(3 * 500_000 * 4e-6 + 2 * 0.5, within(1e-9));

        // Both bounds on one plan: the tighter one holds.
        CapacityReport.Figures both = report(set(priced, "plans.b.tokens", map("perMinute", 1_000,
                "budget", map("limit", 0.5, "period", "DAY", "unit", "usd")))).figures();
        assertThat(both.outputTokensPerDay()).isCloseTo(3 * 500_000.0 + 2 * 1_000.0 * 1440, within(1e-6));
    }

    @Test
    void theTextMarksWarnings_andTheRepositoryStacksReportWithoutFailing() throws Exception {
        CapacityReport report = report(set(crafted(), "stageRateLimit", 20));
        assertThat(report.text().lines().filter(l -> l.startsWith("WARNING: capacity: "))).hasSize(1);
        assertThat(report.text().lines()).hasSize(report.lines().size());

        CapacityReport prod = StackFile.read(java.nio.file.Path.of("Pulumi.prod.yaml")).load().capacity();
        assertThat(prod.figures().keys()).isEqualTo(1); // demo is disabled
        assertThat(prod.figures().chatRequestsPerSecond()).isEqualTo(25); // premium's per-method throttle
    }
}
