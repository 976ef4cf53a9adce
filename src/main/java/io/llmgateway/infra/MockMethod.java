package io.llmgateway.infra;

import io.llmgateway.contract.Headers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A method API Gateway answers itself (the CORS preflight, the health check), as an operation of the
 * OpenAPI document: no {@code security} (no authorizer, no key, so no usage plan counts it), no Lambda,
 * a MOCK integration that answers {@value #STATUS}. The operation's {@code responses} entry is the
 * method response and declares the headers; the integration's {@code responses.default} sets them and
 * gives the body ("x-amazon-apigateway-integration object" and "x-amazon-apigateway-integration.responses
 * object", API Gateway developer guide, "Working with API Gateway extensions to OpenAPI",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-integration.html).
 */
final class MockMethod {

    static final String MOCK = "mock";
    static final String STATUS = "200";
    /** A MOCK integration answers with the status its request template names. */
    static final String REQUEST_TEMPLATE = "{\"statusCode\": " + STATUS + "}";
    /** The console's default: the JSON template above serves requests of any content type. */
    static final String PASSTHROUGH = "when_no_match";
    static final String RESPONSE_HEADER = "method.response.header.";

    private MockMethod() {
    }

    /**
     * @param description      what the method is, for the method response
     * @param headerValues     header name to its static value, without quotes; each is declared and set
     * @param declaredHeaders  more headers the method response declares, set only by the template
     * @param responseTemplate the body's template for {@code application/json}, or empty for none
     */
    static Map<String, Object> operation(String description, Map<String, String> headerValues,
                                         SortedSet<String> declaredHeaders, String responseTemplate) {
        SortedSet<String> declared = new TreeSet<>(declaredHeaders);
        declared.addAll(headerValues.keySet());
        Map<String, Object> headers = new TreeMap<>();
        declared.forEach(name -> headers.put(name, Map.of("schema", Map.of("type", "string"))));
        Map<String, Object> methodResponse = new LinkedHashMap<>();
        methodResponse.put("description", description);
        if (!headers.isEmpty()) {
            methodResponse.put("headers", headers);
        }

        Map<String, Object> integrationResponse = new LinkedHashMap<>();
        integrationResponse.put("statusCode", STATUS);
        if (!headerValues.isEmpty()) {
            Map<String, String> parameters = new TreeMap<>();
            headerValues.forEach((name, value) -> parameters.put(RESPONSE_HEADER + name, "'" + value + "'"));
            integrationResponse.put("responseParameters", parameters);
        }
        if (!responseTemplate.isEmpty()) {
            integrationResponse.put("responseTemplates", Map.of(Headers.JSON, responseTemplate));
        }
        Map<String, Object> integration = new LinkedHashMap<>();
        integration.put("type", MOCK);
        integration.put("requestTemplates", Map.of(Headers.JSON, REQUEST_TEMPLATE));
        integration.put("passthroughBehavior", PASSTHROUGH);
        integration.put("responses", Map.of("default", integrationResponse));

        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("responses", Map.of(STATUS, methodResponse));
        operation.put(OpenApiDocument.INTEGRATION, integration);
        return operation;
    }
}
