package io.llmgateway.local;

import io.llmgateway.backend.metering.CounterStore;
import io.llmgateway.backend.metering.InMemoryCounterStore;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.Json;
import io.llmgateway.config.StackConfig;
import io.llmgateway.contract.GatewayResponses;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * A local gateway of a test's own, on a fake clock, with its access log and the functions' log lines
 * captured. One per test, so no test sees another's buckets, quotas or cache.
 */
final class TestGateway implements AutoCloseable {

    static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    /** Generous: a hang detector, never a measurement. */
    static final Duration HANG = Duration.ofSeconds(30);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(HANG).build();
    static final String CHAT = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}";

    final StackConfig config;
    final FakeClock clock = new FakeClock(START);
    /** Guarded by itself; waiters are notified of each line. */
    final List<String> accessLog = new ArrayList<>();
    private static final long DEFAULT_BODY_BYTES = 64L * 1024 * 1024;

    final List<String> functionLog = Collections.synchronizedList(new ArrayList<>());
    final LocalGateway gateway;

    private TestGateway(StackConfig config, BedrockRuntimeClient model, Duration grace, long bodyBytesInFlight,
                        Function<List<EntitlementItems.Item>, CounterStore> tokenStore) throws IOException {
        this.config = config;
        this.gateway = LocalGateway.builder(config).model(model).clock(clock).maxBodyBytesInFlight(bodyBytesInFlight)
                .tokenStore(tokenStore)
                .accessLog(this::logAccess).functionLog(functionLog::add).shutdownGrace(grace).start();
    }

    static TestGateway start(StackConfig config) throws IOException {
        return new TestGateway(config, new EchoModel(), Duration.ofSeconds(5), DEFAULT_BODY_BYTES, InMemoryCounterStore::new);
    }

    static TestGateway start(StackConfig config, BedrockRuntimeClient model, Duration grace) throws IOException {
        return new TestGateway(config, model, grace, DEFAULT_BODY_BYTES, InMemoryCounterStore::new);
    }

    /** With room for only {@code bodyBytesInFlight} bytes of request bodies at once. */
    static TestGateway withBodyBudget(StackConfig config, long bodyBytesInFlight) throws IOException {
        return new TestGateway(config, new EchoModel(), Duration.ofSeconds(5), bodyBytesInFlight, InMemoryCounterStore::new);
    }

    /** With the token counters in this store, given the entitlement items it is to hold. */
    static TestGateway start(StackConfig config, BedrockRuntimeClient model,
                             Function<List<EntitlementItems.Item>, CounterStore> tokenStore) throws IOException {
        return new TestGateway(config, model, Duration.ofSeconds(5), DEFAULT_BODY_BYTES, tokenStore);
    }

    int port() {
        return gateway.baseUrl().getPort();
    }

    String key(String client) {
        return gateway.apiKeys().get(client);
    }

    String keyId(String client) {
        return gateway.keys().stream().filter(k -> k.client().name().equals(client)).findFirst().orElseThrow().id();
    }

    String expectedBody(String responseType) {
        return GatewayResponses.find(config.gatewayResponses(), responseType).orElseThrow().render("");
    }

    HttpResponse<String> send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path)).timeout(HANG)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> models(String client) throws IOException, InterruptedException {
        return send("GET", "/" + config.stageName() + "/v1/models", null, "Authorization", "Bearer " + key(client));
    }

    HttpResponse<String> chat(String client) throws IOException, InterruptedException {
        return send("POST", "/" + config.stageName() + "/v1/chat/completions", CHAT, "Authorization", "Bearer " + key(client));
    }

    /**
     * The first {@code n} access-log lines, parsed. A line is written just after its answer is sent,
     * so this waits for it (the hang detector bounds the wait).
     */
    List<Map<String, Object>> accessLines(int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + HANG.toNanos();
        List<String> first;
        synchronized (accessLog) {
            while (accessLog.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " access-log lines, got " + accessLog);
                }
                accessLog.wait(Math.max(1, left / 1_000_000));
            }
            first = new ArrayList<>(accessLog.subList(0, n));
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String line : first) {
            lines.add(Json.readObject(line));
        }
        return lines;
    }

    private void logAccess(String line) {
        synchronized (accessLog) {
            accessLog.add(line);
            accessLog.notifyAll();
        }
    }

    @Override
    public void close() {
        gateway.close();
    }
}
