package io.llmgateway.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * A Bedrock stub on loopback and the real AWS SDK client pointed at it, for the handler tests that go
 * through the SDK. One WireMock server a test class ({@code @RegisterExtension static}), reset before
 * each test; a fresh client each test, closed after it.
 */
final class BedrockStub implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    static final String CONVERSE_PATH = "/model/.+/converse";

    private WireMockServer server;
    private BedrockRuntimeClient client;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.resetAll();
        client = clientFor(URI.create(server.baseUrl()));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        client.close();
    }

    WireMockServer server() {
        return server;
    }

    /** This test's client, pointed at the stub unless {@link #pointClientAt} moved it. */
    BedrockRuntimeClient client() {
        return client;
    }

    /** Replaces this test's client by one pointed at {@code endpoint}. */
    void pointClientAt(URI endpoint) {
        client.close();
        client = clientFor(endpoint);
    }

    /** The Converse calls the stub received. */
    List<LoggedRequest> converseCalls() {
        return server.findAll(postRequestedFor(urlPathMatching(CONVERSE_PATH)));
    }

    private static BedrockRuntimeClient clientFor(URI endpoint) {
        return BedrockClientFactory.builder(Region.EU_CENTRAL_1,
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSTUBTEST", "stub-secret")))
                .endpointOverride(endpoint)
                .build();
    }
}
