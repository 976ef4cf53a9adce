package io.llmgateway.contract;

import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error as OpenAI sends it: {@code {"error":{"message","type","param","code"}}} with an HTTP
 * status. Every error the gateway returns, from API Gateway or from the backend, has this shape.
 *
 * @param status  HTTP status
 * @param type    OpenAI's {@code error.type}, e.g. {@code invalid_request_error}
 * @param code    OpenAI's {@code error.code}, e.g. {@code model_not_found}; may be null
 * @param param   the request field at fault, e.g. {@code messages[0].role}; may be null
 * @param message a human-readable message that never contains secrets, prompts or stack traces
 */
public record OpenAiError(int status, String type, String code, String param, String message) {

    public static final String INVALID_REQUEST = "invalid_request_error";
    public static final String SERVER_ERROR = "server_error";
    /** OpenAI's type for request-rate limits. */
    public static final String REQUESTS = "requests";
    /** OpenAI's type for token-rate limits (Bedrock's quotas are tokens per minute). */
    public static final String TOKENS = "tokens";
    public static final String INSUFFICIENT_QUOTA = "insufficient_quota";

    public static OpenAiError invalidRequest(String param, String message) {
        return new OpenAiError(400, INVALID_REQUEST, "invalid_request", param, message);
    }

    public static OpenAiError invalidValue(String param, String message) {
        return new OpenAiError(400, INVALID_REQUEST, "invalid_value", param, message);
    }

    /** A field of the wrong JSON type, as OpenAI reports it ({@code code: invalid_type}). */
    public static OpenAiError invalidType(String param, String message) {
        return new OpenAiError(400, INVALID_REQUEST, "invalid_type", param, message);
    }

    public static OpenAiError missingParameter(String param) {
        return new OpenAiError(400, INVALID_REQUEST, "missing_required_parameter", param,
                "Missing required parameter: '" + param + "'.");
    }

    /** A body that is not JSON at all; OpenAI's wording. */
    public static OpenAiError invalidJson() {
        return new OpenAiError(400, INVALID_REQUEST, "invalid_json", null,
                "We could not parse the JSON body of your request. The API expects a JSON payload, "
                        + "but what was sent was not valid JSON.");
    }

    public static OpenAiError unsupported(String param, String message) {
        return new OpenAiError(400, INVALID_REQUEST, "unsupported_parameter", param, message);
    }

    public static OpenAiError modelNotFound(String model) {
        return new OpenAiError(404, INVALID_REQUEST, "model_not_found", "model",
                "The model " + Text.quote(model) + " does not exist or you do not have access to it. "
                        + "GET /v1/models lists the models this gateway serves.");
    }

    /**
     * A stored response that this key cannot see: missing, expired, or another key's. OpenAI's 404 and
     * wording; never a 403, which would tell that it exists.
     */
    public static OpenAiError responseNotFound(String id) {
        return new OpenAiError(404, INVALID_REQUEST, null, null,
                "Response with id " + Text.quote(id) + " not found.");
    }

    /** {@code previous_response_id} naming a response this key cannot see; OpenAI's wording. */
    public static OpenAiError previousResponseNotFound(String id) {
        return new OpenAiError(404, INVALID_REQUEST, "previous_response_not_found", "previous_response_id",
                "Previous response with id " + Text.quote(id) + " not found.");
    }

    /** The response store did not answer: retry, as for any 503. */
    public static OpenAiError responseStoreUnavailable() {
        return new OpenAiError(503, SERVER_ERROR, "service_unavailable", null,
                "The gateway could not reach its store of responses. Please retry after the number of seconds "
                        + "in the Retry-After header.");
    }

    public static OpenAiError unknownUrl(String method, String path) {
        return new OpenAiError(404, INVALID_REQUEST, "unknown_url", null,
                "Invalid URL (" + method + " " + path + "). This gateway serves " + Route.summary() + ".");
    }

    public static OpenAiError methodNotAllowed(String method, String path, String allowed) {
        return new OpenAiError(405, INVALID_REQUEST, "method_not_allowed", null,
                "Method " + method + " is not allowed on " + path + "; use " + allowed + ".");
    }

    public static OpenAiError requestTooLarge(long limitBytes) {
        return new OpenAiError(413, INVALID_REQUEST, "request_too_large", null,
                "The request body is larger than this gateway's limit of " + limitBytes + " bytes.");
    }

    public static OpenAiError upstreamRateLimited() {
        return new OpenAiError(429, TOKENS, "rate_limit_exceeded", null,
                "The model is receiving more requests than its capacity allows. "
                        + "Please retry after the number of seconds in the Retry-After header.");
    }

    /** The caller's tokens per minute are spent until the next minute. */
    public static OpenAiError tokensPerMinuteExceeded(String model, long limit, long used, long requested,
                                                     long retryAfterSeconds) {
        return new OpenAiError(429, TOKENS, "rate_limit_exceeded", null,
                "Rate limit reached for " + Text.quote(model) + " on tokens per min (TPM): Limit " + limit + ", Used "
                        + used + ", Requested " + requested + ". Please try again in " + retryAfterSeconds + "s.");
    }

    /** One request needs more tokens than the caller's whole minute holds: no retry can help. */
    public static OpenAiError requestTooLargeForTokensPerMinute(String model, long limit, long requested) {
        return new OpenAiError(429, TOKENS, "rate_limit_exceeded", null,
                "Request too large for " + Text.quote(model) + " on tokens per min (TPM): Limit " + limit
                        + ", Requested " + requested + ". The input or output tokens must be reduced in order to run "
                        + "successfully.");
    }

    /** The caller's token or USD budget for this period is spent. */
    public static OpenAiError budgetExhausted(String period, long retryAfterSeconds) {
        return new OpenAiError(429, INSUFFICIENT_QUOTA, "insufficient_quota", null,
                "You exceeded your current token budget for this " + period + ". It renews in " + retryAfterSeconds
                        + " seconds; ask the gateway's operators for a bigger plan.");
    }

    /**
     * The caller's budget has room, but calls of its own still in flight hold it: retryable, once they
     * settle (the Retry-After header says by when at the latest).
     */
    public static OpenAiError budgetHeldInFlight(String period, long retryAfterSeconds) {
        return new OpenAiError(429, TOKENS, "rate_limit_exceeded", null,
                "What is left of your token budget for this " + period + " is held by your requests still in "
                        + "flight. Please try again in " + retryAfterSeconds + "s, when they have settled.");
    }

    /** The token counters could not be reached, and the deployment refuses rather than serve uncounted. */
    /**
     * The caller's plan cannot be known (its entitlements could not be read): the gateway neither calls
     * nor lists a model for it, rather than guess what the key may use.
     */
    public static OpenAiError entitlementsUnavailable() {
        return new OpenAiError(503, SERVER_ERROR, "service_unavailable", null,
                "The gateway cannot tell which models your key may use right now. Please retry after the number "
                        + "of seconds in the Retry-After header.");
    }

    public static OpenAiError tokenStoreUnavailable() {
        return new OpenAiError(503, SERVER_ERROR, "service_unavailable", null,
                "The gateway cannot count tokens right now. Please retry after the number of seconds in the "
                        + "Retry-After header.");
    }

    /**
     * A request the gateway's web application firewall (AWS WAF) blocked: an IP deny list, an IP
     * outside the allow list, or a managed rule. 403, which OpenAI's SDKs raise as a permission error.
     */
    public static OpenAiError firewallBlocked() {
        return new OpenAiError(403, INVALID_REQUEST, "request_blocked", null,
                "The gateway's firewall blocked this request. If you think it should not have, "
                        + "tell the gateway's operators when you sent it.");
    }

    /** Too many requests from one IP address for the firewall's rate-based rule (AWS WAF). */
    public static OpenAiError firewallRateLimited() {
        return new OpenAiError(429, REQUESTS, "rate_limit_exceeded", null,
                "Too many requests from your IP address. Please retry after the number of seconds "
                        + "in the Retry-After header.");
    }

    public static OpenAiError internal() {
        return new OpenAiError(500, SERVER_ERROR, "internal_error", null,
                "The gateway could not process your request because of a configuration problem "
                        + "on our side. The operators have been told; please contact them if it persists.");
    }

    public static OpenAiError unavailable() {
        return new OpenAiError(503, SERVER_ERROR, "service_unavailable", null,
                "The model is temporarily unavailable. Please retry after the number of seconds "
                        + "in the Retry-After header.");
    }

    /**
     * The local gateway holds as many request bodies as its memory allows; this one is refused
     * unread. 503, which OpenAI's SDKs retry after Retry-After.
     */
    public static OpenAiError gatewayBusy() {
        return new OpenAiError(503, SERVER_ERROR, "service_unavailable", null,
                "The gateway is receiving as many request bodies as it can hold. Please retry after the "
                        + "number of seconds in the Retry-After header.");
    }

    /** A request the local gateway's HTTP server could not read as HTTP: a malformed line, header or URL. */
    public static OpenAiError malformedHttp() {
        return new OpenAiError(400, INVALID_REQUEST, "invalid_request", null,
                "The request is not valid HTTP: its request line, a header or its URL is malformed.");
    }

    /** The request line and headers are larger than API Gateway takes. */
    public static OpenAiError headersTooLarge(int limitBytes) {
        return new OpenAiError(431, INVALID_REQUEST, "request_header_fields_too_large", null,
                "The request line and headers are larger than the gateway's limit of " + String.format("%,d", limitBytes)
                        + " bytes (API Gateway's). Send a shorter URL or smaller headers.");
    }

    /** Any other refusal of the HTTP server itself, by status. */
    public static OpenAiError httpStatus(int status) {
        return new OpenAiError(status, status >= 500 ? SERVER_ERROR : INVALID_REQUEST,
                status >= 500 ? "server_error" : "invalid_request", null,
                "The gateway's HTTP server refused the request (HTTP " + status + ").");
    }

    public static OpenAiError timeout() {
        return new OpenAiError(504, SERVER_ERROR, "timeout", null,
                "The model did not answer before the gateway's deadline. Retry with a shorter "
                        + "prompt or a lower max_tokens.");
    }

    /** The JSON body as an ordered map, ready for any JSON writer. */
    public Map<String, Object> toBody() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return Map.of("error", error);
    }

    public String toJson() {
        return Json.write(toBody());
    }
}
