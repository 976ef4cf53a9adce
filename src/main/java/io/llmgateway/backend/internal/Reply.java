package io.llmgateway.backend.internal;

import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.contract.RateLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of a route, before the headers every response carries are added.
 *
 * @param body   the whole body; empty for a streamed answer
 * @param error  the error when this is one, for the log line; null on success
 * @param stream for a streamed answer, what writes its body as it is produced; null otherwise
 */
public record Reply(int status, String contentType, String body, OpenAiError error, Map<String, String> headers,
                    Stream stream) {

    /**
     * A body written as it is produced, flushing what should reach the client at once. An
     * {@link IOException} from the output means the client went away: stop, and return.
     */
    @FunctionalInterface
    public interface Stream {
        void writeTo(OutputStream out) throws IOException;
    }

    public Reply {
        headers = Map.copyOf(headers);
    }

    public Reply(int status, String contentType, String body, OpenAiError error, Map<String, String> headers) {
        this(status, contentType, body, error, headers, null);
    }

    /** A 200 whose body is written as it is produced. */
    public static Reply streamed(String contentType, Map<String, String> headers, Stream stream) {
        return new Reply(200, contentType, "", null, headers, stream);
    }

    /** The same answer with its body written by {@code other} (the template's settling wrapper). */
    public Reply withStream(Stream other) {
        return new Reply(status, contentType, body, error, headers, other);
    }

    public static Reply ok(String contentType, String body, Map<String, String> headers) {
        return new Reply(200, contentType, body, null, headers);
    }

    /** A refusal's error, with its headers (Retry-After, the rate-limit headers). */
    public static Reply error(Refusal refusal) {
        return error(refusal.error(), refusal.headers());
    }

    public static Reply error(OpenAiError error) {
        return error(error, Map.of());
    }

    /** Every 429 and 503 carries Retry-After: the given one, or the upstream default. */
    public static Reply error(OpenAiError error, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (error.status() == 429 || error.status() == 503) {
            all.putIfAbsent(Headers.RETRY_AFTER, Integer.toString(RateLimits.UPSTREAM_RETRY_AFTER_SECONDS));
        }
        return new Reply(error.status(), Headers.JSON, error.toJson(), error, all);
    }

    /** The same answer with more headers (the route's own win over these). */
    public Reply withHeaders(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(more);
        all.putAll(headers);
        return new Reply(status, contentType, body, error, all, stream);
    }

    /**
     * The Lambda proxy response (payload 1.0) as the runtime hands it to API Gateway: the content type,
     * then the headers every response carries, then this answer's own.
     */
    byte[] toProxyResponse(Map<String, String> common) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(Headers.CONTENT_TYPE, contentType);
        all.putAll(common);
        all.putAll(headers);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("statusCode", status);
        json.put("headers", all);
        json.put("body", body);
        json.put("isBase64Encoded", false);
        return Json.writeBytes(json);
    }
}
