package io.llmgateway.backend.metering;

import io.llmgateway.common.EntitlementItems;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The counters in the token table. A counter item is {@code pk = usage#<apiKeyId>},
 * {@code sk = <window>}, with {@code used} (budget units charged, reservations in flight included),
 * one attribute per UTC minute ({@code m<epochMinute>}, tokens), one per deadline second of the
 * reservations in flight ({@code f<epochSecond>}, budget units) and {@code expiresAt} (epoch seconds,
 * the table's TTL attribute).
 *
 * <p>Every call is one DynamoDB request on one item. A reservation is one conditional UpdateItem, so
 * concurrent reservations can never together pass a limit: DynamoDB applies the condition and the
 * update to the item atomically. No transaction is needed, and none is used (dynalite, the server the
 * tests run against, has no TransactWriteItems). A missing counter counts as zero in the condition
 * ({@link #atMost}), so the first reservation of a window or minute is checked like any other.
 */
public final class DynamoDbCounterStore implements CounterStore {

    static final String USAGE_PREFIX = "usage#";
    static final String USED = "used";
    static final String EXPIRES_AT = "expiresAt";
    static final String MINUTE_PREFIX = "m";
    static final String IN_FLIGHT_PREFIX = "f";

    private final DynamoDbHttp dynamo;
    private final String table;

    public DynamoDbCounterStore(DynamoDbHttp dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public List<EntitlementItems.Item> entitlementItems() {
        List<EntitlementItems.Item> items = new ArrayList<>();
        Object start = null;
        try {
            do {
                Map<String, Object> query = new LinkedHashMap<>();
                query.put("TableName", table);
                query.put("ConsistentRead", true);
                query.put("KeyConditionExpression", "#pk = :pk");
                query.put("ExpressionAttributeNames", Map.of("#pk", EntitlementItems.PARTITION_KEY));
                query.put("ExpressionAttributeValues", Map.of(":pk", s(EntitlementItems.PARTITION)));
                if (start != null) {
                    query.put("ExclusiveStartKey", start);
                }
                Map<String, Object> response = dynamo.call("Query", query);
                for (Object item : (List<?>) response.getOrDefault("Items", List.of())) {
                    Map<?, ?> attributes = (Map<?, ?>) item;
                    items.add(new EntitlementItems.Item(string(attributes, EntitlementItems.SORT_KEY),
                            string(attributes, EntitlementItems.DOC), string(attributes, EntitlementItems.VERSION)));
                }
                start = response.get("LastEvaluatedKey");
            } while (start != null);
        } catch (DynamoDbHttp.Failure e) {
            throw new StoreException("Query of the entitlements failed", e);
        }
        return items;
    }

    @Override
    public Optional<Counts> addIfWithin(Window window, Hold hold, OptionalLong minuteMax, OptionalLong usedMax) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        names.put("#m", MINUTE_PREFIX + hold.minute());
        names.put("#used", USED);
        names.put("#exp", EXPIRES_AT);
        values.put(":zero", n(0));
        values.put(":t", n(hold.tokens()));
        values.put(":u", n(hold.units()));
        values.put(":exp", n(window.expiresAt()));
        StringBuilder expression = new StringBuilder(
                "SET #m = if_not_exists(#m, :zero) + :t, #used = if_not_exists(#used, :zero) + :u, #exp = :exp");
        if (hold.deadline().isPresent()) {
            names.put("#f", IN_FLIGHT_PREFIX + hold.deadline().getAsLong());
            expression.append(", #f = if_not_exists(#f, :zero) + :u");
        }
        List<String> conditions = new ArrayList<>();
        if (minuteMax.isPresent()) {
            conditions.add(atMost("#m", ":mmax", minuteMax.getAsLong()));
            values.put(":mmax", n(minuteMax.getAsLong()));
        }
        if (usedMax.isPresent()) {
            conditions.add(atMost("#used", ":umax", usedMax.getAsLong()));
            values.put(":umax", n(usedMax.getAsLong()));
        }
        Map<String, Object> update = update(window, expression.toString(), names, values);
        if (!conditions.isEmpty()) {
            update.put("ConditionExpression", String.join(" AND ", conditions));
        }
        try {
            return Optional.of(counts((Map<?, ?>) dynamo.call("UpdateItem", update).get("Attributes")));
        } catch (DynamoDbHttp.Failure e) {
            if (e.isConditionalCheckFailed()) {
                return Optional.empty();
            }
            throw new StoreException("UpdateItem (reserve) failed", e);
        }
    }

    /**
     * "The counter, 0 when missing, is at most {@code max}". DynamoDB evaluates a comparison with a
     * missing attribute as false, so {@code attribute_not_exists(x) OR x <= :max} would let any
     * reservation onto a new item or minute, however far above the limit it is. A missing counter
     * (0) is within a max of 0 or more and never within a negative one: the condition says exactly that.
     */
    static String atMost(String counter, String max, long value) {
        return value >= 0 ? "(attribute_not_exists(" + counter + ") OR " + counter + " <= " + max + ")"
                : counter + " <= " + max;
    }

    @Override
    public Counts read(Window window) {
        Map<String, Object> get = new LinkedHashMap<>();
        get.put("TableName", table);
        get.put("Key", key(window));
        get.put("ConsistentRead", true);
        try {
            Object item = dynamo.call("GetItem", get).get("Item");
            return item == null ? Counts.EMPTY : counts((Map<?, ?>) item);
        } catch (DynamoDbHttp.Failure e) {
            throw new StoreException("GetItem failed", e);
        }
    }

    @Override
    public Counts adjust(Window window, Adjustment change) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, Object> values = new LinkedHashMap<>();
        StringBuilder expression = new StringBuilder("ADD #used :u");
        names.put("#used", USED);
        values.put(":u", n(change.units()));
        if (change.minute().isPresent()) {
            expression.append(", #m :t");
            names.put("#m", MINUTE_PREFIX + change.minute().getAsLong());
            values.put(":t", n(change.tokens()));
        }
        if (change.deadline().isPresent()) {
            expression.append(", #f :f");
            names.put("#f", IN_FLIGHT_PREFIX + change.deadline().getAsLong());
            values.put(":f", n(-change.inFlightUnits()));
        }
        // DynamoDB refuses an update that names one attribute twice: a counter it adds to is never removed.
        List<String> removed = new ArrayList<>();
        removeStale(MINUTE_PREFIX, change.staleMinutes(), change.minute(), "#s", names, removed);
        removeStale(IN_FLIGHT_PREFIX, change.staleDeadlines(), change.deadline(), "#g", names, removed);
        if (!removed.isEmpty()) {
            expression.append(" REMOVE ").append(String.join(", ", removed));
        }
        try {
            return counts((Map<?, ?>) dynamo.call("UpdateItem", update(window, expression.toString(), names, values))
                    .get("Attributes"));
        } catch (DynamoDbHttp.Failure e) {
            throw new StoreException("UpdateItem (settle) failed", e);
        }
    }

    private static void removeStale(String prefix, Collection<Long> stale, OptionalLong kept, String placeholder,
                                    Map<String, String> names, List<String> removed) {
        int i = 0;
        for (Long key : stale) {
            if (kept.isPresent() && key == kept.getAsLong()) {
                continue;
            }
            String name = placeholder + i++;
            names.put(name, prefix + key);
            removed.add(name);
        }
    }

    private Map<String, Object> update(Window window, String expression, Map<String, String> names,
                                       Map<String, Object> values) {
        Map<String, Object> update = new LinkedHashMap<>();
        update.put("TableName", table);
        update.put("Key", key(window));
        update.put("UpdateExpression", expression);
        update.put("ExpressionAttributeNames", names);
        update.put("ExpressionAttributeValues", values);
        update.put("ReturnValues", "ALL_NEW");
        return update;
    }

    private static Map<String, Object> key(Window window) {
        return Map.of(EntitlementItems.PARTITION_KEY, s(USAGE_PREFIX + window.apiKeyId()),
                EntitlementItems.SORT_KEY, s(window.window()));
    }

    static Counts counts(Map<?, ?> item) {
        long used = 0;
        TreeMap<Long, Long> minutes = new TreeMap<>();
        TreeMap<Long, Long> inFlight = new TreeMap<>();
        if (item == null) {
            return Counts.EMPTY;
        }
        for (Map.Entry<?, ?> attribute : item.entrySet()) {
            String name = (String) attribute.getKey();
            if (name.equals(USED)) {
                used = number(attribute.getValue());
            } else if (numbered(name, MINUTE_PREFIX)) {
                minutes.put(Long.parseLong(name.substring(1)), number(attribute.getValue()));
            } else if (numbered(name, IN_FLIGHT_PREFIX)) {
                inFlight.put(Long.parseLong(name.substring(1)), number(attribute.getValue()));
            }
        }
        return new Counts(used, minutes, inFlight);
    }

    /** A prefix followed by digits only: {@code m29345678}, {@code f1764151230}. */
    private static boolean numbered(String name, String prefix) {
        return name.length() > prefix.length() && name.startsWith(prefix)
                && name.chars().skip(prefix.length()).allMatch(Character::isDigit);
    }

    private static long number(Object attributeValue) {
        return Long.parseLong((String) ((Map<?, ?>) attributeValue).get("N"));
    }

    private static String string(Map<?, ?> item, String name) {
        Object value = item.get(name);
        return value instanceof Map<?, ?> map ? (String) map.get("S") : null;
    }

    private static Map<String, Object> s(String value) {
        return Map.of("S", value);
    }

    private static Map<String, Object> n(long value) {
        return Map.of("N", Long.toString(value));
    }
}
