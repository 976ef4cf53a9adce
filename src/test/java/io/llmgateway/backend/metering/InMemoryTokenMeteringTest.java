package io.llmgateway.backend.metering;

import io.llmgateway.common.EntitlementItems;
import java.util.List;

/** {@link TokenMeteringContract} on the in-memory store the local gateway uses by default. */
class InMemoryTokenMeteringTest extends TokenMeteringContract {

    @Override
    CounterStore newStore(List<EntitlementItems.Item> items) {
        return new InMemoryCounterStore(items);
    }
}
