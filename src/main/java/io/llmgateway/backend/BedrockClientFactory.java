package io.llmgateway.backend;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import io.llmgateway.backend.internal.SocketAsyncHttpClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClientBuilder;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClientBuilder;

/**
 * Builds the Bedrock Runtime client the way a Lambda cold start wants it: everything the SDK would
 * otherwise discover is given explicitly (region, credentials provider, HTTP client, retry strategy),
 * which is what keeps a first call fast (aws/aws-sdk-java-v2#3167; AWS SDK for Java 2.x developer guide,
 * "Reduce SDK startup time for AWS Lambda",
 * https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/lambda-optimize-starttime.html).
 *
 * <p>The endpoint is never set here. The SDK itself reads {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME} and
 * {@code AWS_ENDPOINT_URL}, which is how a local stub or a VPC endpoint is chosen.
 */
public final class BedrockClientFactory {

    /**
     * One retry at most. A throttled Bedrock is reported to the client as a 429 quickly rather than
     * retried behind the client's own retry loop, which would multiply the load on a saturated quota.
     */
    static final int MAX_ATTEMPTS = 2;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /**
     * A long read timeout: a model can think for a while before its first byte. The real bound is the
     * per-request API call timeout the handler derives from API Gateway's deadline.
     */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

    private BedrockClientFactory() {
    }

    /** A client for this region and credentials, on the URL-connection HTTP client. */
    public static BedrockRuntimeClient create(Region region, AwsCredentialsProvider credentials) {
        return builder(region, credentials).build();
    }

    /**
     * The client for the Lambda execution environment: {@code AWS_REGION}, and the credentials Lambda
     * provides. Those are the {@code AWS_ACCESS_KEY_ID} variables on an ordinary function, but a SnapStart
     * function gets none: its Java runtime serves them from the container endpoint
     * ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI}; Lambda developer guide, "Activating and managing
     * Lambda SnapStart", credentials). Both are named explicitly; the SDK's default chain is not walked.
     *
     * @throws IllegalStateException when {@code AWS_REGION} is not set
     */
    public static BedrockRuntimeClient fromLambdaEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("environment variable AWS_REGION is not set");
        }
        return create(Region.of(region), lambdaCredentials());
    }

    /**
     * The ConverseStream client for the Lambda execution environment (as {@link #fromLambdaEnvironment}),
     * on a socket per call ({@link SocketAsyncHttpClient}): the SDK offers event-stream operations only
     * on its asynchronous client, whose own HTTP clients (Netty, CRT) stay out of the Lambda zip.
     */
    public static BedrockRuntimeAsyncClient streamingFromLambdaEnvironment() {
        String region = System.getenv("AWS_REGION");
        if (region == null || region.isBlank()) {
            throw new IllegalStateException("environment variable AWS_REGION is not set");
        }
        return streamingBuilder(Region.of(region), lambdaCredentials()).build();
    }

    /** The configured ConverseStream builder, for callers that add to it (a test's endpoint override). */
    public static BedrockRuntimeAsyncClientBuilder streamingBuilder(Region region, AwsCredentialsProvider credentials) {
        return BedrockRuntimeAsyncClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(new SocketAsyncHttpClient(CONNECT_TIMEOUT))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy()
                        .toBuilder()
                        .maxAttempts(MAX_ATTEMPTS)
                        .build()));
    }

    static AwsCredentialsProvider lambdaCredentials() {
        boolean environmentKeys = System.getenv("AWS_ACCESS_KEY_ID") != null;
        if (!environmentKeys && System.getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI") != null) {
            return ContainerCredentialsProvider.builder().build();
        }
        return EnvironmentVariableCredentialsProvider.create();
    }

    /**
     * The configured builder on the URL-connection HTTP client, for callers that add to it (a test's
     * endpoint override).
     */
    public static BedrockRuntimeClientBuilder builder(Region region, AwsCredentialsProvider credentials) {
        return withoutHttpClient(region, credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT));
    }

    /** Everything but the HTTP client, which the SnapStart priming replaces with an in-process one. */
    static BedrockRuntimeClientBuilder withoutHttpClient(Region region, AwsCredentialsProvider credentials) {
        return BedrockRuntimeClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy()
                        .toBuilder()
                        .maxAttempts(MAX_ATTEMPTS)
                        .build()));
    }
}
