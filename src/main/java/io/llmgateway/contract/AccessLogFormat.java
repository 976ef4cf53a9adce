package io.llmgateway.contract;

import io.llmgateway.common.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stage's access-log line: one JSON object per request. The stack gives it to the Stage, and the
 * local gateway writes the same fields, so one log query serves both. It must contain
 * {@code $context.requestId}; the key id, status, error type and latencies make per-key analysis
 * possible (API Gateway developer guide, "Set up CloudWatch logging for REST APIs",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html). It never contains {@code $context.identity.apiKey} (the
 * key value, a secret) or anything from the body (prompts are secret).
 */
public final class AccessLogFormat {

    /** The fields the stack's metric filters, Contributor Insights rules and log queries read. */
    public static final String API_ID = "apiId";
    public static final String API_KEY_ID = "apiKeyId";
    public static final String STATUS = "status";
    public static final String ERROR_RESPONSE_TYPE = "errorResponseType";

    /** Field name to context variable. Every value is quoted, so an empty variable still parses. */
    public static final Map<String, String> FIELDS = fields();

    /** The {@code accessLogSettings.format} string. */
    public static final String JSON = Json.write(FIELDS);

    private AccessLogFormat() {
    }

    private static Map<String, String> fields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("requestId", "$context.requestId");
        fields.put("requestTime", "$context.requestTime");
        fields.put("httpMethod", "$context.httpMethod");
        fields.put("resourcePath", "$context.resourcePath");
        fields.put(STATUS, "$context.status");
        fields.put("protocol", "$context.protocol");
        fields.put("responseLength", "$context.responseLength");
        fields.put("ip", "$context.identity.sourceIp");
        fields.put("userAgent", "$context.identity.userAgent");
        fields.put(API_KEY_ID, "$context.identity.apiKeyId");
        fields.put(ERROR_RESPONSE_TYPE, "$context.error.responseType");
        fields.put("authorizerError", "$context.authorizer.error");
        fields.put("authorizerLatency", "$context.authorizer.integrationLatency");
        fields.put("integrationStatus", "$context.integration.status");
        fields.put("integrationError", "$context.integration.error");
        fields.put("integrationLatency", "$context.integrationLatency");
        fields.put("responseLatency", "$context.responseLatency");
        fields.put("xrayTraceId", "$context.xrayTraceId");
        // The metric filters' dimension: two stacks in one account and Region keep their figures apart.
        fields.put(API_ID, "$context.apiId");
        return java.util.Collections.unmodifiableMap(fields);
    }
}
