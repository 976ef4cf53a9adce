package io.llmgateway.backend.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenBudget;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.Usage;
import io.llmgateway.common.TokenStoreSettings.FailureMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What {@link TokenMetering} promises, whatever store holds its counters: reservation, clamping, the
 * first reservation of a window, the minute's edge, settlement, release, a call charged because it may
 * have been billed, the refusal that says calls in flight hold the budget, and 200 concurrent callers.
 * Each store runs it ({@link InMemoryTokenMeteringTest}, {@link DynamoDbTokenMeteringTest} on dynalite),
 * so the local gateway's store cannot behave otherwise than the deployed one. Time is an injected clock.
 */
abstract class TokenMeteringContract {

    static final String KEY = "key1";
    static final String MODEL = "nova-micro";
    /** Thursday 2026-11-26, 10:00:30 UTC. */
    static final Instant THURSDAY = Instant.parse("2026-11-26T10:00:30Z");
    /** How long a call's invocation may run: the deployed default integration timeout. */
    static final Duration INVOCATION = Duration.ofSeconds(29);

    final MutableClock clock = new MutableClock(THURSDAY);
    CounterStore store;
    TokenMetering metering;
    PlanLimits plan;

    /** A new, empty store holding these entitlement items. */
    abstract CounterStore newStore(List<EntitlementItems.Item> items);

    TokenMetering meter(PlanLimits plan) {
        this.plan = plan;
        store = newStore(Plans.items(Map.of(KEY, plan.name()), plan));
        metering = new TokenMetering(store, FailureMode.REFUSE, clock);
        return metering;
    }

    static Caller caller() {
        return new Caller(KEY, "req", Map.of());
    }

    Metering.Reservation reserve(int input, int output) throws Refusal {
        return reserve(input, output, INVOCATION);
    }

    Metering.Reservation reserve(int input, int output, Duration invocation) throws Refusal {
        return metering.reserve(caller(), MODEL, input, output, clock.instant().plus(invocation));
    }

    Refusal refused(int input, int output) {
        return catchThrowableOfType(Refusal.class, () -> reserve(input, output));
    }

    /** The key's counter item of the window that holds {@code at}. */
    CounterStore.Counts counts(Instant at) {
        return store.read(TokenMetering.window(KEY, plan, at));
    }

    long used() {
        return counts(clock.instant()).used();
    }

    long minuteTokens() {
        return counts(clock.instant()).minute(clock.instant().getEpochSecond() / 60);
    }

    static PlanLimits usd(long limitNanoUsd, TokenRates prices) {
        return new PlanLimits("p", Optional.empty(), OptionalInt.empty(), OptionalLong.empty(),
                Optional.of(TokenBudget.usd(limitNanoUsd, BudgetPeriod.MONTH, Map.of(MODEL, prices))));
    }

    @Test
    void aReservation_holdsInputPlusMaxTokens_andSettlesToTheRealUsage() throws Refusal {
        meter(Plans.both("p", 10_000, 100_000, BudgetPeriod.DAY));

        Metering.Reservation reservation = reserve(100, 500);
        assertThat(used()).isEqualTo(600);
        assertThat(minuteTokens()).isEqualTo(600);
        assertThat(counts(clock.instant()).inFlightAt(clock.millis())).isEqualTo(600);
        assertThat(reservation.headers()).containsEntry("x-ratelimit-remaining-tokens", "9400")
                .containsEntry("x-ratelimit-limit-tokens", "10000").containsEntry("x-ratelimit-reset-tokens", "30s");

        clock.advance(Duration.ofMillis(500));
        reservation.settle(80, 20);

        assertThat(used()).isEqualTo(100);
        assertThat(minuteTokens()).isEqualTo(100);
        assertThat(counts(clock.instant()).inFlightAt(clock.millis())).isZero();
        assertThat(reservation.headers()).containsEntry("x-ratelimit-remaining-tokens", "9900")
                .containsEntry("x-ratelimit-reset-tokens", "29.5s");
        assertThat(reservation.logFields()).containsEntry("tokensReserved", 600L).containsEntry("tokenReservation", "settled");
    }

    @Test
    void aRelease_givesEverythingBack_andASecondFinishChangesNothing() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        Metering.Reservation reservation = reserve(100, 500);

        reservation.release();
        reservation.settle(100, 500);
        reservation.chargeUnsettled();

        assertThat(used()).isZero();
        assertThat(counts(clock.instant()).inFlightAt(clock.millis())).isZero();
        assertThat(reservation.logFields()).containsEntry("tokenReservation", "released");
    }

    @Test
    void theBudget_clampsMaxTokens_toWhatIsLeft_thenRefusesWithInsufficientQuotaUntilTheNextDay() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        reserve(100, 500).settle(100, 500);

        Metering.Reservation clamped = reserve(100, 500);
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
        assertThat(reserve(100, 500).maxOutputTokens()).isEqualTo(500);
    }

    @Test
    void whenLessThanAMinimalAnswerIsLeft_theRequestIsRefused_notAnsweredWithAFewTokens() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        reserve(100, 800).settle(100, 790);

        assertThat(refused(100, 500).error().type()).isEqualTo("insufficient_quota");
        assertThat(used()).isEqualTo(890);
        assertThat(reserve(10, 500).maxOutputTokens()).isEqualTo(100);
    }

    @Test
    void theFirstReservationOfAWindow_largerThanTheWholeBudget_isClampedToIt() throws Refusal {
        meter(Plans.budget("p", 60, BudgetPeriod.WEEK));

        Metering.Reservation first = reserve(10, 100);

        assertThat(first.maxOutputTokens()).isEqualTo(50);
        assertThat(used()).isEqualTo(60);
        first.settle(10, 50);
        assertThat(used()).isEqualTo(60);
        assertThat(refused(10, 100).error().type()).isEqualTo("insufficient_quota");
    }

    @Test
    void theFirstReservationOfAMonth_onAUsdBudget_isClampedToWhatTheMoneyBuys() throws Refusal {
        // $0.0001 a month; $0.80 and $4 per million tokens: 800 and 4,000 nano-dollars a token.
        meter(usd(100_000, new TokenRates(800, 4000)));

        Metering.Reservation first = reserve(26, 30);

        // 26 x 800 = 20,800 leaves 79,200: 19 output tokens (76,000), not 30 (120,000).
        assertThat(first.maxOutputTokens()).isEqualTo(19);
        assertThat(used()).isEqualTo(96_800).isLessThanOrEqualTo(100_000);
    }

    /** Claude's list prices per million ($3 input, $15 output, $0.30 read, $3.75 and $6 writes) per token. */
    static final TokenRates CLAUDE_PRICES = new TokenRates(3_000, 15_000, 300_000, 3_750_000, 6_000_000);

    @Test
    void aUsdBudget_chargesCacheReadsAndWritesEachAtItsPrice_exactly() throws Refusal {
        meter(usd(1_000_000_000, CLAUDE_PRICES));

        // The first call writes a 5,000-token prefix, the second reads it: 10 other input and 100 output each.
        reserve(5_010, 100, TokenRates.CacheWrites.SHORT).settle(new Usage(10, 100, 0, 5_000, 0, -1));
        long writing = used();
        reserve(5_010, 100, TokenRates.CacheWrites.SHORT).settle(new Usage(10, 100, 5_000, 0, 0, -1));
        long reading = used() - writing;
        reserve(5_010, 100).settle(new Usage(5_010, 100));
        long uncached = used() - writing - reading;

        assertThat(writing).isEqualTo(10 * 3_000 + 100 * 15_000 + 5_000 * 3_750);
        assertThat(reading).isEqualTo(10 * 3_000 + 100 * 15_000 + 5_000 * 300);
        assertThat(uncached).isEqualTo(5_010 * 3_000 + 100 * 15_000);
        assertThat(reading).isLessThan(uncached).isLessThan(writing);
        // A 1-hour write at its own price.
        long before = used();
        reserve(5_010, 100, TokenRates.CacheWrites.LONG).settle(new Usage(10, 100, 0, 0, 5_000, -1));
        assertThat(used() - before).isEqualTo(10 * 3_000 + 100 * 15_000 + 5_000 * 6_000);
    }

    @Test
    void aCallThatMayWriteToTheCache_reservesItsInputAtTheWritePrice_neverLessThanItCanCost() throws Refusal {
        meter(usd(1_000_000_000, CLAUDE_PRICES));

        Metering.Reservation shortTtl = reserve(5_010, 100, TokenRates.CacheWrites.SHORT);
        long heldShort = used();
        shortTtl.release();
        Metering.Reservation longTtl = reserve(5_010, 100, TokenRates.CacheWrites.LONG);
        long heldLong = used();
        longTtl.release();
        Metering.Reservation none = reserve(5_010, 100);
        long heldNone = used();

        assertThat(heldShort).isEqualTo(5_010 * 3_750 + 100 * 15_000);
        assertThat(heldLong).isEqualTo(5_010 * 6_000 + 100 * 15_000);
        assertThat(heldNone).isEqualTo(5_010 * 3_000 + 100 * 15_000);
        // Whatever the split of a call's input between reads, writes and plain input, it costs no more.
        assertThat(CLAUDE_PRICES.cost(new Usage(0, 100, 0, 5_010, 0, -1))).isLessThanOrEqualTo(heldShort);
        assertThat(CLAUDE_PRICES.cost(new Usage(0, 100, 0, 0, 5_010, -1))).isLessThanOrEqualTo(heldLong);
        none.release();
    }

    Metering.Reservation reserve(int input, int output, TokenRates.CacheWrites writes) throws Refusal {
        return metering.reserve(caller(), MODEL, input, output, 0, writes, clock.instant().plus(INVOCATION));
    }

    @Test
    void aFirstReservationWithoutRoomForAMinimalAnswer_isRefused_andChargesNothing() {
        meter(Plans.budget("p", 20, BudgetPeriod.DAY));

        assertThat(refused(10, 100).error().type()).isEqualTo("insufficient_quota");
        assertThat(used()).isZero();
    }

    @Test
    void thePerMinuteLimit_refusesWithTokensType_andRetryAfterTheNextMinute_exactly() throws Refusal {
        meter(Plans.perMinute("p", 1000));
        reserve(100, 600);

        Refusal refusal = refused(100, 400);
        assertThat(refusal.error().status()).isEqualTo(429);
        assertThat(refusal.error().type()).isEqualTo("tokens");
        assertThat(refusal.error().code()).isEqualTo("rate_limit_exceeded");
        assertThat(refusal.headers()).containsEntry("Retry-After", "30")
                .containsEntry("x-ratelimit-remaining-tokens", "300").doesNotContainKey("x-should-retry");

        clock.set(Instant.parse("2026-11-26T10:00:59.999Z"));
        assertThat(refused(100, 400).headers()).containsEntry("Retry-After", "1");
        clock.set(Instant.parse("2026-11-26T10:01:00Z"));
        assertThat(reserve(100, 400).maxOutputTokens()).isEqualTo(400);
    }

    @Test
    void atTheMinutesEdge_aSettlementInTheNextMinute_leavesTheNewMinuteAlone_andDropsTheOldCounter() throws Refusal {
        meter(Plans.perMinute("p", 1000));
        clock.set(Instant.parse("2026-11-26T10:00:59.999Z"));
        Metering.Reservation first = reserve(100, 800);
        clock.set(Instant.parse("2026-11-26T10:01:00Z"));
        Metering.Reservation second = reserve(100, 800);

        first.settle(100, 800);

        assertThat(minuteTokens()).isEqualTo(900);
        assertThat(counts(clock.instant()).minutes()).containsOnlyKeys(clock.instant().getEpochSecond() / 60);
        second.release();
        assertThat(minuteTokens()).isZero();
    }

    @Test
    void maxTokensAboveWhatAWholeMinuteHolds_isCapped_andAnInputAboveIt_isRefusedForGood() throws Refusal {
        meter(Plans.perMinute("p", 1000));

        assertThat(reserve(200, 4096).maxOutputTokens()).isEqualTo(800);

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
        Instant late = Instant.parse("2026-11-26T23:59:59.900Z");
        clock.set(late);
        Metering.Reservation lateCall = reserve(100, 800);
        clock.set(Instant.parse("2026-11-27T00:00:00.100Z"));

        assertThat(reserve(100, 800).maxOutputTokens()).isEqualTo(800);
        lateCall.settle(100, 100);

        assertThat(counts(late).used()).isEqualTo(200);
        assertThat(used()).isEqualTo(900);
    }

    @Test
    void aUsdBudget_countsEachModelsPrice() throws Refusal {
        meter(usd(1_000_000_000, new TokenRates(35, 140)));

        reserve(1000, 1000).settle(1000, 500);

        assertThat(used()).isEqualTo(1000 * 35 + 500 * 140);
    }

    @Test
    void aPlanWithoutTokenLimits_touchesNoCounter() throws Refusal {
        meter(PlanLimits.unlimited("free"));

        Metering.Reservation reservation = reserve(100, 500);
        reservation.settle(1, 1);

        assertThat(reservation.maxOutputTokens()).isEqualTo(500);
        assertThat(reservation.headers()).isEmpty();
        assertThat(counts(clock.instant())).isEqualTo(CounterStore.Counts.EMPTY);
    }

    @Test
    void aCallThatMayHaveBeenBilled_staysChargedAtItsWholeReservation_andIsNoLongerInFlight() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        Metering.Reservation timedOut = reserve(100, 500);

        clock.advance(Duration.ofSeconds(28));
        timedOut.chargeUnsettled();

        assertThat(used()).isEqualTo(600);
        assertThat(counts(clock.instant()).inFlightAt(clock.millis())).isZero();
        assertThat(timedOut.logFields()).containsEntry("tokenReservation", "charged_unsettled");
        Metering.Reservation next = reserve(100, 500);
        assertThat(next.maxOutputTokens()).isEqualTo(300);
        next.chargeUnsettled();

        Refusal refusal = refused(100, 500);
        assertThat(refusal.error().type()).as("charged calls are spent, not in flight").isEqualTo("insufficient_quota");
        assertThat(refusal.headers()).containsEntry("x-should-retry", "false");
    }

    @Test
    void partOfAReservationCharged_keepsThatPart_andGivesTheRestBack() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        Metering.Reservation embeddings = reserve(900, 0);

        embeddings.chargeUnsettled(350, 0);

        assertThat(used()).isEqualTo(350);
        assertThat(counts(clock.instant()).inFlightAt(clock.millis())).isZero();
        assertThat(embeddings.logFields()).containsEntry("tokenReservation", "charged_unsettled");
    }

    @Test
    void aBudgetHeldByCallsInFlight_isARetryable429_untilTheirDeadline_notASpentBudget() throws Refusal {
        meter(Plans.budget("p", 3000, BudgetPeriod.DAY));
        List<Metering.Reservation> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inFlight.add(reserve(10, 600));
        }
        assertThat(inFlight.get(4).maxOutputTokens()).as("the fifth takes what is left").isEqualTo(550);
        assertThat(used()).isEqualTo(3000);

        Refusal refusal = refused(10, 600);

        assertThat(refusal.error().status()).isEqualTo(429);
        assertThat(refusal.error().type()).isEqualTo("tokens");
        assertThat(refusal.error().code()).isEqualTo("rate_limit_exceeded");
        assertThat(refusal.headers()).containsEntry("Retry-After", "29").doesNotContainKey("x-should-retry");
        assertThat(refusal.logFields()).containsEntry("tokenLimit", "budget_in_flight");
        assertThat(metering.stats().refusedInFlight).hasValue(1);

        clock.advance(Duration.ofMillis(1500));
        inFlight.forEach(call -> call.settle(10, 40));
        assertThat(used()).isEqualTo(250);
        assertThat(reserve(10, 600).maxOutputTokens()).isEqualTo(600);
    }

    @Test
    void callsInFlightPastTheirDeadline_countAsCharged_soTheBudgetIsSpent() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        reserve(10, 990);
        assertThat(refused(10, 100).error().type()).isEqualTo("tokens");

        // 10:00:30 + 29 s: the invocation that held it has ended without settling.
        clock.set(Instant.parse("2026-11-26T10:00:59Z"));
        Refusal spent = refused(10, 100);

        assertThat(spent.error().type()).isEqualTo("insufficient_quota");
        assertThat(spent.headers()).containsEntry("x-should-retry", "false")
                .containsEntry("Retry-After", Long.toString(14 * 3600 - 59));
    }

    @Test
    void theInFlightRetryAfter_isTheEarliestDeadlineByWhichEnoughComesBack() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        reserve(10, 290, Duration.ofSeconds(5));
        reserve(10, 680, Duration.ofSeconds(20));

        // 990 held: a call needs 10 + 16; the first 300 back are enough.
        assertThat(refused(10, 100).headers()).containsEntry("Retry-After", "5");

        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        reserve(5, 5, Duration.ofSeconds(5));
        reserve(10, 970, Duration.ofSeconds(20));

        // 990 held: the first 10 back are not enough, the next 980 are.
        assertThat(refused(10, 100).headers()).containsEntry("Retry-After", "20");
    }

    @Test
    void twoHundredConcurrentCallers_neverChargeMoreThanTheBudget_andEveryCallIsAccountedFor() throws Exception {
        meter(Plans.budget("p", 5000, BudgetPeriod.DAY));
        int callers = 200;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> charged = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int n = i;
                charged.add(pool.submit(() -> {
                    start.await();
                    Metering.Reservation reservation;
                    try {
                        reservation = reserve(10, 90);
                    } catch (Refusal refused) {
                        assertThat(refused.error().status()).isEqualTo(429);
                        return 0L;
                    }
                    // Answered with 10 + 40, failed before Bedrock, or timed out.
                    switch (n % 3) {
                        case 0 -> {
                            reservation.settle(10, Math.min(40, reservation.maxOutputTokens()));
                            return 10L + Math.min(40, reservation.maxOutputTokens());
                        }
                        case 1 -> {
                            reservation.release();
                            return 0L;
                        }
                        default -> {
                            reservation.chargeUnsettled();
                            return 10L + reservation.maxOutputTokens();
                        }
                    }
                }));
            }
            start.countDown();
            long expected = 0;
            for (Future<Long> call : charged) {
                expected += call.get(60, TimeUnit.SECONDS);
            }
            assertThat(used()).isEqualTo(expected).isLessThanOrEqualTo(5000);
            assertThat(counts(clock.instant()).inFlightAt(clock.millis())).isZero();
            assertThat(metering.stats().settleFailures).hasValue(0);
        } finally {
            pool.shutdownNow();
        }
    }
}
