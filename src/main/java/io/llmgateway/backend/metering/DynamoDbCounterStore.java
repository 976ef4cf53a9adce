package io.llmgateway.backend.metering;

import io.llmgateway.common.EntitlementItems;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The counters in the token table. A counter item is {@code pk = usage#<apiKeyId>},
 * {@code sk = <window>}, with {@code used} (budget units), one attribute per UTC minute
 * ({@code m<epochMinute>}, tokens) and {@code expiresAt} (epoch seconds, the table's TTL attribute).
 *
 * <p>Every call is one DynamoDB request on one item. A reservation is one conditional UpdateItem, so
 * concurrent reservations can never together pass a limit: DynamoDB applies the condition and the
 * update to the item atomically. No transaction is needed, and none is used (dynalite, the server the
 * tests run against, has no TransactWriteItems). The condition is written as
 * {@code attribute_not_exists(x) OR x <= :max}, so a new window or minute starts from zero.
 */
public final class DynamoDbCounterStore implements CounterStore {

    static final String USAGE_PREFIX = "usage#";
    static final String USED = "used";
    static final String EXPIRES_AT = "expiresAt";
    static final String MINUTE_PREFIX = "m";

    private final DynamoDbClient client;
    private final String table;

    public DynamoDbCounterStore(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    @Override
    public List<EntitlementItems.Item> entitlementItems() {
        List<EntitlementItems.Item> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                QueryRequest.Builder query = QueryRequest.builder()
                        .tableName(table)
                        .consistentRead(true)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", EntitlementItems.PARTITION_KEY))
                        .expressionAttributeValues(Map.of(":pk", s(EntitlementItems.PARTITION)));
                if (start != null) {
                    query.exclusiveStartKey(start);
                }
                QueryResponse response = client.query(query.build());
                for (Map<String, AttributeValue> item : response.items()) {
                    items.add(new EntitlementItems.Item(string(item, EntitlementItems.SORT_KEY),
                            string(item, EntitlementItems.DOC), string(item, EntitlementItems.VERSION)));
                }
                start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty()
                        ? response.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw new StoreException("Query of the entitlements failed", e);
        }
        return items;
    }

    @Override
    public Optional<Counts> addIfWithin(Window window, long minute, long tokens, long units, OptionalLong minuteMax,
                                        OptionalLong usedMax) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#m", MINUTE_PREFIX + minute);
        names.put("#used", USED);
        names.put("#exp", EXPIRES_AT);
        values.put(":zero", n(0));
        values.put(":t", n(tokens));
        values.put(":u", n(units));
        values.put(":exp", n(window.expiresAt()));
        List<String> conditions = new ArrayList<>();
        if (minuteMax.isPresent()) {
            conditions.add("(attribute_not_exists(#m) OR #m <= :mmax)");
            values.put(":mmax", n(minuteMax.getAsLong()));
        }
        if (usedMax.isPresent()) {
            conditions.add("(attribute_not_exists(#used) OR #used <= :umax)");
            values.put(":umax", n(usedMax.getAsLong()));
        }
        try {
            UpdateItemResponse response = client.updateItem(update -> {
                update.tableName(table)
                        .key(key(window))
                        .updateExpression("SET #m = if_not_exists(#m, :zero) + :t, "
                                + "#used = if_not_exists(#used, :zero) + :u, #exp = :exp")
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnValues(ReturnValue.ALL_NEW);
                if (!conditions.isEmpty()) {
                    update.conditionExpression(String.join(" AND ", conditions));
                }
            });
            return Optional.of(counts(response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new StoreException("UpdateItem (reserve) failed", e);
        }
    }

    @Override
    public Counts read(Window window) {
        try {
            Map<String, AttributeValue> item = client.getItem(get -> get.tableName(table).key(key(window))
                    .consistentRead(true)).item();
            return item == null || item.isEmpty() ? Counts.EMPTY : counts(item);
        } catch (SdkException e) {
            throw new StoreException("GetItem failed", e);
        }
    }

    @Override
    public Counts adjust(Window window, OptionalLong minute, long tokens, long units, Collection<Long> staleMinutes) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder expression = new StringBuilder("ADD #used :u");
        names.put("#used", USED);
        values.put(":u", n(units));
        if (minute.isPresent()) {
            expression.append(", #m :t");
            names.put("#m", MINUTE_PREFIX + minute.getAsLong());
            values.put(":t", n(tokens));
        }
        List<String> removed = new ArrayList<>();
        int i = 0;
        for (Long stale : staleMinutes) {
            if (minute.isPresent() && stale == minute.getAsLong()) {
                continue;
            }
            String name = "#s" + i++;
            names.put(name, MINUTE_PREFIX + stale);
            removed.add(name);
        }
        if (!removed.isEmpty()) {
            expression.append(" REMOVE ").append(String.join(", ", removed));
        }
        try {
            UpdateItemResponse response = client.updateItem(update -> update.tableName(table)
                    .key(key(window))
                    .updateExpression(expression.toString())
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return counts(response.attributes());
        } catch (SdkException e) {
            throw new StoreException("UpdateItem (settle) failed", e);
        }
    }

    private static Map<String, AttributeValue> key(Window window) {
        return Map.of(EntitlementItems.PARTITION_KEY, s(USAGE_PREFIX + window.apiKeyId()),
                EntitlementItems.SORT_KEY, s(window.window()));
    }

    static Counts counts(Map<String, AttributeValue> item) {
        long used = 0;
        TreeMap<Long, Long> minutes = new TreeMap<>();
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            String name = attribute.getKey();
            if (name.equals(USED)) {
                used = Long.parseLong(attribute.getValue().n());
            } else if (name.length() > 1 && name.startsWith(MINUTE_PREFIX) && name.chars().skip(1).allMatch(Character::isDigit)) {
                minutes.put(Long.parseLong(name.substring(1)), Long.parseLong(attribute.getValue().n()));
            }
        }
        return new Counts(used, minutes);
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
