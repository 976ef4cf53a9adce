package io.llmgateway.backend.responses;

import java.util.Optional;

/**
 * Where stored responses live: DynamoDB on Lambda ({@link DynamoDbResponseStore}), memory in the local
 * gateway and tests ({@link InMemoryResponseStore}). Every read is by id and owner together: a response
 * of another key, or one past its expiry, is absent, so nobody learns that it exists.
 */
public interface ResponseStore {

    /** The response with this id created by this key and not expired at {@code nowSeconds}. */
    Optional<StoredResponse> get(String id, String owner, long nowSeconds);

    /**
     * Stores a response.
     *
     * @return false when it is too large to store (it is then not stored)
     */
    boolean put(StoredResponse response);

    /** Deletes the response with this id if this key created it and it has not expired; true when it did. */
    boolean delete(String id, String owner, long nowSeconds);

    /** A store failed to answer; the request gets a 503 or, for a write after the answer, a log line. */
    final class StoreFailure extends RuntimeException {
        public StoreFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
