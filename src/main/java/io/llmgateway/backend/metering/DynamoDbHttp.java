package io.llmgateway.backend.metering;

import io.llmgateway.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * The three DynamoDB calls the token store makes (Query, GetItem, UpdateItem), spoken directly in
 * DynamoDB's JSON protocol: a POST of the documented request JSON with
 * {@code X-Amz-Target: DynamoDB_20120810.<Action>}, signed with Signature Version 4 by the SDK's own
 * signer, on the SDK's HTTP client (Amazon DynamoDB API Reference, "Low-level API"). The SDK's
 * DynamoDB module would add 3 MB of model classes to the backend zip for three calls; this adds none.
 *
 * <p>A throttle, a 5xx or an I/O error is retried once; any other error is thrown as
 * {@link Failure} with DynamoDB's error type, e.g. {@code ConditionalCheckFailedException}.
 */
public final class DynamoDbHttp {

    static final String TARGET_PREFIX = "DynamoDB_20120810.";
    static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    static final String SIGNING_NAME = "dynamodb";
    static final int MAX_ATTEMPTS = 2;
    /** Error types DynamoDB documents as retryable ("Error handling with DynamoDB"). */
    private static final Set<String> RETRYABLE = Set.of("ProvisionedThroughputExceededException",
            "ThrottlingException", "RequestLimitExceeded", "InternalServerError", "ServiceUnavailable",
            "LimitExceededException");

    /** An answer other than 200, with DynamoDB's error type without its namespace. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String type;

        Failure(int status, String type, String message, Throwable cause) {
            super(type + " (HTTP " + status + "): " + message, cause);
            this.status = status;
            this.type = type;
        }

        public int status() {
            return status;
        }

        public String type() {
            return type;
        }

        public boolean isConditionalCheckFailed() {
            return "ConditionalCheckFailedException".equals(type);
        }
    }

    private final SdkHttpClient http;
    private final URI endpoint;
    private final String region;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * @param endpoint    e.g. {@code https://dynamodb.us-east-1.amazonaws.com}, or a local server
     * @param region      the signing Region
     * @param credentials the function's credentials (resolved on every call, so they refresh)
     */
    public DynamoDbHttp(SdkHttpClient http, URI endpoint, String region,
                        IdentityProvider<? extends AwsCredentialsIdentity> credentials) {
        this.http = http;
        this.endpoint = endpoint;
        this.region = region;
        this.credentials = credentials;
    }

    /**
     * Calls an action with its request JSON.
     *
     * @return the response JSON
     * @throws Failure for an error answer (after one retry of a retryable one), or when DynamoDB cannot
     *                 be reached
     */
    public Map<String, Object> call(String action, Map<String, Object> request) {
        byte[] body = Json.writeBytes(request);
        Failure last = null;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return attempt(action, body);
            } catch (Failure e) {
                last = e;
                if (!(e.status() >= 500 || e.status() == 0 || RETRYABLE.contains(e.type()))) {
                    throw e;
                }
            }
        }
        throw last;
    }

    private Map<String, Object> attempt(String action, byte[] body) {
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint)
                .encodedPath("/")
                .putHeader("Content-Type", CONTENT_TYPE)
                .putHeader("X-Amz-Target", TARGET_PREFIX + action)
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        try {
            AwsCredentialsIdentity identity = credentials.resolveIdentity().join();
            SignedRequest signed = signer.sign(r -> r
                    .identity(identity)
                    .request(unsigned)
                    .payload(ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SIGNING_NAME)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null))
                    .build()).call();
            byte[] answer;
            try (InputStream in = response.responseBody().orElse(null)) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
            int status = response.httpResponse().statusCode();
            Map<String, Object> json = answer.length == 0 ? Map.of() : Json.readObject(new String(answer, StandardCharsets.UTF_8));
            if (status == 200) {
                return json;
            }
            String type = json.get("__type") instanceof String t ? t.substring(t.indexOf('#') + 1) : "HTTP" + status;
            Object message = json.containsKey("message") ? json.get("message") : json.get("Message");
            throw new Failure(status, type, String.valueOf(message), null);
        } catch (IOException | RuntimeException e) {
            if (e instanceof Failure failure) {
                throw failure;
            }
            throw new Failure(0, e.getClass().getSimpleName(), String.valueOf(e.getMessage()), e);
        }
    }
}
