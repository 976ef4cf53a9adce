package io.llmgateway.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every gateway response the API declares. API Gateway's defaults are non-OpenAI bodies
 * ({@code {"message":"Forbidden"}}) and 403 for a bad key, which OpenAI SDKs misread; these replace
 * them. Each 429 carries {@code Retry-After} so SDK retry logic backs off correctly.
 */
public final class GatewayResponses {

    public static final String THROTTLED = "THROTTLED";
    public static final String QUOTA_EXCEEDED = "QUOTA_EXCEEDED";
    public static final String INVALID_API_KEY = "INVALID_API_KEY";
    public static final String ACCESS_DENIED = "ACCESS_DENIED";
    public static final String UNAUTHORIZED = "UNAUTHORIZED";
    public static final String MISSING_AUTHENTICATION_TOKEN = "MISSING_AUTHENTICATION_TOKEN";
    public static final String REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE";
    public static final String INTEGRATION_TIMEOUT = "INTEGRATION_TIMEOUT";
    public static final String INTEGRATION_FAILURE = "INTEGRATION_FAILURE";
    public static final String AUTHORIZER_FAILURE = "AUTHORIZER_FAILURE";
    public static final String AUTHORIZER_CONFIGURATION_ERROR = "AUTHORIZER_CONFIGURATION_ERROR";
    public static final String DEFAULT_4XX = "DEFAULT_4XX";
    public static final String DEFAULT_5XX = "DEFAULT_5XX";

    /**
     * Which headers the authorizer reads a key from. With authorizer caching, API Gateway caches
     * the answer under the Authorization header alone, so only Bearer keys can work.
     */
    public enum KeyHeaders {
        /** {@code Authorization: Bearer <key>}, or {@code x-api-key} when there is no Authorization header. */
        BEARER_OR_X_API_KEY("You didn't provide an API key. Send it in an Authorization header using "
                + "Bearer auth (Authorization: Bearer YOUR_KEY), or in an x-api-key header on a request "
                + "without an Authorization header."),
        /** {@code Authorization: Bearer <key>} only. */
        BEARER_ONLY("You didn't provide an API key. Send it in an Authorization header using Bearer "
                + "auth (Authorization: Bearer YOUR_KEY).");

        private final String missingKeyMessage;

        KeyHeaders(String missingKeyMessage) {
            this.missingKeyMessage = missingKeyMessage;
        }

        /** OpenAI's message for a request without a usable key, for these headers. */
        public String missingKeyMessage() {
            return missingKeyMessage;
        }
    }

    public static final String INVALID_KEY_MESSAGE = "Incorrect API key provided. Check the key, "
            + "or ask the gateway's operators for a valid one.";

    public static final String ACCESS_DENIED_MESSAGE = "The API's resource policy denied this request: it is a "
            + "private API, reachable only through the VPC endpoints it lists, and this request came through none "
            + "of them. Call it from a VPC with one of those endpoints, or ask the gateway's operators to add yours.";

    private GatewayResponses() {
    }

    /**
     * All gateway responses.
     *
     * @param throttledRetryAfterSeconds Retry-After for THROTTLED, from
     *                                   {@link RateLimits#throttledRetryAfterSeconds(double)}
     * @param keyHeaders                 where clients may send their key, for the 401 messages
     */
    public static List<GatewayResponse> all(int throttledRetryAfterSeconds, KeyHeaders keyHeaders) {
        return List.of(
                response(THROTTLED, 429, OpenAiError.REQUESTS, "rate_limit_exceeded",
                        "Rate limit reached for requests on this API key. Please retry after the "
                                + "number of seconds in the Retry-After header.",
                        Map.of(Headers.RETRY_AFTER, Integer.toString(throttledRetryAfterSeconds))),
                response(QUOTA_EXCEEDED, 429, OpenAiError.INSUFFICIENT_QUOTA, "insufficient_quota",
                        "You exceeded your current quota for this API key. It renews at the start "
                                + "of the next quota period; ask the gateway's operators for a larger plan.",
                        // OpenAI's SDKs would otherwise sleep Retry-After (an hour) and retry: the
                        // Python and Node SDKs honour x-should-retry before anything else.
                        Map.of(Headers.RETRY_AFTER, Integer.toString(RateLimits.QUOTA_RETRY_AFTER_SECONDS),
                                Headers.X_SHOULD_RETRY, "false")),
                // API Gateway's default for these is 403; OpenAI SDKs raise AuthenticationError on 401.
                response(INVALID_API_KEY, 401, OpenAiError.INVALID_REQUEST, "invalid_api_key",
                        INVALID_KEY_MESSAGE, Map.of()),
                // A policy refused the request. The authorizer never returns a Deny, so this is a private
                // API's resource policy: the request did not come through one of its VPC endpoints. 403,
                // not the key's 401: the key may be fine.
                response(ACCESS_DENIED, 403, OpenAiError.INVALID_REQUEST, "access_denied",
                        ACCESS_DENIED_MESSAGE, Map.of()),
                // No usable key: the authorizer failed with "Unauthorized", or, with authorizer caching,
                // API Gateway found the identity source header missing before it ran (401, as OpenAI).
                response(UNAUTHORIZED, 401, OpenAiError.INVALID_REQUEST, "invalid_api_key",
                        keyHeaders.missingKeyMessage(), Map.of()),
                // What API Gateway sends for a path or method it has no method for: 404, as OpenAI.
                response(MISSING_AUTHENTICATION_TOKEN, 404, OpenAiError.INVALID_REQUEST, "unknown_url",
                        "Invalid URL. This gateway serves " + Route.summary() + " under its base URL.", Map.of()),
                response(REQUEST_TOO_LARGE, 413, OpenAiError.INVALID_REQUEST, "request_too_large",
                        "The request body is larger than API Gateway's 10 MB limit.", Map.of()),
                response(INTEGRATION_TIMEOUT, OpenAiError.timeout()),
                response(INTEGRATION_FAILURE, 502, OpenAiError.SERVER_ERROR, "bad_gateway",
                        "The gateway's backend failed to answer. Please retry.", Map.of()),
                response(AUTHORIZER_FAILURE, 500, OpenAiError.SERVER_ERROR, "internal_error",
                        "The gateway could not check your API key. Please retry.", Map.of()),
                response(AUTHORIZER_CONFIGURATION_ERROR, 500, OpenAiError.SERVER_ERROR, "internal_error",
                        "The gateway could not check your API key. Please retry.", Map.of()),
                response(DEFAULT_4XX, null, OpenAiError.INVALID_REQUEST, null, null,
                        Map.of()),
                response(DEFAULT_5XX, null, OpenAiError.SERVER_ERROR, null, null,
                        Map.of()));
    }

    /** The backend's own answer to the same fault, so both say the same thing. */
    private static GatewayResponse response(String type, OpenAiError error) {
        return response(type, error.status(), error.type(), error.code(), error.message(), Map.of());
    }

    /** Every gateway response is JSON, so each declares its Content-Type beside its own headers. */
    private static GatewayResponse response(String type, Integer status, String errorType, String code,
                                            String message, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(Headers.CONTENT_TYPE, Headers.JSON);
        return new GatewayResponse(type, status, errorType, code, message, all);
    }

    public static Optional<GatewayResponse> find(List<GatewayResponse> responses, String responseType) {
        return responses.stream().filter(r -> r.responseType().equals(responseType)).findFirst();
    }
}
