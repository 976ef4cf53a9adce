package io.llmgateway.backend.internal;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.RequestIdentity;
import io.llmgateway.backend.metering.Caller;
import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.OpenAiError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A REST API proxy event (payload 1.0) as the backend receives it, with what the routes ask of it: who
 * calls, the body within the size limit, and how long the model may take. (The other side, building
 * events as API Gateway sends them and reading the responses, is {@link io.llmgateway.backend.ProxyEvent}
 * and {@link io.llmgateway.backend.ProxyResponse}.)
 *
 * <p>{@code APIGatewayProxyRequestEvent.RequestIdentity} in aws-lambda-java-events 3.16.1 has
 * {@code apiKey} but no {@code apiKeyId}, so typed deserialization drops the key id that logging and
 * metering need (checked against the 3.16.1 jar). {@link #read} reads the event itself and keeps the id
 * beside the typed event. It uses the project's jackson-jr codec ({@link Json}), so no reflection-based
 * binding runs on the cold path.
 */
public final class ProxyRequest {

    private final APIGatewayProxyRequestEvent event;
    private final String apiKeyId;
    private final String requestId;
    private final Context context;

    /**
     * @param apiKeyId  {@code requestContext.identity.apiKeyId}: the id of the caller's API key, safe to log
     *                  (unlike {@code identity.apiKey}, the key itself); null when the method needs no key
     * @param requestId API Gateway's request id, or the invocation's when the event has none
     * @param context   the invocation's context, or null outside Lambda
     */
    private ProxyRequest(APIGatewayProxyRequestEvent event, String apiKeyId, String requestId, Context context) {
        this.event = event;
        this.apiKeyId = apiKeyId;
        this.requestId = requestId;
        this.context = context;
    }

    /**
     * Reads an event. Fields it does not know (for example {@code deploymentId} or
     * {@code identity.clientCert}) are skipped.
     *
     * @param context the invocation's context, or null outside Lambda
     * @throws IOException when the input is not a JSON object
     */
    public static ProxyRequest read(byte[] json, Context context) throws IOException {
        Map<?, ?> root = asMap(Json.read(json));
        if (root == null) {
            throw new IOException("a proxy event must be a JSON object");
        }
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent();
        event.setVersion(string(root.get("version")));
        event.setResource(string(root.get("resource")));
        event.setPath(string(root.get("path")));
        event.setHttpMethod(string(root.get("httpMethod")));
        event.setHeaders(stringMap(root.get("headers")));
        event.setMultiValueHeaders(listMap(root.get("multiValueHeaders")));
        event.setQueryStringParameters(stringMap(root.get("queryStringParameters")));
        event.setMultiValueQueryStringParameters(listMap(root.get("multiValueQueryStringParameters")));
        event.setPathParameters(stringMap(root.get("pathParameters")));
        event.setStageVariables(stringMap(root.get("stageVariables")));
        event.setBody(string(root.get("body")));
        event.setIsBase64Encoded(Boolean.TRUE.equals(root.get("isBase64Encoded")));

        String apiKeyId = null;
        Map<?, ?> requestContext = asMap(root.get("requestContext"));
        if (requestContext != null) {
            event.setRequestContext(requestContext(requestContext));
            Map<?, ?> identity = asMap(requestContext.get("identity"));
            if (identity != null) {
                apiKeyId = string(identity.get("apiKeyId"));
            }
        }
        ProxyRequestContext c = event.getRequestContext();
        String requestId = c != null && c.getRequestId() != null ? c.getRequestId() : fallbackRequestId(context);
        return new ProxyRequest(event, apiKeyId, requestId, context);
    }

    /** The invocation's request id, or a new one outside Lambda: every answer carries one. */
    public static String fallbackRequestId(Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            return context.getAwsRequestId();
        }
        return UUID.randomUUID().toString();
    }

    /** The event as aws-lambda-java-events models it. */
    public APIGatewayProxyRequestEvent event() {
        return event;
    }

    /** {@code requestContext.identity.apiKeyId}; null when the method needs no key. */
    public String apiKeyId() {
        return apiKeyId;
    }

    public String requestId() {
        return requestId;
    }

    /** {@code requestContext.apiId}, or null. */
    public String apiId() {
        return event.getRequestContext() == null ? null : event.getRequestContext().getApiId();
    }

    /** The caller's key id, request id and stage variables, as metering knows a caller. */
    public Caller caller() {
        return new Caller(apiKeyId, requestId, event.getStageVariables());
    }

    /** A request header by name, case-insensitively (HTTP/2 clients send lower-case names). */
    public String header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(e -> name.equalsIgnoreCase(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    /**
     * The body parsed as JSON, with the model it names noted on the log line.
     *
     * @throws RequestError 413 above {@code limit} bytes, 400 when it is not JSON
     */
    public Object jsonBody(int limit, RequestLog line) throws RequestError {
        byte[] bytes = body(limit);
        Object json;
        try {
            json = Json.read(bytes);
        } catch (IOException | RuntimeException e) {
            throw new RequestError(OpenAiError.invalidJson());
        }
        if (json instanceof Map<?, ?> map) {
            line.put(BackendLog.MODEL, map.get("model") instanceof String model ? Text.truncate(model) : null);
        }
        return json;
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
    public long budgetMs(Clock clock, int integrationTimeoutMs) {
        ProxyRequestContext requestContext = event.getRequestContext();
        return Deadline.budgetMs(clock.millis(),
                requestContext == null ? null : requestContext.getRequestTimeEpoch(),
                integrationTimeoutMs,
                context == null ? null : context.getRemainingTimeInMillis());
    }

    private static ProxyRequestContext requestContext(Map<?, ?> context) {
        ProxyRequestContext c = new ProxyRequestContext();
        c.setResourceId(string(context.get("resourceId")));
        c.setResourcePath(string(context.get("resourcePath")));
        c.setHttpMethod(string(context.get("httpMethod")));
        c.setExtendedRequestId(string(context.get("extendedRequestId")));
        c.setRequestTime(string(context.get("requestTime")));
        c.setPath(string(context.get("path")));
        c.setAccountId(string(context.get("accountId")));
        c.setProtocol(string(context.get("protocol")));
        c.setStage(string(context.get("stage")));
        c.setDomainPrefix(string(context.get("domainPrefix")));
        c.setRequestTimeEpoch(context.get("requestTimeEpoch") instanceof Number n ? n.longValue() : null);
        c.setRequestId(string(context.get("requestId")));
        c.setDomainName(string(context.get("domainName")));
        c.setApiId(string(context.get("apiId")));
        c.setOperationName(string(context.get("operationName")));
        c.setAuthorizer(objectMap(context.get("authorizer")));
        Map<?, ?> identity = asMap(context.get("identity"));
        if (identity != null) {
            RequestIdentity i = new RequestIdentity();
            i.setCognitoIdentityPoolId(string(identity.get("cognitoIdentityPoolId")));
            i.setAccountId(string(identity.get("accountId")));
            i.setCognitoIdentityId(string(identity.get("cognitoIdentityId")));
            i.setCaller(string(identity.get("caller")));
            i.setApiKey(string(identity.get("apiKey")));
            i.setPrincipalOrgId(string(identity.get("principalOrgId")));
            i.setSourceIp(string(identity.get("sourceIp")));
            i.setCognitoAuthenticationType(string(identity.get("cognitoAuthenticationType")));
            i.setCognitoAuthenticationProvider(string(identity.get("cognitoAuthenticationProvider")));
            i.setUserArn(string(identity.get("userArn")));
            i.setUserAgent(string(identity.get("userAgent")));
            i.setUser(string(identity.get("user")));
            i.setAccessKey(string(identity.get("accessKey")));
            c.setIdentity(i);
        }
        return c;
    }

    private static Map<?, ?> asMap(Object value) {
        return value instanceof Map<?, ?> map ? map : null;
    }

    /** API Gateway sends strings; anything else (a number in a hand-written event) is kept as text. */
    private static String string(Object value) {
        if (value == null || value instanceof Map || value instanceof List) {
            return null;
        }
        return value instanceof String s ? s : String.valueOf(value);
    }

    private static Map<String, String> stringMap(Object value) {
        Map<?, ?> map = asMap(value);
        if (map == null) {
            return null;
        }
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((k, v) -> result.put(String.valueOf(k), string(v)));
        return result;
    }

    private static Map<String, List<String>> listMap(Object value) {
        Map<?, ?> map = asMap(value);
        if (map == null) {
            return null;
        }
        Map<String, List<String>> result = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            List<String> values = new ArrayList<>();
            if (v instanceof List<?> list) {
                list.forEach(item -> values.add(string(item)));
            } else if (v != null) {
                values.add(string(v));
            }
            result.put(String.valueOf(k), values);
        });
        return result;
    }

    private static Map<String, Object> objectMap(Object value) {
        Map<?, ?> map = asMap(value);
        if (map == null) {
            return null;
        }
        Map<String, Object> result = new LinkedHashMap<>();
        map.forEach((k, v) -> result.put(String.valueOf(k), v));
        return result;
    }
}
