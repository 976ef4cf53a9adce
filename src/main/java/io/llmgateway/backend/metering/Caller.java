package io.llmgateway.backend.metering;

import java.util.Map;

/**
 * Who is calling, as API Gateway tells the backend.
 *
 * @param apiKeyId       {@code requestContext.identity.apiKeyId}: the key's id (never the key); null
 *                       when the method needs no key
 * @param requestId      API Gateway's request id
 * @param stageVariables the stage's variables, as the event carries them; empty for none
 */
public record Caller(String apiKeyId, String requestId, Map<String, String> stageVariables) {
    public Caller {
        stageVariables = stageVariables == null ? Map.of() : Map.copyOf(stageVariables);
    }
}
