package io.llmgateway.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.llmgateway.backend.metering.CounterStore;
import io.llmgateway.backend.metering.TokenMetering;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.Json;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenStoreSettings.FailureMode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * SnapStart's afterRestore hooks must finish within 10 s (Lambda developer guide,
 * "snapstart-runtime-hooks-java"): a token table that answers slowly must not fail the restore.
 */
class EntitlementReloadTest {

    private static final List<EntitlementItems.Item> ITEMS = EntitlementItems.items(
            Map.of("p", PlanLimits.unlimited("p")), Map.of("key-1", "p"), 1);

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger reads = new AtomicInteger();

    /** Answers the first read (at init), then only once released, as a table that stopped answering. */
    private CounterStore hangingStore() {
        CounterStore store = mock(CounterStore.class);
        when(store.entitlementItems()).thenAnswer(call -> {
            if (reads.incrementAndGet() > 1) {
                release.await();
            }
            return ITEMS;
        });
        return store;
    }

    @Test
    void aStoreThatDoesNotAnswer_leavesTheRestoreWithinItsBudget_andTheReloadGoesOnBehind() throws Exception {
        TokenMetering metering = new TokenMetering(hangingStore(), FailureMode.REFUSE, Clock.systemUTC());
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        EntitlementReload reload = new EntitlementReload(metering, log::add, Duration.ofMillis(200));
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> reload.afterRestore(null));

            assertThat(log).singleElement().satisfies(line -> {
                Map<String, Object> fields = Json.readObject(line);
                assertThat(fields).containsEntry("event", "entitlements_reloaded").containsEntry("loaded", false);
                assertThat((String) fields.get("cause")).contains("200 ms");
            });
            assertThat(metering.entitlements()).isPresent(); // the snapshot's, meanwhile
        } finally {
            release.countDown();
        }
    }

    @Test
    void aStoreThatAnswers_isReloadedBeforeTheHookReturns() throws Exception {
        release.countDown();
        TokenMetering metering = new TokenMetering(hangingStore(), FailureMode.REFUSE, Clock.systemUTC());
        List<String> log = new ArrayList<>();

        new EntitlementReload(metering, log::add, Duration.ofSeconds(5)).afterRestore(null);

        assertThat(reads).hasValue(2);
        assertThat(Json.readObject(log.get(0))).containsEntry("loaded", true)
                .containsEntry("version", ITEMS.get(0).version());
    }
}
