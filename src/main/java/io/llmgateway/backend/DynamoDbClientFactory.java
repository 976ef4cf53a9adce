package io.llmgateway.backend;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * The token table's client, configured like the Bedrock client ({@link BedrockClientFactory}): region,
 * credentials and the URL-connection HTTP client given explicitly. Its timeouts are short, because a
 * token store that does not answer within a second is failing, and the request either gets its 503 or
 * goes ahead uncounted ({@code tokenStoreFailureMode}) instead of waiting out the model's deadline.
 * The SDK reads {@code AWS_ENDPOINT_URL_DYNAMODB} itself, which is how a local DynamoDB is chosen.
 */
public final class DynamoDbClientFactory {

    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(700);
    static final Duration CALL_TIMEOUT = Duration.ofMillis(1500);
    /** DynamoDB throttles and 5xx are retried once; SDK default backoff. */
    static final int MAX_ATTEMPTS = 2;

    private DynamoDbClientFactory() {
    }

    /** The client on Lambda: {@code AWS_REGION} and the credentials Lambda provides. */
    public static DynamoDbClient fromLambdaEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("environment variable AWS_REGION is not set");
        }
        return builder(Region.of(region), BedrockClientFactory.lambdaCredentials()).build();
    }

    /** A client for a DynamoDB-compatible endpoint (the local gateway's flag, tests, benchmarks). */
    public static DynamoDbClient forEndpoint(URI endpoint, Region region, AwsCredentialsProvider credentials) {
        return builder(region, credentials).endpointOverride(endpoint).build();
    }

    static DynamoDbClientBuilder builder(Region region, AwsCredentialsProvider credentials) {
        return DynamoDbClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(ATTEMPT_TIMEOUT))
                .overrideConfiguration(o -> o
                        .apiCallAttemptTimeout(ATTEMPT_TIMEOUT)
                        .apiCallTimeout(CALL_TIMEOUT)
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(MAX_ATTEMPTS)
                                .build()));
    }
}
