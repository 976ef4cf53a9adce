package io.llmgateway.backend.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenStoreSettings.FailureMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TokenMetering} on the in-memory store and an injected clock: what only a store that can be made
 * to fail shows (store failures in both modes, a settlement that cannot be written), and how
 * entitlements are loaded. What every store must do alike is {@link TokenMeteringContract}.
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

    private Refusal refused(int input, int output) {
        return catchThrowableOfType(Refusal.class, () -> metering.reserve(caller(), MODEL, input, output,
                clock.instant().plusSeconds(29)));
    }

    @Test
    void theEntitlement_namesTheKeysPlan_forTheMetricsPlanDimension() throws Refusal {
        meter(Plans.budget("gold", 1000, BudgetPeriod.DAY));

        assertThat(metering.entitlement(caller()).plan()).contains("gold");
        assertThat(metering.entitlement(new Caller("no-such-key", "req", Map.of())).plan()).isEmpty();
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

        Metering.Reservation reservation = metering.reserve(caller(), MODEL, 100, 100, clock.instant().plusSeconds(29));

        assertThat(reservation.maxOutputTokens()).isEqualTo(100);
        assertThat(reservation.logFields()).containsEntry("tokenStore", "unavailable_served")
                .containsEntry("TokenStoreFailures", 1);
        assertThat(metering.stats().storeFailuresServed).hasValue(1);
    }

    @Test
    void aSettlementThatCannotBeWritten_leavesTheReservationCharged_loggedAndCounted() throws Refusal {
        meter(Plans.budget("p", 1000, BudgetPeriod.DAY));
        Metering.Reservation reservation = metering.reserve(caller(), MODEL, 100, 500, clock.instant().plusSeconds(29));
        store.failWith(() -> new RuntimeException("timeout"));

        reservation.settle(10, 10);

        store.failWith(null);
        assertThat(used()).isEqualTo(600);
        assertThat(reservation.logFields()).containsEntry("tokenReservation", "settled_failed")
                .containsEntry("TokenSettleFailures", 1);
        assertThat(metering.stats().settleFailures).hasValue(1);
    }

    @Test
    void theEntitlement_isThePlansAllowListAndCeiling_andAnUnknownKeyMayUseNothing() throws Refusal {
        meter(Plans.models("p", Set.of(MODEL), 256));

        assertThat(metering.entitlement(caller()).models()).contains(Set.of(MODEL));
        assertThat(metering.entitlement(caller()).maxTokensCeiling()).hasValue(256);
        assertThat(metering.entitlement(new Caller("stranger", "r", Map.of())).allows(MODEL)).isFalse();
    }

    @Test
    void aNewStageVersion_reloadsTheEntitlements_atMostOnceASecond_andAMixedReadIsNotUsed() throws Refusal {
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

    @ParameterizedTest
    @EnumSource(FailureMode.class)
    void withoutEntitlements_everyCallerIsRefusedWith503_inEitherMode_andTheFirstLoadAfterTheStoreHeals_servesAgain(
            FailureMode mode) throws Refusal {
        PlanLimits plan = Plans.budget("p", 1000, BudgetPeriod.DAY);
        store = new InMemoryCounterStore(Plans.items(Map.of(KEY, "p"), plan));
        store.failWith(() -> new RuntimeException("down"));
        metering = new TokenMetering(store, mode, clock);

        Refusal unknown = catchThrowableOfType(Refusal.class, () -> metering.entitlement(caller()));
        assertThat(unknown.error().status()).isEqualTo(503);
        assertThat(unknown.error().code()).isEqualTo("service_unavailable");
        assertThat(unknown.headers()).containsEntry("Retry-After", "5");
        assertThat(unknown.logFields()).containsEntry("tokenStore", "entitlements_unavailable")
                .containsEntry("TokenStoreFailures", 1);
        assertThat(refused(10, 10).error().status()).as("serve lifts counting, never the plan").isEqualTo(503);

        store.failWith(null);
        clock.advance(Duration.ofSeconds(1));
        assertThat(metering.entitlement(caller()).plan()).contains("p");
        assertThat(metering.reserve(caller(), MODEL, 10, 10, clock.instant().plusSeconds(29)).maxOutputTokens())
                .isEqualTo(10);
    }
}
