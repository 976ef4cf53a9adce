package io.llmgateway.backend.runtime;

import io.llmgateway.common.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * {@link ResponseMode#BUFFERED}: one Lambda-proxy response (API Gateway developer guide, "Output
 * format of a Lambda function for proxy integration") posted when the handler returns. A body that
 * is not UTF-8 text goes base64 with {@code isBase64Encoded}.
 */
final class BufferedResponse extends InvocationResponse {

    private final BufferedBody body = new BufferedBody();

    BufferedResponse(RuntimeApi api, String requestId) {
        super(api, requestId);
    }

    @Override
    public OutputStream body() {
        return body;
    }

    @Override
    void finish() throws IOException {
        api.respond(requestId, Json.writeBytes(proxyResponse(head, body.toByteArray())), RuntimeApi.JSON);
    }

    @Override
    boolean fail(ErrorReport error) {
        return false;
    }

    static Map<String, Object> proxyResponse(HttpHead head, byte[] bytes) {
        Map<String, Object> json = head.json();
        String text = utf8(bytes);
        json.put("body", text == null ? Base64.getEncoder().encodeToString(bytes) : text);
        json.put("isBase64Encoded", text == null);
        return json;
    }

    /** The text, or null when the bytes are not well-formed UTF-8. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
