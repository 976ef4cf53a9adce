package io.llmgateway.backend.internal;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import io.llmgateway.backend.metering.Caller;
import io.llmgateway.common.Json;
import io.llmgateway.contract.OpenAiError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;

/**
 * One proxy request as the routes need it: who calls, the body within the size limit, and how long
 * the model may take.
 *
 * @param event   the REST proxy event
 * @param caller  the caller's key id, request id and stage variables
 * @param context the invocation's context, or null outside Lambda
 */
record Request(APIGatewayProxyRequestEvent event, Caller caller, Context context) {

    /**
     * The body parsed as JSON.
     *
     * @throws RequestError 413 above {@code limit} bytes, 400 when it is not JSON
     */
    Object jsonBody(int limit) throws RequestError {
        byte[] bytes = body(limit);
        try {
            return Json.read(bytes);
        } catch (IOException | RuntimeException e) {
            throw new RequestError(OpenAiError.invalidJson());
        }
    }

    /** The body's bytes, decoded from base64 when API Gateway encoded it, within the size limit. */
    byte[] body(int limit) throws RequestError {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        byte[] bytes;
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            if (body.length() / 4L * 3 > limit + 3L) { // decodes to more than the limit
                throw new RequestError(OpenAiError.requestTooLarge(limit));
            }
            try {
                bytes = Base64.getDecoder().decode(body); // strict: API Gateway sends plain base64
            } catch (IllegalArgumentException e) {
                throw new RequestError(OpenAiError.invalidJson());
            }
        } else {
            if (body.length() > limit) { // a char is at least one UTF-8 byte: too large already
                throw new RequestError(OpenAiError.requestTooLarge(limit));
            }
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > limit) {
            throw new RequestError(OpenAiError.requestTooLarge(limit));
        }
        return bytes;
    }

    /** Milliseconds the model call may take ({@link Deadline}); zero or less when none are left. */
    long budgetMs(Clock clock, int integrationTimeoutMs) {
        ProxyRequestContext requestContext = event.getRequestContext();
        return Deadline.budgetMs(clock.millis(),
                requestContext == null ? null : requestContext.getRequestTimeEpoch(),
                integrationTimeoutMs,
                context == null ? null : context.getRemainingTimeInMillis());
    }
}
