package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import io.llmgateway.contract.Route;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code plans}: throttles, quotas and method throttles, one test per rule, each asserting the whole message.
 */
class PlansReaderTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1"})
    void aRateLimitOfZeroOrLessIsRejected(String rate) {
        assertThat(problems(set(valid(), "plans.standard.throttle.rateLimit", Integer.parseInt(rate)))).containsExactly(
                "plans.standard.throttle.rateLimit: must be a number > 0 (requests per second, fractions allowed), got " + rate);
    }

    @Test
    void aRateLimitThatIsNotANumberIsRejected() {
        assertThat(problems(set(valid(), "plans.standard.throttle.rateLimit", "fast")))
                .containsExactly("plans.standard.throttle.rateLimit: must be a number, got 'fast'");
    }

    @Test
    void anInfiniteRateLimitIsRejectedAsAProblemNotACrash() {
        assertThat(problems(set(valid(), "plans.standard.throttle.rateLimit", "1e400"))).containsExactly(
                "plans.standard.throttle.rateLimit: must be a number > 0 (requests per second, fractions allowed), got 1e400");
    }

    @Test
    void aFractionalRateLimitIsAcceptedAsTheStringPulumiConfigSetStores() {
        StackConfig config = ConfigLoader.load(set(valid(), "plans.standard.throttle.rateLimit", "0.5"), Set.of()).config();
        assertThat(config.plans().get("standard").throttle().rateLimit()).isEqualTo(0.5);
    }

    @Test
    void aBurstLimitBelowOneIsRejected() {
        assertThat(problems(set(valid(), "plans.standard.throttle.burstLimit", 0)))
                .containsExactly("plans.standard.throttle.burstLimit: must be an integer >= 1, got 0");
    }

    @Test
    void aBurstLimitThatIsNotAnIntegerIsRejected() {
        assertThat(problems(set(valid(), "plans.standard.throttle.burstLimit", 2.5)))
                .containsExactly("plans.standard.throttle.burstLimit: must be an integer, got 2.5");
        assertThat(problems(set(valid(), "plans.standard.throttle.burstLimit", "lots")))
                .containsExactly("plans.standard.throttle.burstLimit: must be an integer, got 'lots'");
    }

    @Test
    void aThrottleNeedsBothRateAndBurstBecauseAnUnsetFieldAllowsNothing() {
        assertThat(problems(set(valid(), "plans.standard.throttle", map("rateLimit", 10)))).containsExactly(
                "plans.standard.throttle.burstLimit: required: the bucket size, an integer >= 1 "
                        + "(AWS reads an unset burst as 0, which allows nothing)");
    }

    @Test
    void aBurstBelowTheRateIsAWarningNotAnError() {
        ConfigLoader.Result result = ConfigLoader.load(set(valid(), "plans.standard.throttle.burstLimit", 5), Set.of());
        assertThat(result.warnings()).containsExactly("plans.standard.throttle: burstLimit 5 is below rateLimit 10; "
                + "more than 5 requests arriving together are throttled even within the rate");
    }

    @Test
    void aQuotaPeriodOtherThanDayWeekOrMonthIsRejected() {
        assertThat(problems(set(valid(), "plans.standard.quota.period", "YEAR")))
                .containsExactly("plans.standard.quota.period: 'YEAR' is not a quota period; use DAY, WEEK or MONTH");
    }

    @Test
    void aQuotaLimitOfZeroIsRejected() {
        assertThat(problems(set(valid(), "plans.standard.quota.limit", 0)))
                .containsExactly("plans.standard.quota.limit: must be an integer >= 1, got 0");
    }

    @ParameterizedTest
    @CsvSource({"DAY,1,must be 0", "DAY,-1,must be 0", "WEEK,7,must be 0-6", "MONTH,28,must be 0-27", "MONTH,-1,must be 0-27"})
    void aQuotaOffsetOutsideItsPeriodIsRejected(String period, int offset, String allowed) {
        Map<String, Object> config = set(set(valid(), "plans.standard.quota.period", period),
                "plans.standard.quota.offset", offset);
        assertThat(problems(config)).containsExactly("plans.standard.quota.offset: " + offset
                + " is out of range for period " + period + " (" + allowed + ")");
    }

    @ParameterizedTest
    @CsvSource({"DAY,0", "WEEK,6", "MONTH,27"})
    void theLastOffsetOfEachPeriodIsAccepted(String period, int offset) {
        Map<String, Object> config = set(set(valid(), "plans.standard.quota.period", period),
                "plans.standard.quota.offset", offset);
        assertThat(ConfigLoader.load(config, Set.of()).config().plans().get("standard").quota().orElseThrow().offset())
                .isEqualTo(offset);
    }

    @Test
    void aMethodThrottleOnARouteTheApiDoesNotHaveIsRejected() {
        Map<String, Object> config = set(valid(), "plans.standard.methodThrottles",
                map("/v1/completions/POST", map("rateLimit", 1, "burstLimit", 1)));
        assertThat(problems(config)).containsExactly("plans.standard.methodThrottles[\"/v1/completions/POST\"]: the API has "
                + "no route '/v1/completions/POST' (did you mean '/v1/chat/completions/POST'?); routes: [/v1/chat/completions/POST, /v1/models/GET, /v1/models/{model}/GET, /v1/embeddings/POST, /v1/responses/POST, /v1/responses/{response_id}/GET, /v1/responses/{response_id}/DELETE, /v1/responses/{response_id}/input_items/GET]");
    }

    @Test
    void methodThrottlesOnEmbeddingsAndOnOneModel_areKeyedByTheResourcePathTemplate() {
        Map<String, Object> config = set(valid(), "plans.standard.methodThrottles", map(
                "/v1/embeddings/POST", map("rateLimit", 3, "burstLimit", 6),
                "/v1/models/{model}/GET", map("rateLimit", 1, "burstLimit", 2)));
        assertThat(ConfigLoader.load(config, Set.of()).config().plans().get("standard").methodThrottles())
                .containsExactly(Map.entry(Route.EMBEDDINGS, new Throttle(3, 6)), Map.entry(Route.MODEL, new Throttle(1, 2)));
    }

    @Test
    void aMisspelledMethodThrottleRouteGetsTheClosestRouteSuggested() {
        Map<String, Object> config = set(valid(), "plans.standard.methodThrottles",
                map("/v1/model/GET", map("rateLimit", 1, "burstLimit", 1)));
        assertThat(problems(config)).containsExactly("plans.standard.methodThrottles[\"/v1/model/GET\"]: the API has "
                + "no route '/v1/model/GET' (did you mean '/v1/models/GET'?); routes: [/v1/chat/completions/POST, /v1/models/GET, /v1/models/{model}/GET, /v1/embeddings/POST, /v1/responses/POST, /v1/responses/{response_id}/GET, /v1/responses/{response_id}/DELETE, /v1/responses/{response_id}/input_items/GET]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "v1/models/GET", "/v1/models", "/v1/models/FETCH"})
    void aMethodThrottleNotInPathMethodFormIsRejected(String path) {
        Map<String, Object> config = set(valid(), "plans.standard.methodThrottles",
                map(path, map("rateLimit", 1, "burstLimit", 1)));
        assertThat(problems(config)).containsExactly("plans.standard.methodThrottles[\"" + path + "\"]: '" + path
                + "' is not in /path/METHOD form; use one of [/v1/chat/completions/POST, /v1/models/GET, /v1/models/{model}/GET, /v1/embeddings/POST, /v1/responses/POST, /v1/responses/{response_id}/GET, /v1/responses/{response_id}/DELETE, /v1/responses/{response_id}/input_items/GET] "
                + "(AWS rejects */* in a usage plan)");
    }

    @Test
    void moreThanTwentyMethodThrottlesOnAStageAreRejected() {
        Map<String, Object> throttles = new LinkedHashMap<>();
        for (int i = 0; i < 21; i++) {
            throttles.put("/v1/r" + i + "/GET", map("rateLimit", 1, "burstLimit", 1));
        }
        assertThat(problems(set(valid(), "plans.standard.methodThrottles", throttles)))
                .contains("plans.standard.methodThrottles: 21 method throttles is more than the 20 AWS allows per stage");
    }

    @Test
    void methodThrottlesWithoutAPlanThrottleAreRejected() {
        Map<String, Object> config = set(set(valid(), "plans.standard.throttle", null), "plans.standard.methodThrottles",
                map("/v1/models/GET", map("rateLimit", 1, "burstLimit", 1)));
        assertThat(problems(config)).contains(
                "plans.standard.methodThrottles: method throttles need a plan-level throttle; add plans.standard.throttle");
    }

    @Test
    void moreThanThreeHundredPlansAreRejected() {
        Map<String, Object> plans = new LinkedHashMap<>();
        for (int i = 0; i <= 300; i++) {
            plans.put(i == 0 ? "standard" : "p" + i, map("throttle", map("rateLimit", 1, "burstLimit", 1)));
        }
        assertThat(problems(set(valid(), "plans", plans)))
                .containsExactly("plans: 301 plans is more than the 300 usage plans AWS allows per Region");
    }

    @Test
    void anUnknownPlanKeyIsRejectedWithTheClosestKey() {
        assertThat(problems(set(valid(), "plans.standard.descripton", "x"))).containsExactly(
                "plans.standard.descripton: unknown key (did you mean 'description'?); "
                        + "valid keys here: description, throttle, quota, methodThrottles, tokens, models, maxTokens, costAllocation, guardrail");
    }

    @Test
    void aMisspelledThrottleKeyNeverBecomesADefault() {
        Map<String, Object> config = set(valid(), "plans.standard.throttle", map("rateLimt", 10, "burstLimit", 20));
        assertThat(problems(config)).containsExactly(
                "plans.standard.throttle.rateLimt: unknown key (did you mean 'rateLimit'?); valid keys here: rateLimit, burstLimit",
                "plans.standard.throttle.rateLimit: required: requests per second, a number > 0 "
                        + "(AWS reads an unset rate as 0, which allows nothing)");
    }

    @Test
    void anUnknownMethodThrottleKeyIsRejectedWithTheClosestKey() {
        Map<String, Object> config = set(valid(), "plans.standard.methodThrottles",
                map("/v1/models/GET", map("rateLimit", 1, "burstLimt", 1)));
        assertThat(problems(config)).contains("plans.standard.methodThrottles[\"/v1/models/GET\"].burstLimt: unknown key "
                + "(did you mean 'burstLimit'?); valid keys here: rateLimit, burstLimit");
    }

    @Test
    void anUnknownQuotaKeyIsRejectedWithTheClosestKey() {
        assertThat(problems(set(valid(), "plans.standard.quota.ofset", 0))).containsExactly(
                "plans.standard.quota.ofset: unknown key (did you mean 'offset'?); valid keys here: limit, period, offset");
    }
}
