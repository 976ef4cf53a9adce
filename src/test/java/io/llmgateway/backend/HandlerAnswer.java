package io.llmgateway.backend;

import com.amazonaws.services.lambda.runtime.Context;
import io.llmgateway.common.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** A handler's proxy response, read back the way API Gateway reads it. */
public record HandlerAnswer(int status, Map<String, String> headers, String body) {

    public static HandlerAnswer invoke(BackendHandler handler, byte[] event, Context context) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, context);
        try {
            ProxyResponse response = ProxyResponse.read(out.toByteArray());
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            response.headers().keySet().forEach(name -> headers.put(name, response.header(name)));
            return new HandlerAnswer(response.statusCode(), headers, response.bodyText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Map<String, Object> json() {
        try {
            return Json.readObject(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code error} object of an OpenAI error body. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> error() {
        return (Map<String, Object>) json().get("error");
    }

    public String header(String name) {
        return headers.get(name);
    }
}
