package io.llmgateway.local;

import io.llmgateway.backend.metering.CounterStore;
import io.llmgateway.backend.metering.DynamoDbCounterStore;
import io.llmgateway.backend.metering.DynamoDbHttp;
import io.llmgateway.common.EntitlementItems;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local gateway's token table on a DynamoDB endpoint ({@code --dynamodb-endpoint}): it plays the
 * stack's part, creating the table when it is missing (on-demand, the stack's key schema) and writing
 * the entitlement items for this run's keys, then meters on it with the backend's own store.
 *
 * <p>It overwrites the entitlement items of the table it is given: point it at a table of its own
 * (the default name is {@value #DEFAULT_TABLE}), never at a deployed stack's.
 */
final class LocalTokenTable {

    static final String DEFAULT_TABLE = "llm-gateway-local-tokens";

    private LocalTokenTable() {
    }

    static CounterStore open(DynamoDbHttp dynamo, String table, List<EntitlementItems.Item> items) {
        try {
            dynamo.call("CreateTable", Map.of(
                    "TableName", table,
                    "BillingMode", "PAY_PER_REQUEST",
                    "AttributeDefinitions", List.of(
                            Map.of("AttributeName", EntitlementItems.PARTITION_KEY, "AttributeType", "S"),
                            Map.of("AttributeName", EntitlementItems.SORT_KEY, "AttributeType", "S")),
                    "KeySchema", List.of(
                            Map.of("AttributeName", EntitlementItems.PARTITION_KEY, "KeyType", "HASH"),
                            Map.of("AttributeName", EntitlementItems.SORT_KEY, "KeyType", "RANGE"))));
        } catch (DynamoDbHttp.Failure e) {
            if (!"ResourceInUseException".equals(e.type())) {
                throw e;
            }
        }
        awaitActive(dynamo, table);
        for (EntitlementItems.Item item : items) {
            Map<String, Object> attributes = new LinkedHashMap<>();
            attributes.put(EntitlementItems.PARTITION_KEY, Map.of("S", EntitlementItems.PARTITION));
            attributes.put(EntitlementItems.SORT_KEY, Map.of("S", item.sortKey()));
            attributes.put(EntitlementItems.VERSION, Map.of("S", item.version()));
            attributes.put(EntitlementItems.DOC, Map.of("S", item.doc()));
            dynamo.call("PutItem", Map.of("TableName", table, "Item", attributes));
        }
        return new DynamoDbCounterStore(dynamo, table);
    }

    /** A new table is CREATING for a while and takes no items until it is ACTIVE. */
    private static void awaitActive(DynamoDbHttp dynamo, String table) {
        for (int attempt = 0; attempt < 120; attempt++) {
            Object description = dynamo.call("DescribeTable", Map.of("TableName", table)).get("Table");
            if (description instanceof Map<?, ?> map && "ACTIVE".equals(map.get("TableStatus"))) {
                return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for table " + table);
            }
        }
        throw new IllegalStateException("table " + table + " did not become ACTIVE within a minute");
    }
}
