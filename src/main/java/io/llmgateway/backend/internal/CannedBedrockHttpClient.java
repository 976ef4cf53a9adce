package io.llmgateway.backend.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * An in-process HTTP client that answers Converse calls with a canned Bedrock response, without a
 * network. The SnapStart priming runs a real SDK client on it, so marshalling, endpoint resolution,
 * signing, retries and unmarshalling are loaded and compiled before the snapshot, and Bedrock is never
 * called. A model id containing {@code invalid} gets Bedrock's ValidationException instead, which primes
 * the error path.
 */
public final class CannedBedrockHttpClient implements SdkHttpClient {

    static final String ANSWER = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"OK\"}]}},"
            + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":12,\"outputTokens\":1,\"totalTokens\":13},"
            + "\"metrics\":{\"latencyMs\":1}}";
    static final String VALIDATION_ERROR = "{\"message\":\"The model rejected the request.\"}";

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                if (request.contentStreamProvider().isPresent()) {
                    ContentStreamProvider provider = request.contentStreamProvider().get();
                    try (InputStream body = provider.newStream()) {
                        body.readAllBytes();
                    }
                }
                boolean invalid = request.httpRequest().encodedPath().contains("invalid");
                SdkHttpResponse.Builder response = SdkHttpResponse.builder()
                        .statusCode(invalid ? 400 : 200)
                        .putHeader("Content-Type", "application/json")
                        .putHeader("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
                if (invalid) {
                    response.putHeader("x-amzn-ErrorType",
                            "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/");
                }
                byte[] body = (invalid ? VALIDATION_ERROR : ANSWER).getBytes(StandardCharsets.UTF_8);
                return HttpExecuteResponse.builder()
                        .response(response.build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public String clientName() {
        return "Canned";
    }

    @Override
    public void close() {
    }
}
