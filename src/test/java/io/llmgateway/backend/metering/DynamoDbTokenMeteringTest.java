package io.llmgateway.backend.metering;

import io.llmgateway.common.EntitlementItems;
import java.util.List;

/**
 * {@link TokenMeteringContract} on the store the deployed backend uses: DynamoDB, here a real dynalite
 * on loopback, a table of its own per store.
 */
class DynamoDbTokenMeteringTest extends TokenMeteringContract {

    @Override
    CounterStore newStore(List<EntitlementItems.Item> items) {
        return CounterStoreContractTest.dynamo(items);
    }
}
