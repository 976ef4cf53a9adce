package io.llmgateway.backend;

import io.llmgateway.common.Json;
import io.llmgateway.contract.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A REST API proxy event (payload 1.0) as API Gateway sends it to a Lambda proxy integration, built
 * from what a request carries. One builder for everything that plays API Gateway: the local gateway,
 * the SnapStart priming and the tests.
 *
 * <p>{@code requestContext.identity.apiKeyId} is written beside {@code apiKey}: API Gateway sends it,
 * and the backend logs and meters by it.
 */
public final class ProxyEvent {

    private final String method;
    private final String resourcePath;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, String> pathParameters = new LinkedHashMap<>();
    private String requestPath;
    private String stage = "prod";
    private String body;
    private boolean base64Encoded;
    private String requestId;
    private Long requestTimeEpoch;
    private String accountId;
    private String apiId;
    private String protocol = "HTTP/1.1";
    private String sourceIp;
    private String apiKey;
    private String apiKeyId;
    private String principalId;
    private final Map<String, String> stageVariables = new LinkedHashMap<>();

    private ProxyEvent(String method, String resourcePath) {
        this.method = Objects.requireNonNull(method, "method");
        this.resourcePath = Objects.requireNonNull(resourcePath, "resourcePath");
    }

    /**
     * @param method       the HTTP method, e.g. {@code POST}
     * @param resourcePath the API's resource path without the stage, e.g. {@code /v1/chat/completions}
     */
    public static ProxyEvent request(String method, String resourcePath) {
        return new ProxyEvent(method, resourcePath);
    }

    /**
     * The event for a request to one of the gateway's routes, as API Gateway builds it: the route's
     * resource path as {@code resource} ({@code /v1/models/{model}}), the request's path as {@code path}
     * ({@code /v1/models/nova-micro}) and the route's path parameters. A path no route serves keeps
     * itself as both.
     *
     * @param requestPath the request's path without the stage, as sent
     */
    public static ProxyEvent forRequest(String method, String requestPath) {
        Optional<Route.Match> match = Route.match(method, requestPath);
        ProxyEvent event = new ProxyEvent(method, match.map(m -> m.route().path()).orElse(requestPath));
        event.requestPath = requestPath;
        match.ifPresent(m -> event.pathParameters.putAll(m.pathParameters()));
        return event;
    }

    /** The request's own path, when it differs from the resource path (a route with path parameters). */
    public ProxyEvent path(String requestPath) {
        this.requestPath = requestPath;
        return this;
    }

    public ProxyEvent pathParameter(String name, String value) {
        pathParameters.put(name, value);
        return this;
    }

    public ProxyEvent stage(String stage) {
        this.stage = stage;
        return this;
    }

    /** Adds one header value; a repeated header keeps every value in {@code multiValueHeaders}. */
    public ProxyEvent header(String name, String value) {
        headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    public ProxyEvent headers(Map<String, List<String>> values) {
        values.forEach((name, list) -> list.forEach(value -> header(name, value)));
        return this;
    }

    public ProxyEvent queryParameter(String name, String value) {
        query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        return this;
    }

    /** The body as text; null for none. */
    public ProxyEvent body(String body) {
        this.body = body;
        this.base64Encoded = false;
        return this;
    }

    /** The body as API Gateway sends binary media: base64 text with {@code isBase64Encoded}. */
    public ProxyEvent base64Body(String base64) {
        this.body = base64;
        this.base64Encoded = true;
        return this;
    }

    public ProxyEvent requestId(String requestId) {
        this.requestId = requestId;
        return this;
    }

    /** When API Gateway received the request, epoch milliseconds; the backend's deadline counts from it. */
    public ProxyEvent requestTimeEpoch(long epochMillis) {
        this.requestTimeEpoch = epochMillis;
        return this;
    }

    public ProxyEvent api(String accountId, String apiId) {
        this.accountId = accountId;
        this.apiId = apiId;
        return this;
    }

    public ProxyEvent protocol(String protocol) {
        this.protocol = protocol;
        return this;
    }

    public ProxyEvent sourceIp(String sourceIp) {
        this.sourceIp = sourceIp;
        return this;
    }

    /**
     * The caller's API key as usage plans matched it.
     *
     * @param id    {@code identity.apiKeyId}: safe to log
     * @param value {@code identity.apiKey}: the key itself, a secret; null to leave it out
     */
    public ProxyEvent apiKey(String id, String value) {
        this.apiKeyId = id;
        this.apiKey = value;
        return this;
    }

    /** A stage variable, as the stage's {@code variables} put it in every event. */
    public ProxyEvent stageVariable(String name, String value) {
        this.stageVariables.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** The authorizer's {@code principalId}, under {@code requestContext.authorizer}. */
    public ProxyEvent principalId(String principalId) {
        this.principalId = principalId;
        return this;
    }

    /** The event as a JSON object of plain values. */
    public Map<String, Object> toMap() {
        Map<String, Object> identity = new LinkedHashMap<>();
        identity.put("cognitoIdentityPoolId", null);
        identity.put("accountId", null);
        identity.put("cognitoIdentityId", null);
        identity.put("caller", null);
        identity.put("apiKey", apiKey);
        identity.put("apiKeyId", apiKeyId);
        identity.put("principalOrgId", null);
        identity.put("sourceIp", sourceIp);
        identity.put("cognitoAuthenticationType", null);
        identity.put("cognitoAuthenticationProvider", null);
        identity.put("userArn", null);
        identity.put("userAgent", last(headers, "User-Agent"));
        identity.put("user", null);
        identity.put("accessKey", null);

        Map<String, Object> context = new LinkedHashMap<>();
        context.put("resourcePath", resourcePath);
        context.put("httpMethod", method);
        String path = requestPath == null ? resourcePath : requestPath;
        context.put("path", "/" + stage + path);
        context.put("accountId", accountId);
        context.put("protocol", protocol);
        context.put("stage", stage);
        context.put("requestTimeEpoch", requestTimeEpoch);
        context.put("requestId", requestId);
        context.put("identity", identity);
        context.put("apiId", apiId);
        if (principalId != null) {
            context.put("authorizer", Map.of("principalId", principalId));
        }

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", resourcePath);
        event.put("path", path);
        event.put("httpMethod", method);
        event.put("headers", headers.isEmpty() ? null : singleValues(headers));
        event.put("multiValueHeaders", headers.isEmpty() ? null : headers);
        event.put("queryStringParameters", query.isEmpty() ? null : singleValues(query));
        event.put("multiValueQueryStringParameters", query.isEmpty() ? null : query);
        event.put("pathParameters", pathParameters.isEmpty() ? null : new LinkedHashMap<>(pathParameters));
        event.put("stageVariables", stageVariables.isEmpty() ? null : new LinkedHashMap<>(stageVariables));
        event.put("requestContext", context);
        event.put("body", body);
        event.put("isBase64Encoded", base64Encoded);
        return event;
    }

    public byte[] toJson() {
        return Json.writeBytes(toMap());
    }

    /** API Gateway's single-value view of a multi-value map: the last value wins. */
    private static Map<String, String> singleValues(Map<String, List<String>> multi) {
        Map<String, String> single = new LinkedHashMap<>();
        multi.forEach((name, values) -> {
            if (!values.isEmpty()) {
                single.put(name, values.get(values.size() - 1));
            }
        });
        return single;
    }

    private static String last(Map<String, List<String>> multi, String name) {
        String found = null;
        for (Map.Entry<String, List<String>> e : multi.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                found = e.getValue().get(e.getValue().size() - 1);
            }
        }
        return found;
    }
}
