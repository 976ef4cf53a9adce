package io.llmgateway.backend.internal;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.RequestIdentity;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.llmgateway.common.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The backend's side of the REST API proxy integration (payload 1.0): it reads the event API Gateway
 * sends and writes the response API Gateway reads. (The other side, building events and reading
 * responses, is {@link io.llmgateway.backend.ProxyEvent} and {@link io.llmgateway.backend.ProxyResponse}.)
 *
 * <p>{@code APIGatewayProxyRequestEvent.RequestIdentity} in aws-lambda-java-events 3.16.1 has
 * {@code apiKey} but no {@code apiKeyId}, so typed deserialization drops the key id that logging and
 * metering need (checked against the 3.16.1 jar). This class reads
 * the event itself and carries the id beside the event in a {@link ProxyRequest}. It uses the
 * project's jackson-jr codec ({@link Json}), so no reflection-based binding runs on the cold path.
 */
public final class ProxyEvents {

    private ProxyEvents() {
    }

    /**
     * Reads an event. Fields it does not know (for example {@code deploymentId} or
     * {@code identity.clientCert}) are skipped.
     *
     * @throws IOException when the input is not a JSON object
     */
    public static ProxyRequest read(byte[] json) throws IOException {
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
        Map<?, ?> context = asMap(root.get("requestContext"));
        if (context != null) {
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
                apiKeyId = string(identity.get("apiKeyId"));
            }
            event.setRequestContext(c);
        }
        return new ProxyRequest(event, apiKeyId);
    }

    /** The response as the Lambda runtime hands it to API Gateway. */
    public static byte[] write(APIGatewayProxyResponseEvent response) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("statusCode", response.getStatusCode());
        json.put("headers", response.getHeaders());
        putIfPresent(json, "multiValueHeaders", response.getMultiValueHeaders());
        json.put("body", response.getBody());
        json.put("isBase64Encoded", response.getIsBase64Encoded() != null && response.getIsBase64Encoded());
        return Json.writeBytes(json);
    }

    private static void putIfPresent(Map<String, Object> json, String key, Object value) {
        if (value != null) {
            json.put(key, value);
        }
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
