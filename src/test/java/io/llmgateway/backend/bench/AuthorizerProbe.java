package io.llmgateway.backend.bench;

import io.llmgateway.backend.authorizer.ApiKeyAuthorizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs in a fresh JVM on the authorizer archive's classpath: constructs the authorizer as the Lambda
 * runtime does and answers one REQUEST event. Prints the answer and a {@code METRICS} line taken at
 * the first response.
 */
public final class AuthorizerProbe {

    static final String EVENT = "{\"type\":\"REQUEST\",\"methodArn\":\"arn:aws:execute-api:us-east-1:123456789012:"
            + "a1b2c3d4e5/prod/POST/v1/chat/completions\",\"resource\":\"/v1/chat/completions\",\"httpMethod\":\"POST\","
            + "\"headers\":{\"Authorization\":\"Bearer AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd\","
            + "\"Content-Type\":\"application/json\",\"User-Agent\":\"OpenAI/Python 1.54.0\"},"
            + "\"requestContext\":{\"requestId\":\"probe\",\"stage\":\"prod\"}}";

    private AuthorizerProbe() {
    }

    public static void main(String[] args) throws IOException {
        long started = System.nanoTime();
        ApiKeyAuthorizer authorizer = new ApiKeyAuthorizer();
        long constructed = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        authorizer.handleRequest(new ByteArrayInputStream(EVENT.getBytes(StandardCharsets.UTF_8)), out, null);
        String metrics = ProbeMetrics.snapshot((constructed - started) / 1_000_000, (System.nanoTime() - constructed) / 1_000_000);
        System.out.println("RESPONSE " + out.toString(StandardCharsets.UTF_8));
        System.out.println(metrics);
    }
}
