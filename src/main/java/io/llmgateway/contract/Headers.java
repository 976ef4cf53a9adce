package io.llmgateway.contract;

/** Header names that are part of the client contract. */
public final class Headers {
    /** OpenAI SDKs send the key here: {@code Authorization: Bearer <key>}. */
    public static final String AUTHORIZATION = "Authorization";
    /** API Gateway's own key header, still accepted. */
    public static final String X_API_KEY = "x-api-key";
    /** Seconds to wait before retrying; every 429 and 503 carries it. */
    public static final String RETRY_AFTER = "Retry-After";
    /** The caller's plan rate, in requests per minute, as OpenAI reports it. */
    public static final String X_RATELIMIT_LIMIT_REQUESTS = "x-ratelimit-limit-requests";
    /** The caller's token limit: tokens per minute, or its token budget per period when it has no per-minute limit. */
    public static final String X_RATELIMIT_LIMIT_TOKENS = "x-ratelimit-limit-tokens";
    /** What is left of that limit after this call's reservation (or, on success, its real usage). */
    public static final String X_RATELIMIT_REMAINING_TOKENS = "x-ratelimit-remaining-tokens";
    /** When that limit is whole again, in OpenAI's duration format ({@code 6m0s}, {@code 1.5s}). */
    public static final String X_RATELIMIT_RESET_TOKENS = "x-ratelimit-reset-tokens";
    /** The API Gateway request id, under the name OpenAI SDKs surface as {@code request_id}. */
    public static final String X_REQUEST_ID = "x-request-id";
    /**
     * {@code false} tells OpenAI's Python and Node SDKs not to retry, whatever the status; they read it
     * before {@code Retry-After}. Sent with {@code insufficient_quota}, which no retry can fix soon.
     */
    public static final String X_SHOULD_RETRY = "x-should-retry";
    public static final String CONTENT_TYPE = "Content-Type";
    /** The methods a path accepts; every 405 carries it (RFC 9110, section 15.5.6). */
    public static final String ALLOW = "Allow";
    public static final String CACHE_CONTROL = "Cache-Control";

    public static final String JSON = "application/json";
    public static final String EVENT_STREAM = "text/event-stream; charset=utf-8";

    private Headers() {
    }
}
