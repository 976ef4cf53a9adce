package io.llmgateway.backend.internal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.contract.RateLimits;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of a route, before the headers every response carries are added.
 *
 * @param error the error when this is one, for the log line; null on success
 */
record Reply(int status, String contentType, String body, OpenAiError error, Map<String, String> headers) {

    Reply {
        headers = Map.copyOf(headers);
    }

    static Reply ok(String contentType, String body, Map<String, String> headers) {
        return new Reply(200, contentType, body, null, headers);
    }

    static Reply error(Refusal refusal) {
        return error(refusal.error(), refusal.headers());
    }

    static Reply error(OpenAiError error) {
        return error(error, Map.of());
    }

    /** Every 429 and 503 carries Retry-After: the given one, or the upstream default. */
    static Reply error(OpenAiError error, Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (error.status() == 429 || error.status() == 503) {
            all.putIfAbsent(Headers.RETRY_AFTER, Integer.toString(RateLimits.UPSTREAM_RETRY_AFTER_SECONDS));
        }
        return new Reply(error.status(), Headers.JSON, error.toJson(), error, all);
    }

    /** The same answer with more headers (the route's own win over these). */
    Reply withHeaders(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(more);
        all.putAll(headers);
        return new Reply(status, contentType, body, error, all);
    }

    APIGatewayProxyResponseEvent toEvent(Map<String, String> common) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put(Headers.CONTENT_TYPE, contentType);
        all.putAll(common);
        all.putAll(headers);
        APIGatewayProxyResponseEvent event = new APIGatewayProxyResponseEvent();
        event.setStatusCode(status);
        event.setHeaders(all);
        event.setBody(body);
        event.setIsBase64Encoded(false);
        return event;
    }
}
