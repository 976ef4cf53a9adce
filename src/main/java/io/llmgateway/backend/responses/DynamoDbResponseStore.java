package io.llmgateway.backend.responses;

import io.llmgateway.backend.metering.DynamoDbHttp;
import io.llmgateway.common.ResponseStoreSettings;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Stored responses in their DynamoDB table: one item per response, keyed by {@value #KEY}, with the
 * creating key's id ({@value #OWNER}), the expiry in unix seconds ({@value #TTL_ATTRIBUTE}, the table's
 * TTL attribute) and the gzip-compressed content ({@value #BODY}, {@link StoredResponseCodec}).
 *
 * <p>TTL deletes expired items in the background, typically within two days, and until then reads still
 * return them ("Working with expired items and time to live (TTL)",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ttl-expired-items.html; the
 * UpdateTimeToLive API reference); so a read treats an item past its expiry as absent, and a delete is
 * conditional on owner and expiry alike.
 */
public final class DynamoDbResponseStore implements ResponseStore {

    public static final String KEY = ResponseStoreSettings.KEY;
    public static final String OWNER = "owner";
    public static final String TTL_ATTRIBUTE = ResponseStoreSettings.TTL_ATTRIBUTE;
    public static final String BODY = "body";

    private final DynamoDbHttp dynamo;
    private final String table;

    public DynamoDbResponseStore(DynamoDbHttp dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<StoredResponse> get(String id, String owner, long nowSeconds) {
        Map<String, Object> get = new LinkedHashMap<>();
        get.put("TableName", table);
        get.put("Key", Map.of(KEY, Map.of("S", id)));
        get.put("ConsistentRead", true);
        Object found;
        try {
            found = dynamo.call("GetItem", get).get("Item");
        } catch (DynamoDbHttp.Failure e) {
            throw new StoreFailure("GetItem of a stored response failed", e);
        }
        if (!(found instanceof Map<?, ?> item)) {
            return Optional.empty();
        }
        String itemOwner = attribute(item, OWNER, "S");
        String expires = attribute(item, TTL_ATTRIBUTE, "N");
        String body = attribute(item, BODY, "B");
        if (!owner.equals(itemOwner) || expires == null || body == null || nowSeconds >= Long.parseLong(expires)) {
            return Optional.empty();
        }
        return Optional.of(StoredResponseCodec.decode(id, owner, Long.parseLong(expires),
                Base64.getDecoder().decode(body)));
    }

    @Override
    public boolean put(StoredResponse response) {
        byte[] body = StoredResponseCodec.encode(response);
        if (body.length > StoredResponseCodec.MAX_BODY_BYTES) {
            return false;
        }
        Map<String, Object> item = new LinkedHashMap<>();
        item.put(KEY, Map.of("S", response.id()));
        item.put(OWNER, Map.of("S", response.owner()));
        item.put(TTL_ATTRIBUTE, Map.of("N", Long.toString(response.expiresAt())));
        item.put(BODY, Map.of("B", Base64.getEncoder().encodeToString(body)));
        try {
            dynamo.call("PutItem", Map.of("TableName", table, "Item", item));
        } catch (DynamoDbHttp.Failure e) {
            throw new StoreFailure("PutItem of a stored response failed", e);
        }
        return true;
    }

    @Override
    public boolean delete(String id, String owner, long nowSeconds) {
        Map<String, Object> delete = new LinkedHashMap<>();
        delete.put("TableName", table);
        delete.put("Key", Map.of(KEY, Map.of("S", id)));
        delete.put("ConditionExpression", "#o = :o AND #e > :now");
        delete.put("ExpressionAttributeNames", Map.of("#o", OWNER, "#e", TTL_ATTRIBUTE));
        delete.put("ExpressionAttributeValues", Map.of(":o", Map.of("S", owner),
                ":now", Map.of("N", Long.toString(nowSeconds))));
        try {
            dynamo.call("DeleteItem", delete);
            return true;
        } catch (DynamoDbHttp.Failure e) {
            if (e.isConditionalCheckFailed()) {
                return false;
            }
            throw new StoreFailure("DeleteItem of a stored response failed", e);
        }
    }

    private static String attribute(Map<?, ?> item, String name, String type) {
        return item.get(name) instanceof Map<?, ?> value && value.get(type) instanceof String s ? s : null;
    }
}
