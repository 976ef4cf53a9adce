package io.llmgateway.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.llmgateway.backend.authorizer.ApiKeyAuthorizer;
import io.llmgateway.common.Json;
import io.llmgateway.contract.GatewayResponses;
import io.llmgateway.contract.Headers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * API Gateway's side of the REQUEST Lambda authorizer: it builds the event API Gateway sends, runs
 * the deployed authorizer class, reads the policy it returns, and, with {@code authorizerCacheTtlSeconds}
 * &gt; 0, caches that policy under the identity source, the Authorization header. Whether the key it
 * finds exists and is enabled is not its business: the pipeline checks that on every request, cached
 * or not, as API Gateway does.
 */
final class AuthorizerEmulation {

    /** The authorizer function's size and timeout, as the stack deploys it (AuthorizerFunction). */
    static final int MEMORY_MB = 512;
    static final long TIMEOUT_MS = 5_000;

    /** The policy the authorizer returned: Allow with the key usage plans should meter, or Deny. */
    record Policy(String usageIdentifierKey) {
        static final Policy DENY = new Policy(null);

        boolean allows() {
            return usageIdentifierKey != null;
        }
    }

    /** What the authorizer step decides. */
    sealed interface Verdict {
        /** @param apiKey the key to check against the usage plans */
        record Allowed(String apiKey) implements Verdict {
        }

        /** @param responseType the gateway response API Gateway sends */
        record Refused(String responseType) implements Verdict {
        }
    }

    private final RequestStreamHandler authorizer;
    private final AuthorizerCache cache;
    private final String stage;
    private final LocalClock clock;
    private final Consumer<String> functionLog;

    /**
     * @param cache null when the stack does not cache authorizer answers
     */
    AuthorizerEmulation(RequestStreamHandler authorizer, AuthorizerCache cache, String stage, LocalClock clock,
                        Consumer<String> functionLog) {
        this.authorizer = authorizer;
        this.cache = cache;
        this.stage = stage;
        this.clock = clock;
        this.functionLog = functionLog;
    }

    Verdict authorize(IncomingRequest request, String resourcePath, String requestId) {
        Policy policy;
        if (cache != null) {
            // With caching the identity source is the Authorization header: API Gateway answers 401
            // UNAUTHORIZED without running the authorizer when it is missing or empty, and otherwise
            // caches the policy under its value.
            String identity = request.header(Headers.AUTHORIZATION);
            if (identity == null || identity.isBlank()) {
                return new Verdict.Refused(GatewayResponses.UNAUTHORIZED);
            }
            long now = clock.nanoTime();
            policy = cache.get(identity, now);
            if (policy == null) {
                try {
                    policy = invoke(request, resourcePath, requestId);
                } catch (Unauthorized e) {
                    return new Verdict.Refused(GatewayResponses.UNAUTHORIZED);
                }
                if (policy == null) {
                    return new Verdict.Refused(GatewayResponses.AUTHORIZER_CONFIGURATION_ERROR);
                }
                cache.put(identity, policy, now);
            }
        } else {
            try {
                policy = invoke(request, resourcePath, requestId);
            } catch (Unauthorized e) {
                return new Verdict.Refused(GatewayResponses.UNAUTHORIZED);
            }
            if (policy == null) {
                return new Verdict.Refused(GatewayResponses.AUTHORIZER_CONFIGURATION_ERROR);
            }
        }
        return policy.allows() ? new Verdict.Allowed(policy.usageIdentifierKey())
                : new Verdict.Refused(GatewayResponses.ACCESS_DENIED);
    }

    /** The authorizer failed with "Unauthorized": API Gateway answers 401 UNAUTHORIZED and caches nothing. */
    private static final class Unauthorized extends Exception {
        private static final long serialVersionUID = 1L;

        Unauthorized() {
            super(null, null, false, false);
        }
    }

    /** Runs the authorizer on the REQUEST event API Gateway would send; null when it failed or answered nonsense. */
    @SuppressWarnings("unchecked")
    private Policy invoke(IncomingRequest request, String resourcePath, String requestId) throws Unauthorized {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "REQUEST");
        event.put("methodArn", "arn:aws:execute-api:local:" + LocalGateway.ACCOUNT_ID + ":" + LocalGateway.API_ID + "/"
                + stage + "/" + request.method() + resourcePath);
        event.put("resource", resourcePath);
        event.put("path", resourcePath);
        event.put("httpMethod", request.method());
        event.put("headers", IncomingRequest.lastValues(request.headers()));
        event.put("multiValueHeaders", request.headers());
        event.put("queryStringParameters", IncomingRequest.lastValues(request.queryParameters()));
        event.put("requestContext", Map.of("requestId", requestId, "stage", stage, "apiId", LocalGateway.API_ID,
                "accountId", LocalGateway.ACCOUNT_ID, "httpMethod", request.method(), "resourcePath", resourcePath));
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            authorizer.handleRequest(new ByteArrayInputStream(Json.writeBytes(event)), out,
                    LambdaInvoker.context(requestId, "authorizer", MEMORY_MB, TIMEOUT_MS, clock, functionLog));
            Map<String, Object> policy = (Map<String, Object>) Json.read(out.toByteArray());
            Map<String, Object> document = (Map<String, Object>) policy.get("policyDocument");
            List<Map<String, Object>> statements = (List<Map<String, Object>>) document.get("Statement");
            boolean allowed = !statements.isEmpty() && statements.stream().allMatch(s -> "Allow".equals(s.get("Effect")));
            return allowed && policy.get("usageIdentifierKey") instanceof String key ? new Policy(key) : Policy.DENY;
        } catch (IOException | RuntimeException e) {
            if (ApiKeyAuthorizer.UNAUTHORIZED.equals(e.getMessage())) {
                throw new Unauthorized();
            }
            // API Gateway answers a failed or malformed authorizer with a 500 (AuthorizerConfigurationException).
            return null;
        }
    }
}
