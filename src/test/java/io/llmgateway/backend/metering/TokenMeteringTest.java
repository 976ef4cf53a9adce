package io.llmgateway.backend.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenBudget;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.TokenStoreSettings.FailureMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenMetering} on the in-memory store and an injected clock: reservations, settlement,
 * clamping, both kinds of refusal with their exact Retry-After, window edges, store failures, and how
 * entitlements are loaded.
 */
class TokenMeteringTest {

    static final String KEY = "key1";
    static final String MODEL = "nova-micro";
    /** Thursday 2026-11-26, 10:00:30 UTC. */
    static final Instant THURSDAY = Instant.parse("2026-11-26T10:00:30Z");

    private final MutableClock clock = new MutableClock(THURSDAY);
    private InMemoryCounterStore store;
    private TokenMetering metering;

    private TokenMetering meter(PlanLimits plan) {
        store = new InMemoryCounterStore(Plans.items(Map.of(KEY, plan.name()), plan));
        metering = new TokenMetering(store, FailureMode.REFUSE, clock);
        return metering;
    }

    private static Caller caller() {
        return new Caller(KEY, "req", Map.of());
    }

    private long used() {
        return store.snapshot().values().stream().mapToLong(CounterStore.Counts::used).sum();
    }

    private long minuteTokens() {
        long minute = clock.instant().getEpochSecond() / 60;
        return store.snapshot().values().stream().mapToLong(c -> c.minute(minute)).sum();
    }

    private Refusal refused(int input, int output) {
        return catchThrowableOfType(Refusal.class, () -> metering.reserve(caller(), MODEL, input, output));
    }

    @Test
    void theEntitlement_namesTheKeysPlan_forTheMetricsPlanDimension() {
        meter(Plans.budget("gold", 1000, BudgetPeriod.DAY));

        assertThat(metering.entitlement(caller()).plan()).contains("gold");
        assertThat(metering.entitlement(new Caller("no-such-key", "req", Map.of())).plan()).isEmpty();
    }

    @Test
    void aReservation_holdsInputPlusMaxTokens_andSettlesToTheRealUsage() throws Refusal {
        meter(Plans.both("p", 10_000, 100_000, BudgetPeriod.DAY));

        Metering.Reservation reservation = metering.reserve(caller(), MODEL, 100, 500);
        assertThat(used()).isEqualTo(600);
        assertThat(minuteTokens()).isEqualTo(600);
        assertThat(reservation.headers()).containsEntry("x-ratelimit-remaining-tokens", "9400")
                .containsEntry("x-ratelimit-limit-tokens", "10000").containsEntry("x-ratelimit-reset-tokens", "30s");

        clock.advance(Duration.ofMillis(500));
        reservation.settle(80, 20);

        assertThat(used()).isEqualTo(100);
        assertThat(minuteTokens()).isEqualTo(100);
        assertThat(reservation.headers()).containsEntry("x-ratelimit-remaining-tokens", "9900")
                .containsEntry("x-ratelimit-reset-tokens", "29.5s");
        assertThat(reservation.logFields()).containsEntry("tokensReserved", 600L).containsEntry("tokenReservation", "settled");
    }

    @Test
    void aRelease_givesEverythingBack_andASecondFinishChangesNothing() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        Metering.Reservation reservation = metering.reserve(caller(), MODEL, 100, 500);

        reservation.release();
        reservation.settle(100, 500);

        assertThat(used()).isZero();
    }

    @Test
    void theBudget_clampsMaxTokens_toWhatIsLeft_thenRefusesWithInsufficientQuotaUntilTheNextDay() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        metering.reserve(caller(), MODEL, 100, 500).settle(100, 500);

        Metering.Reservation clamped = metering.reserve(caller(), MODEL, 100, 500);
        assertThat(clamped.maxOutputTokens()).isEqualTo(300);
        assertThat(clamped.logFields()).containsEntry("maxTokensClamped", 300);
        clamped.settle(100, 300);
        assertThat(used()).isEqualTo(1000);

        Refusal refusal = refused(1, 100);
        assertThat(refusal.error().status()).isEqualTo(429);
        assertThat(refusal.error().type()).isEqualTo("insufficient_quota");
        assertThat(refusal.error().code()).isEqualTo("insufficient_quota");
        // 10:00:30 to midnight UTC.
        assertThat(refusal.headers()).containsEntry("Retry-After", Long.toString(14 * 3600 - 30))
                .containsEntry("x-should-retry", "false");
        assertThat(refusal.logFields()).containsEntry("tokenLimit", "budget");

        clock.set(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(metering.reserve(caller(), MODEL, 100, 500).maxOutputTokens()).isEqualTo(500);
    }

    @Test
    void whenLessThanAMinimalAnswerIsLeft_theRequestIsRefused_notAnsweredWithAFewTokens() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        metering.reserve(caller(), MODEL, 100, 800).settle(100, 790);

        assertThat(refused(100, 500).error().type()).isEqualTo("insufficient_quota");
        assertThat(used()).isEqualTo(890);
        assertThat(metering.reserve(caller(), MODEL, 10, 500).maxOutputTokens()).isEqualTo(100);
    }

    @Test
    void thePerMinuteLimit_refusesWithTokensType_andRetryAfterTheNextMinute_exactly() throws Refusal {
        meter(Plans.perMinute("p", 1000));
        metering.reserve(caller(), MODEL, 100, 600);

        Refusal refusal = refused(100, 400);
        assertThat(refusal.error().status()).isEqualTo(429);
        assertThat(refusal.error().type()).isEqualTo("tokens");
        assertThat(refusal.error().code()).isEqualTo("rate_limit_exceeded");
        assertThat(refusal.headers()).containsEntry("Retry-After", "30")
                .containsEntry("x-ratelimit-remaining-tokens", "300").doesNotContainKey("x-should-retry");

        clock.set(Instant.parse("2026-11-26T10:00:59.999Z"));
        assertThat(refused(100, 400).headers()).containsEntry("Retry-After", "1");
        clock.set(Instant.parse("2026-11-26T10:01:00Z"));
        assertThat(metering.reserve(caller(), MODEL, 100, 400).maxOutputTokens()).isEqualTo(400);
    }

    @Test
    void aSettlementInALaterMinute_leavesTheNewMinuteAlone_andDropsTheOldCounter() throws Refusal {
        meter(Plans.perMinute("p", 1000));
        Metering.Reservation first = metering.reserve(caller(), MODEL, 100, 800);
        clock.set(Instant.parse("2026-11-26T10:01:05Z"));
        Metering.Reservation second = metering.reserve(caller(), MODEL, 100, 800);

        first.settle(100, 800);

        assertThat(minuteTokens()).isEqualTo(900);
        assertThat(store.snapshot().values().iterator().next().minutes()).containsOnlyKeys(
                clock.instant().getEpochSecond() / 60);
        second.release();
        assertThat(minuteTokens()).isZero();
    }

    @Test
    void maxTokensAboveWhatAWholeMinuteHolds_isCapped_andAnInputAboveIt_isRefusedForGood() throws Refusal {
        meter(Plans.perMinute("p", 1000));

        assertThat(metering.reserve(caller(), MODEL, 200, 4096).maxOutputTokens()).isEqualTo(800);

        Refusal tooLarge = refused(995, 100);
        assertThat(tooLarge.error().type()).isEqualTo("tokens");
        assertThat(tooLarge.error().message()).startsWith("Request too large for 'nova-micro' on tokens per min (TPM): "
                + "Limit 1000, Requested 1095.");
        assertThat(tooLarge.headers()).containsEntry("x-should-retry", "false");
    }

    @Test
    void weeklyAndMonthlyBudgets_renewOnMondayAndOnTheFirst_utc() {
        meter(Plans.budget("p", 10, BudgetPeriod.WEEK));
        assertThat(refused(100, 100).headers()).containsEntry("Retry-After",
                Long.toString(Duration.between(THURSDAY, Instant.parse("2026-11-30T00:00:00Z")).toSeconds()));
        meter(Plans.budget("p", 10, BudgetPeriod.MONTH));
        assertThat(refused(100, 100).headers()).containsEntry("Retry-After",
                Long.toString(Duration.between(THURSDAY, Instant.parse("2026-12-01T00:00:00Z")).toSeconds()));
    }

    @Test
    void aReservationJustBeforeMidnight_isSettledToItsOwnDay_notTheNextOne() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        clock.set(Instant.parse("2026-11-26T23:59:59.900Z"));
        Metering.Reservation late = metering.reserve(caller(), MODEL, 100, 800);
        clock.set(Instant.parse("2026-11-27T00:00:00.100Z"));

        assertThat(metering.reserve(caller(), MODEL, 100, 800).maxOutputTokens()).isEqualTo(800);
        late.settle(100, 100);

        assertThat(store.snapshot()).hasSize(2);
        assertThat(store.snapshot().entrySet()).anySatisfy(e -> {
            assertThat(e.getKey().window()).isEqualTo("DAY#2026-11-26");
            assertThat(e.getValue().used()).isEqualTo(200);
        });
    }

    @Test
    void aUsdBudget_countsEachModelsPrice() throws Refusal {
        PlanLimits plan = new PlanLimits("p", Optional.empty(), OptionalInt.empty(), OptionalLong.empty(),
                Optional.of(TokenBudget.usd(1_000_000, BudgetPeriod.DAY, Map.of(MODEL, new TokenRates(35, 140)))));
        meter(plan);

        metering.reserve(caller(), MODEL, 1000, 1000).settle(1000, 500);

        assertThat(used()).isEqualTo(1000 * 35 + 500 * 140);
    }

    @Test
    void aPlanWithoutTokenLimits_touchesNoCounter() throws Refusal {
        meter(PlanLimits.unlimited("free"));

        Metering.Reservation reservation = metering.reserve(caller(), MODEL, 100, 500);
        reservation.settle(1, 1);

        assertThat(reservation.maxOutputTokens()).isEqualTo(500);
        assertThat(reservation.headers()).isEmpty();
        assertThat(store.snapshot()).isEmpty();
    }

    @Test
    void aStoreFailure_refusesWith503AndRetryAfter_loggedAndCounted() {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        store.failWith(() -> new RuntimeException("connection refused"));

        Refusal refusal = refused(100, 100);

        assertThat(refusal.error().status()).isEqualTo(503);
        assertThat(refusal.headers()).containsEntry("Retry-After", "5");
        assertThat(refusal.logFields()).containsEntry("tokenStore", "unavailable_refused")
                .containsEntry("TokenStoreFailures", 1);
        assertThat(metering.stats().storeFailuresRefused).hasValue(1);
    }

    @Test
    void aStoreFailure_inServeMode_servesUncounted_loggedAndCounted() throws Refusal {
        PlanLimits plan = Plans.budget("p", 1000, BudgetPeriod.DAY);
        store = new InMemoryCounterStore(Plans.items(Map.of(KEY, "p"), plan));
        metering = new TokenMetering(store, FailureMode.SERVE, clock);
        store.failWith(() -> new RuntimeException("throttled"));

        Metering.Reservation reservation = metering.reserve(caller(), MODEL, 100, 100);

        assertThat(reservation.maxOutputTokens()).isEqualTo(100);
        assertThat(reservation.logFields()).containsEntry("tokenStore", "unavailable_served")
                .containsEntry("TokenStoreFailures", 1);
        assertThat(metering.stats().storeFailuresServed).hasValue(1);
    }

    @Test
    void aSettlementThatCannotBeWritten_leavesTheReservationCharged_loggedAndCounted() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        Metering.Reservation reservation = metering.reserve(caller(), MODEL, 100, 500);
        store.failWith(() -> new RuntimeException("timeout"));

        reservation.settle(10, 10);

        store.failWith(null);
        assertThat(used()).isEqualTo(600);
        assertThat(reservation.logFields()).containsEntry("tokenReservation", "settled_failed")
                .containsEntry("TokenSettleFailures", 1);
        assertThat(metering.stats().settleFailures).hasValue(1);
    }

    @Test
    void theEntitlement_isThePlansAllowListAndCeiling_andAnUnknownKeyMayUseNothing() {
        meter(Plans.models("p", Set.of(MODEL), 256));

        assertThat(metering.entitlement(caller()).models()).contains(Set.of(MODEL));
        assertThat(metering.entitlement(caller()).maxTokensCeiling()).hasValue(256);
        assertThat(metering.entitlement(new Caller("stranger", "r", Map.of())).allows(MODEL)).isFalse();
    }

    @Test
    void aNewStageVersion_reloadsTheEntitlements_atMostOnceASecond_andAMixedReadIsNotUsed() {
        meter(Plans.models("p", Set.of(MODEL), 256));
        List<EntitlementItems.Item> next = Plans.items(Map.of(KEY, "p"), Plans.models("p", Set.of("haiku"), 256));
        String nextVersion = next.get(0).version();
        Caller withNewVersion = new Caller(KEY, "r", Map.of(EntitlementItems.STAGE_VARIABLE, nextVersion));

        // Mid-update: the plans item is new, the key item still old.
        List<EntitlementItems.Item> old = store.entitlementItems();
        store.setEntitlements(List.of(next.get(0), old.get(1)));
        clock.advance(Duration.ofSeconds(2));
        assertThat(metering.entitlement(withNewVersion).allows(MODEL)).isTrue();
        assertThat(metering.lastLoadProblem()).contains("read in the middle of an update");

        store.setEntitlements(next);
        assertThat(metering.entitlement(withNewVersion).allows(MODEL)).as("no second read within a second").isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(metering.entitlement(withNewVersion).allows("haiku")).isTrue();
        assertThat(metering.entitlement(withNewVersion).allows(MODEL)).isFalse();
    }

    @Test
    void withoutEntitlements_chatIsRefusedWith503_andTheFirstLoadAfterTheStoreHeals_servesAgain() throws Refusal {
        PlanLimits plan = Plans.budget("p", 1000, BudgetPeriod.DAY);
        store = new InMemoryCounterStore(Plans.items(Map.of(KEY, "p"), plan));
        store.failWith(() -> new RuntimeException("down"));
        metering = new TokenMetering(store, FailureMode.REFUSE, clock);

        assertThat(metering.entitlement(caller())).isEqualTo(Metering.Entitlement.EVERYTHING);
        assertThat(refused(10, 10).error().status()).isEqualTo(503);

        store.failWith(null);
        clock.advance(Duration.ofSeconds(1));
        metering.entitlement(caller());
        assertThat(metering.reserve(caller(), MODEL, 10, 10).maxOutputTokens()).isEqualTo(10);
    }
}
