package io.llmgateway.backend.responses;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Stored responses in memory: the local gateway's store, and the tests'. Same rules as DynamoDB's. */
public final class InMemoryResponseStore implements ResponseStore {

    private final Map<String, StoredResponse> items = new ConcurrentHashMap<>();

    @Override
    public Optional<StoredResponse> get(String id, String owner, long nowSeconds) {
        return Optional.ofNullable(items.get(id))
                .filter(r -> r.owner().equals(owner) && !r.expired(nowSeconds));
    }

    @Override
    public boolean put(StoredResponse response) {
        if (StoredResponseCodec.encode(response).length > StoredResponseCodec.MAX_BODY_BYTES) {
            return false;
        }
        items.put(response.id(), response);
        return true;
    }

    @Override
    public boolean delete(String id, String owner, long nowSeconds) {
        return get(id, owner, nowSeconds).map(r -> items.remove(id, r)).orElse(false);
    }

    /** How many responses it holds, expired ones included. */
    public int size() {
        return items.size();
    }
}
