package io.llmgateway.config;

/**
 * {@code responses.store}: whether the gateway keeps Responses API responses (their output and input
 * items) so that {@code previous_response_id}, {@code GET}/{@code DELETE /v1/responses/{id}} and
 * {@code GET /v1/responses/{id}/input_items} work. Off by default: keeping prompts and answers is the
 * operator's decision on data retention. On, they live in a DynamoDB table of their own, encrypted at
 * rest, and expire {@code ttlDays} after they were written.
 *
 * @param enabled config {@code responses.store.enabled} (default false)
 * @param ttlDays config {@code responses.store.ttlDays} (default {@value #DEFAULT_TTL_DAYS}): days until a
 *                stored response expires
 */
public record ResponseStorage(boolean enabled, int ttlDays) {

    public static final int DEFAULT_TTL_DAYS = 30;
    public static final int MIN_TTL_DAYS = 1;
    /** Ten years: DynamoDB TTL takes any epoch second, so this bound only catches a slip of the finger. */
    public static final int MAX_TTL_DAYS = 3650;
    public static final ResponseStorage OFF = new ResponseStorage(false, DEFAULT_TTL_DAYS);

    public ResponseStorage {
        if (ttlDays < MIN_TTL_DAYS || ttlDays > MAX_TTL_DAYS) {
            throw new IllegalArgumentException("ttlDays must be " + MIN_TTL_DAYS + "-" + MAX_TTL_DAYS + ", got " + ttlDays);
        }
    }
}
