package io.llmgateway.backend.internal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;

/**
 * A REST API proxy event (payload 1.0) with the one field {@link APIGatewayProxyRequestEvent} cannot
 * hold.
 *
 * @param event    the event as aws-lambda-java-events models it
 * @param apiKeyId {@code requestContext.identity.apiKeyId}: the id of the caller's API key, safe to log
 *                 (unlike {@code identity.apiKey}, the key itself); null when the method needs no key
 */
public record ProxyRequest(APIGatewayProxyRequestEvent event, String apiKeyId) {
}
