package io.llmgateway.local;

import io.llmgateway.backend.ProxyResponse;
import io.llmgateway.contract.GatewayResponse;
import io.llmgateway.contract.GatewayResponses;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.OpenAiError;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One response: status, headers, body, and the gateway response type when API Gateway itself
 * answered (null when the backend did).
 */
record LocalResponse(int status, Map<String, List<String>> headers, byte[] body, String responseType,
                     LocalRuntime.Body stream) {

    LocalResponse(int status, Map<String, List<String>> headers, byte[] body, String responseType) {
        this(status, headers, body, responseType, null);
    }

    /** A streaming integration's answer: the prelude's status and headers, the body passed on as it comes. */
    static LocalResponse streamed(LocalRuntime.Start.Streaming start) {
        return new LocalResponse(start.status(), start.headers(), new byte[0], null, start.body());
    }

    /** The backend's proxy response, passed on unchanged, as API Gateway passes it. */
    static LocalResponse fromBackend(ProxyResponse response) {
        return new LocalResponse(response.statusCode(), response.headers(), response.body(), null);
    }

    /**
     * The stack's gateway response of a type with a status of its own, rendered as API Gateway renders it.
     *
     * @param requestHeader the request's header values by name, for the response headers that repeat one
     *                      (CORS with several origins); {@code name -> null} when there is no request
     */
    static LocalResponse gateway(List<GatewayResponse> responses, String responseType, Function<String, String> requestHeader) {
        return gateway(responses, responseType, 0, "", requestHeader);
    }

    /**
     * The stack's gateway response of this type, rendered as API Gateway renders it.
     *
     * @param status        the status for the DEFAULT_* families, which keep API Gateway's own
     * @param awsMessage    API Gateway's own message, for responses that pass it on
     * @param requestHeader the request's header values by name (see above)
     */
    static LocalResponse gateway(List<GatewayResponse> responses, String responseType, int status, String awsMessage,
                          Function<String, String> requestHeader) {
        GatewayResponse response = GatewayResponses.find(responses, responseType)
                .orElseThrow(() -> new IllegalStateException("no gateway response " + responseType));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headersFor(requestHeader).forEach((name, value) -> headers.put(name, List.of(value)));
        int code = response.statusCode() != null ? response.statusCode() : status;
        if (code == 0) {
            throw new IllegalStateException(responseType + " keeps API Gateway's status: pass one");
        }
        return new LocalResponse(code, headers, response.render(awsMessage).getBytes(StandardCharsets.UTF_8), responseType);
    }

    /** The local gateway's own answer, where API Gateway has none: OpenAI's error shape, as JSON. */
    static LocalResponse local(OpenAiError error, Map<String, String> extraHeaders) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put(Headers.CONTENT_TYPE, List.of(Headers.JSON));
        extraHeaders.forEach((name, value) -> headers.put(name, List.of(value)));
        return new LocalResponse(error.status(), headers, error.toJson().getBytes(StandardCharsets.UTF_8), null);
    }

    /** This answer with one header set to one value. */
    LocalResponse withHeader(String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        copy.keySet().removeIf(n -> n.equalsIgnoreCase(name));
        copy.put(name, List.of(value));
        return new LocalResponse(status, copy, body, responseType, stream);
    }
}
