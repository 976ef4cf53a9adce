package io.llmgateway.backend.authorizer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The API Gateway REQUEST authorizer that lets OpenAI SDKs keep their {@code Authorization: Bearer}
 * header while usage plans still meter the key.
 *
 * <p>The API's {@code apiKeySource} is AUTHORIZER: API Gateway reads the key to check against usage
 * plans from this authorizer's {@code usageIdentifierKey} (developer guide, "API key source"). So
 * this authorizer only <em>finds</em> the key, in {@code Authorization: Bearer <key>} or, on a
 * request without an Authorization header, in {@code x-api-key} (see {@link #decide}); it never decides whether the key is valid. API Gateway does that on every
 * request, even when this answer is cached, and answers an unknown or disabled key with
 * INVALID_API_KEY. A request with no usable key fails with the error {@code Unauthorized}, which API
 * Gateway answers with the UNAUTHORIZED gateway response (401 {@code invalid_api_key}): "callback
 * ('Unauthorized'); // Return a 401 Unauthorized response" (API Gateway developer guide, "Use API
 * Gateway Lambda authorizers", example authorizer functions). It never returns a Deny: API Gateway
 * answers a Deny with ACCESS_DENIED, which this stack keeps for what only a policy can refuse, a
 * private API's resource policy (403).
 *
 * <p>It needs no AWS SDK: jackson-core's streaming parser reads only the fields it needs, so the
 * function stays small and starts fast.
 */
public final class ApiKeyAuthorizer implements RequestStreamHandler {

    /** API Gateway keys are 20-128 characters; anything longer cannot be a key and is not passed on. */
    static final int MAX_KEY_LENGTH = 256;
    /** The error message API Gateway turns into 401 UNAUTHORIZED (the developer guide's examples). */
    public static final String UNAUTHORIZED = "Unauthorized";

    /** A request without a usable key: the function fails with {@value #UNAUTHORIZED}, without a stack trace. */
    public static final class Unauthorized extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unauthorized() {
            super(UNAUTHORIZED, null, false, false);
        }
    }

    /** The principalId of every Allow; the key itself never appears in it. */
    public static final String PRINCIPAL = "api-key";

    private static final JsonFactory JSON = new JsonFactory();

    private final Consumer<String> log;

    /** Lambda's init: deny lines go to standard output, which Lambda ships to CloudWatch Logs. */
    public ApiKeyAuthorizer() {
        this(System.out::println);
    }

    /** With its deny lines (JSON, never the key) going to {@code log}. */
    public ApiKeyAuthorizer(Consumer<String> log) {
        this.log = log;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        Decision decision;
        try {
            decision = decide(readRequest(input));
        } catch (IOException | RuntimeException e) {
            // Not an authorizer event we understand: refuse, so the client gets a clean 401 instead
            // of API Gateway's 500 AUTHORIZER_FAILURE.
            decision = Decision.deny(null, "unreadable event: " + e.getClass().getSimpleName());
        }
        if (!decision.allow()) {
            log.accept("{\"authorizer\":\"deny\",\"reason\":\"" + decision.reason() + "\"}");
            throw new Unauthorized();
        }
        writeResponse(decision, output);
    }

    /** The parts of a REQUEST authorizer event this authorizer reads. */
    record Request(String methodArn, Map<String, String> headers) {
    }

    /**
     * The answer for one request.
     *
     * @param allow    true for an Allow policy
     * @param key      the key for {@code usageIdentifierKey} (null on deny)
     * @param resource the policy resource
     * @param reason   why a request was denied (never contains the key)
     */
    record Decision(boolean allow, String key, String resource, String reason) {
        static Decision deny(String resource, String reason) {
            return new Decision(false, null, resource, reason);
        }
    }

    /**
     * The rule: an Authorization header, when the request has one, decides alone; {@code x-api-key}
     * is read only on a request without one.
     *
     * <p>With caching on ({@code authorizerCacheTtlSeconds} &gt; 0), API Gateway caches this answer,
     * {@code usageIdentifierKey} included, under the identity source, the Authorization header, and
     * nothing else (API Reference, "Authorizer", {@code identitySource}). An answer that also read
     * {@code x-api-key} would let {@code Authorization: Basic x} plus someone's {@code x-api-key} cache
     * an Allow for that key under {@code Basic x}, and every later request with that header and no key
     * would be served and metered as that client. Under this rule every cached answer is a function of
     * its cache key. A blank Authorization counts as none, as API Gateway counts an empty identity
     * source as missing.
     */
    static Decision decide(Request request) {
        String resource = policyResource(request.methodArn());
        String authorization = trimToNull(request.headers().get("authorization"));
        String key;
        if (authorization != null) {
            key = bearerToken(authorization);
            if (key == null) {
                return Decision.deny(resource, "authorization_not_bearer");
            }
        } else {
            key = trimToNull(request.headers().get("x-api-key"));
            if (key == null) {
                return Decision.deny(resource, "missing");
            }
        }
        if (key.length() > MAX_KEY_LENGTH || !printableAscii(key)) {
            return Decision.deny(resource, "malformed");
        }
        return new Decision(true, key, resource, null);
    }

    /** The token of {@code Bearer <token>} (scheme in any case), or null. */
    static String bearerToken(String authorization) {
        String value = trimToNull(authorization);
        if (value == null || value.length() < 7 || !value.regionMatches(true, 0, "bearer", 0, 6)
                || !Character.isWhitespace(value.charAt(6))) {
            return null;
        }
        return trimToNull(value.substring(7));
    }

    /**
     * The policy covers every method and path of the stage ({@code .../apiId/stage/}{@code *}{@code /*}),
     * so a cached answer is right for every route the same key calls.
     */
    static String policyResource(String methodArn) {
        if (methodArn == null) {
            return null;
        }
        // arn:aws:execute-api:region:account:apiId/stage/METHOD/path
        int apiStart = methodArn.lastIndexOf(':') + 1;
        int first = methodArn.indexOf('/', apiStart);
        int second = first < 0 ? -1 : methodArn.indexOf('/', first + 1);
        return second < 0 ? methodArn : methodArn.substring(0, second) + "/*/*";
    }

    private static boolean printableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static String trimToNull(String s) {
        if (s == null) {
            return null;
        }
        String trimmed = s.strip();
        return trimmed.isEmpty() ? null : trimmed;
    }

    static Request readRequest(InputStream input) throws IOException {
        String methodArn = null;
        Map<String, String> headers = new HashMap<>();
        try (JsonParser parser = JSON.createParser(input)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("expected a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("methodArn".equals(field) && value == JsonToken.VALUE_STRING) {
                    methodArn = parser.getText();
                } else if ("headers".equals(field) && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName().toLowerCase(Locale.ROOT);
                        JsonToken headerValue = parser.nextToken();
                        if (headerValue == JsonToken.VALUE_STRING) {
                            headers.put(name, parser.getText());
                        } else {
                            parser.skipChildren();
                        }
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        return new Request(methodArn, headers);
    }

    static void writeResponse(Decision decision, OutputStream output) throws IOException {
        try (JsonGenerator json = JSON.createGenerator(output)) {
            json.writeStartObject();
            json.writeStringField("principalId", PRINCIPAL);
            json.writeObjectFieldStart("policyDocument");
            json.writeStringField("Version", "2012-10-17");
            json.writeArrayFieldStart("Statement");
            json.writeStartObject();
            json.writeStringField("Action", "execute-api:Invoke");
            json.writeStringField("Effect", decision.allow() ? "Allow" : "Deny");
            json.writeStringField("Resource", decision.resource() == null ? "*" : decision.resource());
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            if (decision.allow()) {
                json.writeStringField("usageIdentifierKey", decision.key());
            }
            json.writeEndObject();
        }
    }
}
