package io.llmgateway.contract;

import io.llmgateway.common.Json;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

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
 * @param echoes       headers that repeat a request header (response header name to request header
 *                     name), e.g. {@code Access-Control-Allow-Origin} from {@code Origin}; the only
 *                     other source API Gateway allows besides static values
 */
public record GatewayResponse(
        String responseType,
        Integer statusCode,
        String errorType,
        String code,
        String message,
        Map<String, String> headers,
        Map<String, String> echoes) {

    /** API Gateway's variable for its own message; it expands to an already-quoted JSON string. */
    static final String AWS_MESSAGE = "$context.error.messageString";

    public GatewayResponse {
        Objects.requireNonNull(responseType, "responseType");
        Objects.requireNonNull(errorType, "errorType");
        headers = Collections.unmodifiableMap(new TreeMap<>(headers)); // sorted: stable deployment hash
        echoes = Collections.unmodifiableMap(new TreeMap<>(echoes));
        if (message != null && (message.contains("$") || message.contains("#"))) {
            // The body is a VTL template on AWS: keep fixed messages free of VTL syntax.
            throw new IllegalArgumentException("message must not contain $ or #: " + message);
        }
    }

    /** A response whose headers are all static. */
    public GatewayResponse(String responseType, Integer statusCode, String errorType, String code, String message,
                           Map<String, String> headers) {
        this(responseType, statusCode, errorType, code, message, headers, Map.of());
    }

    /** This response with more headers; the given ones win over this response's own of the same name. */
    public GatewayResponse withHeaders(Map<String, String> moreStatic, Map<String, String> moreEchoes) {
        Map<String, String> allStatic = new LinkedHashMap<>(headers);
        Map<String, String> allEchoes = new LinkedHashMap<>(echoes);
        moreStatic.forEach((name, value) -> {
            allEchoes.remove(name);
            allStatic.put(name, value);
        });
        moreEchoes.forEach((name, requestHeader) -> {
            allStatic.remove(name);
            allEchoes.put(name, requestHeader);
        });
        return new GatewayResponse(responseType, statusCode, errorType, code, message, allStatic, allEchoes);
    }

    /**
     * The headers as API Gateway sends them for one request: the static ones, and each echo whose
     * request header the request has.
     *
     * @param requestHeader a request header's value by name (case-insensitive, as HTTP), or null
     */
    public Map<String, String> headersFor(Function<String, String> requestHeader) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        echoes.forEach((name, source) -> {
            String value = requestHeader.apply(source);
            if (value != null) {
                all.put(name, value);
            }
        });
        return all;
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
     * {@code gatewayresponse.header.Name}, a static value in single quotes, an echo as
     * {@code method.request.header.Name}.
     */
    public Map<String, String> responseParameters() {
        Map<String, String> parameters = new TreeMap<>();
        headers.forEach((name, value) -> parameters.put("gatewayresponse.header." + name, "'" + value + "'"));
        echoes.forEach((name, source) -> parameters.put("gatewayresponse.header." + name, "method.request.header." + source));
        return parameters;
    }
}
