package io.llmgateway.contract;

import io.llmgateway.common.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One API Gateway gateway response in OpenAI's error shape. The stack turns each into an
 * {@code aws.apigateway.Response}; the local gateway answers with {@link #render(String)}, so both
 * send the same status, headers and body.
 *
 * @param responseType API Gateway's response type, e.g. {@code THROTTLED}
 * @param statusCode   the status to send, or null to keep API Gateway's own (the DEFAULT_* families)
 * @param errorType    OpenAI's {@code error.type}
 * @param code         OpenAI's {@code error.code}, or null
 * @param message      a fixed message, or null to pass on API Gateway's {@code $context.error.messageString}
 * @param headers      static headers (name to value)
 */
public record GatewayResponse(
        String responseType,
        Integer statusCode,
        String errorType,
        String code,
        String message,
        Map<String, String> headers) {

    /** API Gateway's variable for its own message; it expands to an already-quoted JSON string. */
    static final String AWS_MESSAGE = "$context.error.messageString";

    public GatewayResponse {
        Objects.requireNonNull(responseType, "responseType");
        Objects.requireNonNull(errorType, "errorType");
        headers = Collections.unmodifiableMap(new TreeMap<>(headers)); // sorted: stable deployment hash
        if (message != null && (message.contains("$") || message.contains("#"))) {
            // The body is a VTL template on AWS: keep fixed messages free of VTL syntax.
            throw new IllegalArgumentException("message must not contain $ or #: " + message);
        }
    }

    /** The {@code application/json} response template API Gateway renders. */
    public String bodyTemplate() {
        return body(message == null ? AWS_MESSAGE : Json.write(message));
    }

    /**
     * The body exactly as API Gateway would render it.
     *
     * @param awsMessage what API Gateway's {@code $context.error.messageString} holds for this error
     */
    public String render(String awsMessage) {
        return body(Json.write(message == null ? awsMessage : message));
    }

    private String body(String quotedMessage) {
        return "{\"error\":{\"message\":" + quotedMessage
                + ",\"type\":" + Json.write(errorType)
                + ",\"param\":null"
                + ",\"code\":" + (code == null ? "null" : Json.write(code))
                + "}}";
    }

    /**
     * Response parameters for {@code aws.apigateway.Response}: each header as
     * {@code gatewayresponse.header.Name} with its static value in single quotes.
     */
    public Map<String, String> responseParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        headers.forEach((name, value) -> parameters.put("gatewayresponse.header." + name, "'" + value + "'"));
        return parameters;
    }
}
