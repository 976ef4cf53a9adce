package io.llmgateway.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.StackConfig;
import io.llmgateway.verify.CheckResult.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LimitProbeTest {

    private static LimitProbe.Limits limits(double rate, int burst, Integer quota) {
        return new LimitProbe.Limits(rate, burst, quota, quota == null ? null : "DAY", "plan 'p'");
    }

    // ---- deciding -------------------------------------------------------------------------------

    @Test
    void withoutQuota_theBurstIsTwiceTheFirstSecond() {
        assertThat(LimitProbe.decide(limits(2, 5, null), false)).isEqualTo(new LimitProbe.Decision(14, false));
        assertThat(LimitProbe.decide(limits(0.5, 1, null), true)).isEqualTo(new LimitProbe.Decision(4, false));
    }

    @Test
    void aProbeThatWouldSpendMoreThanATenthOfTheQuota_isRefused() {
        assertThat(LimitProbe.decide(limits(2, 5, 140), false)).isEqualTo(new LimitProbe.Decision(14, false));
        assertThatThrownBy(() -> LimitProbe.decide(limits(2, 5, 139), false))
                .hasMessage("--probe-limits sends 14 requests, more than 10% of the quota (139 per day). Probe a"
                        + " dedicated client on a plan with a larger quota, or on one with a quota of at most 100 with"
                        + " --i-know to probe the quota as well");
    }

    @Test
    void theQuotaIsProbedOnlyWhenSmall_andOnlyWithIKnow() {
        assertThat(LimitProbe.decide(limits(1, 5, 100), true)).isEqualTo(new LimitProbe.Decision(12, true));
        assertThatThrownBy(() -> LimitProbe.decide(limits(1, 5, 101), true))
                .hasMessageStartingWith("--i-know: the quota probe uses up the whole quota, so it runs only on a plan"
                        + " whose quota is at most 100 requests; this one has 101 per day");
        assertThatThrownBy(() -> LimitProbe.decide(limits(1, 5, 20), false))
                .hasMessageStartingWith("--probe-limits sends 12 requests, more than 10% of the quota (20 per day)");
    }

    @Test
    void aPlanTooBigToProbeFromOneMachine_isRefused() {
        assertThat(LimitProbe.decide(limits(250, 250, null), false).offered()).isEqualTo(1000);
        assertThatThrownBy(() -> LimitProbe.decide(limits(250, 251, null), false))
                .hasMessageContaining("probing it takes 1002 requests, more than the 1000 this command sends");
    }

    @Test
    void limitsFromTheStackConfig_takeTheRoutesThrottle_withinTheStages() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("stageRateLimit", "3");
        values.put("stageBurstLimit", "4");
        values.put("models", Map.of("m", "amazon.nova-micro-v1:0"));
        values.put("plans", Map.of("p", Map.of("throttle", Map.of("rateLimit", 10, "burstLimit", 20),
                "quota", Map.of("limit", 50, "period", "WEEK", "offset", 1),
                "methodThrottles", Map.of("/v1/models/GET", Map.of("rateLimit", 5, "burstLimit", 3)))));
        values.put("clients", Map.of("c", Map.of("plan", "p")));
        StackConfig config = ConfigLoader.load(values, Set.of()).config();

        LimitProbe.Limits l = LimitProbe.Limits.of(config, config.plans().get("p"));

        assertThat(l).isEqualTo(new LimitProbe.Limits(3, 3, 50, "WEEK",
                "plan 'p' (/v1/models/GET: 5/s, burst 3), within the stage's 3/s, burst 4"));
        assertThat(l.quotaText()).isEqualTo("50 per week");
    }

    // ---- judging --------------------------------------------------------------------------------

    private static LimitProbe.Burst burst(int offered, int accepted, int throttled, long elapsedMillis) {
        return new LimitProbe.Burst(offered, accepted, throttled, 0, List.of(), elapsedMillis * 1_000_000, List.of(), "1",
                "x-amzn-RequestId r1");
    }

    @Test
    void aBurstThatMeetsThePlan_passes() {
        CheckResult r = LimitProbe.judge(burst(14, 7, 7, 1000), limits(2, 5, null), 5);

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.detail()).isEqualTo("accepted 7 of 14 in 1.00 s; plan 'p' allows 5 + 2/s x 1.00 s = 7.0 (ratio 1.00);"
                + " 7 x 429 with Retry-After 1");
        assertThat(r.requestId()).isEqualTo("x-amzn-RequestId r1");
    }

    @Test
    void aBurstWithoutRefusals_failsAsNotThrottled() {
        CheckResult r = LimitProbe.judge(burst(14, 14, 0, 100), limits(2, 5, null), 5);

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.actual()).startsWith("no 429 for 14 requests in 0.10 s, where the plan allows 5.2: the throttle is not"
                + " applied, or this machine could not send faster than the plan allows");
    }

    @Test
    void acceptingFarFromThePlan_orRefusingWithoutRetryAfter_fails() {
        assertThat(LimitProbe.judge(burst(14, 13, 1, 0), limits(2, 5, null), 5).actual())
                .startsWith("accepted 13, far from the 5.0 the plan allows");
        assertThat(LimitProbe.judge(burst(14, 2, 12, 0), limits(2, 5, null), 5).actual())
                .startsWith("accepted 2, far from the 5.0 the plan allows");
        LimitProbe.Burst noRetryAfter = new LimitProbe.Burst(14, 5, 9, 0, List.of(), 0,
                List.of("limits.throttle 429 (GET /v1/models) has no Retry-After"), null, null);
        assertThat(LimitProbe.judge(noRetryAfter, limits(2, 5, null), 5).actual())
                .startsWith("1 of 9 throttled answers without a valid Retry-After, e.g. limits.throttle 429"
                        + " (GET /v1/models) has no Retry-After");
        LimitProbe.Burst quotaGone = new LimitProbe.Burst(14, 5, 3, 6, List.of("500 internal_error"), 0, List.of(), "1", null);
        assertThat(LimitProbe.judge(quotaGone, limits(2, 5, null), 5).actual())
                .startsWith("1 answers were neither 2xx nor 429, e.g. 500 internal_error; 6 answers were 429"
                        + " insufficient_quota: the client's quota ran out");
    }

    // ---- against a stub with a token bucket on a fake clock -------------------------------------

    private CheckResult[] probe(StubGateway stub, LimitProbe.Limits limits, boolean quota) {
        try (Session session = new Session(stub.baseUrl(), Duration.ofSeconds(10), 0, stub.probeTime)) {
            LimitProbe probe = new LimitProbe(session, StubGateway.PROBE_KEY, limits);
            CheckResult throttle = probe.throttle(LimitProbe.offered(limits));
            return new CheckResult[] {throttle, quota ? probe.quota() : null};
        }
    }

    @Test
    void againstAThrottlingGateway_theBurstAndTheQuotaPass() throws IOException {
        try (StubGateway stub = StubGateway.start()) {
            stub.probeQuota = 20;

            CheckResult[] r = probe(stub, limits(1, 5, 20), true);

            assertThat(r[0].status()).as(r[0].toString()).isEqualTo(Status.PASS);
            assertThat(r[0].detail()).startsWith("accepted 5 of 12 in 0.00 s;");
            assertThat(r[1].status()).as(r[1].toString()).isEqualTo(Status.PASS);
            assertThat(r[1].detail()).isEqualTo("insufficient_quota after 15 more accepted (20 per day), Retry-After 3600,"
                    + " x-should-retry false");
            assertThat(stub.probeTime.sleeps).hasSize(16).containsOnly(Duration.ofSeconds(1));
        }
    }

    @Test
    void throttlingWithoutRetryAfter_failsTheBurst() throws IOException {
        try (StubGateway stub = StubGateway.start()) {
            stub.probeRetryAfter = false;

            CheckResult r = probe(stub, limits(1, 5, null), false)[0];

            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.actual()).startsWith("7 of 7 throttled answers without a valid Retry-After, e.g."
                    + " limits.throttle 429 (GET /v1/models) has no Retry-After");
        }
    }

    @Test
    void aGatewayThatDoesNotThrottle_failsTheBurst() throws IOException {
        try (StubGateway stub = StubGateway.start()) {
            stub.probeBurst = 1000;

            CheckResult r = probe(stub, limits(1, 5, null), false)[0];

            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.detail()).startsWith("no 429 for 12 requests in 0.00 s");
        }
    }

    @Test
    void aQuotaRefusalWithoutXShouldRetry_failsTheQuotaProbe() throws IOException {
        try (StubGateway stub = StubGateway.start()) {
            stub.probeQuota = 8;
            stub.quotaShouldRetryHeader = false;

            CheckResult r = probe(stub, limits(1, 5, 8), true)[1];

            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.detail()).isEqualTo("x-should-retry is missing, not false");
            assertThat(r.actual()).isEqualTo("insufficient_quota after 3 more accepted (8 per day): x-should-retry is"
                    + " missing, not false");
        }
    }

    @Test
    void aQuotaThatNeverEnds_failsTheQuotaProbe() throws IOException {
        try (StubGateway stub = StubGateway.start()) {
            CheckResult r = probe(stub, limits(1, 5, 3), true)[1];

            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.detail()).isEqualTo("the quota never ran out");
            assertThat(r.actual()).isEqualTo("18 accepted and 18 throttled without an insufficient_quota answer");
        }
    }

    @Test
    void tally_sortsAnswersIntoAcceptedThrottledQuotaAndOthers() {
        Seen throttled = new Seen(Check.LIMITS_THROTTLE, "GET /v1/models", 429,
                Map.of("Retry-After", List.of("2"), "x-amzn-RequestId", List.of("t1")));
        Seen bare = new Seen(Check.LIMITS_THROTTLE, "GET /v1/models", 429, Map.of("x-amzn-RequestId", List.of("t2")));
        List<CallOutcome<Integer>> answers = new ArrayList<>();
        answers.add(CallOutcome.ok(1, new Seen(Check.LIMITS_THROTTLE, "GET /v1/models", 200, Map.of())));
        answers.add(CallOutcome.failed(new ApiError(429, "rate_limit_exceeded", "requests", null, null), bare));
        answers.add(CallOutcome.failed(new ApiError(429, "rate_limit_exceeded", "requests", null, null), throttled));
        answers.add(CallOutcome.failed(new ApiError(429, "insufficient_quota", "insufficient_quota", null, null), throttled));
        answers.add(CallOutcome.broken("no answer", null));

        LimitProbe.Burst b = LimitProbe.tally(answers, 7);

        assertThat(b).isEqualTo(new LimitProbe.Burst(5, 1, 2, 1, List.of("no answer"), 7,
                List.of("limits.throttle 429 (GET /v1/models) has no Retry-After"), "2", "x-amzn-RequestId t2"));
    }
}
