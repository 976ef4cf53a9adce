package io.llmgateway.backend.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.GuardrailPolicy;
import io.llmgateway.common.PlanGuardrail;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenBudget;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.TokenStoreSettings.FailureMode;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * A USD budget and a plan's guardrail: the reservation holds the guardrail's text units on the safe side
 * (the input's units, and the answer's at 6 characters a token, at the sum of the plan's policy prices),
 * and the settlement charges the units Bedrock reported at each policy's price.
 */
class GuardrailBudgetTest {

    private static final String KEY = "key-1";
    private static final String MODEL = "haiku";
    private static final TokenRates RATES = new TokenRates(250, 1250);
    private static final long CONTENT = 150_000;
    private static final long TOPIC = 100_000;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));

    private TokenMetering metering(long limitNanoUsd, InMemoryCounterStore[] store) {
        PlanLimits plan = new PlanLimits("guarded", Optional.empty(), OptionalInt.empty(), OptionalLong.empty(),
                Optional.of(TokenBudget.usd(limitNanoUsd, BudgetPeriod.DAY, Map.of(MODEL, RATES))), Map.of(),
                Optional.of(new PlanGuardrail("g1", "1", Map.of(GuardrailPolicy.CONTENT, CONTENT, GuardrailPolicy.TOPIC, TOPIC))));
        store[0] = new InMemoryCounterStore(Plans.items(Map.of(KEY, "guarded"), plan));
        return new TokenMetering(store[0], FailureMode.REFUSE, clock);
    }

    private static long used(InMemoryCounterStore store) {
        return store.snapshot().values().stream().mapToLong(CounterStore.Counts::used).sum();
    }

    private Metering.Reservation reserve(TokenMetering metering, int input, int output, int guardedUnits) throws Refusal {
        return metering.reserve(new Caller(KEY, "req", Map.of()), MODEL, input, output, guardedUnits,
                clock.instant().plusSeconds(29));
    }

    @Test
    void theReservationHoldsTheGuardrailsUnits_andTheSettlementChargesTheReportedOnesAtEachPolicysPrice() throws Refusal {
        InMemoryCounterStore[] store = new InMemoryCounterStore[1];
        TokenMetering metering = metering(1_000_000_000L, store);
        Metering.Reservation reservation = reserve(metering, 100, 1000, 3);
        long perToken = (CONTENT + TOPIC) * 6 / 1000; // 1,500 nano-dollars of guardrail per output token
        assertThat(used(store[0])).isEqualTo(RATES.cost(100, 1000) + 3 * (CONTENT + TOPIC) + 1000 * perToken);

        reservation.guardrailUnits(Map.of(GuardrailPolicy.CONTENT, 2L, GuardrailPolicy.TOPIC, 1L, GuardrailPolicy.WORD, 5L));
        reservation.settle(90, 40);
        assertThat(used(store[0])).isEqualTo(RATES.cost(90, 40) + 2 * CONTENT + TOPIC);
    }

    @Test
    void aGuardedCallThatReportedNoUnits_staysChargedAtTheReservedUnits() throws Refusal {
        InMemoryCounterStore[] store = new InMemoryCounterStore[1];
        TokenMetering metering = metering(1_000_000_000L, store);
        reserve(metering, 100, 1000, 3).settle(90, 40);
        // Its trace lost, the guardrail's whole reserved share stays charged: the budget errs high.
        assertThat(used(store[0])).isEqualTo(RATES.cost(90, 40) + 3 * (CONTENT + TOPIC) + 1000 * ((CONTENT + TOPIC) * 6 / 1000));
    }

    @Test
    void aBudgetThatFitsTheTokensButNotTheGuardrail_lowersMaxTokensToWhatBothLeave() throws Refusal {
        InMemoryCounterStore[] store = new InMemoryCounterStore[1];
        long limit = RATES.cost(100, 1000); // room for 1,000 output tokens without the guardrail
        TokenMetering metering = metering(limit, store);
        // Tried unclamped first and refused, then read and clamped to what the guardrail's share leaves.
        Metering.Reservation reservation = reserve(metering, 100, 1000, 1);
        long room = limit - RATES.cost(100, 0) - (CONTENT + TOPIC);
        assertThat(reservation.maxOutputTokens()).isEqualTo((int) (room / (1250 + (CONTENT + TOPIC) * 6 / 1000)));
        assertThat(used(store[0])).isLessThanOrEqualTo(limit);
    }
}
