package io.llmgateway.backend;

import io.llmgateway.backend.metering.DynamoDbHttp;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The token table's client, configured like the Bedrock client ({@link BedrockClientFactory}): Region,
 * credentials and the URL-connection HTTP client given explicitly. Its timeouts are short: a token
 * store that does not answer within a second is failing, and the request then gets its 503 or goes
 * ahead uncounted ({@code tokenStoreFailureMode}) rather than waiting out the model's deadline.
 * {@code AWS_ENDPOINT_URL_DYNAMODB} chooses another endpoint (a local DynamoDB), as it does for the SDK.
 */
public final class DynamoDbClientFactory {

    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    static final Duration SOCKET_TIMEOUT = Duration.ofMillis(1000);
    static final String ENDPOINT_VARIABLE = "AWS_ENDPOINT_URL_DYNAMODB";

    private DynamoDbClientFactory() {
    }

    /** The client on Lambda: {@code AWS_REGION}, the credentials Lambda provides, the Region's endpoint. */
    public static DynamoDbHttp fromLambdaEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("environment variable AWS_REGION is not set");
        }
        String override = System.getenv(ENDPOINT_VARIABLE);
        URI endpoint = override != null && !override.isBlank() ? URI.create(override) : regionalEndpoint(Region.of(region));
        return create(endpoint, Region.of(region), BedrockClientFactory.lambdaCredentials());
    }

    /** {@code https://dynamodb.<region>.<partition DNS suffix>}: the Region's public endpoint. */
    static URI regionalEndpoint(Region region) {
        return URI.create("https://dynamodb." + region.id() + "." + region.metadata().partition().dnsSuffix());
    }

    /** A client for an endpoint (the Region's, a local DynamoDB for the local gateway, tests, benchmarks). */
    public static DynamoDbHttp create(URI endpoint, Region region, AwsCredentialsProvider credentials) {
        return new DynamoDbHttp(UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT)
                .build(), endpoint, region.id(), credentials);
    }
}
