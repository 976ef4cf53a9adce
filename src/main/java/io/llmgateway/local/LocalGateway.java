package io.llmgateway.local;

import io.llmgateway.backend.BackendHandler;
import io.llmgateway.backend.authorizer.ApiKeyAuthorizer;
import io.llmgateway.backend.metering.CounterStore;
import io.llmgateway.backend.metering.InMemoryCounterStore;
import io.llmgateway.backend.metering.TokenMetering;
import io.llmgateway.backend.responses.InMemoryResponseStore;
import io.llmgateway.backend.responses.StoredResponses;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.config.StackConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * API Gateway and the stack's two Lambda functions on loopback. It serves the stack's routes under
 * {@code /<stage>} ({@link HttpFrontEnd}), puts each request through what API Gateway enforces, in
 * API Gateway's order ({@link ApiGatewayPipeline}: route, 10 MB, authorizer and its cache, key,
 * throttles, quota, integration), runs the same authorizer and backend handler classes the stack
 * deploys ({@link AuthorizerEmulation}, {@link LambdaInvoker}), with the same token metering on an
 * in-memory store or a DynamoDB table, and writes the stage's access log ({@link AccessLogWriter}). At
 * {@code /}, outside the stage, it serves a live status page ({@link StatusPage}).
 *
 * <p>Unlike AWS, whose throttles and quotas are best effort across a fleet, these limits are exact.
 */
public final class LocalGateway implements AutoCloseable {

    static final String ACCOUNT_ID = "000000000000";
    static final String API_ID = "local";
    /**
     * How much of a refused, unread body is read and dropped after the answer, so that a client
     * still sending it gets the answer (see {@link RequestBody#skipRest}): twice API Gateway's limit.
     */
    static final long UNREAD_BODY_SKIP_BYTES = 2L * ApiGatewayPipeline.MAX_PAYLOAD_BYTES;
    /** API Gateway adds it to every answer. */
    static final String REQUEST_ID_HEADER = "x-amzn-RequestId";

    private final StackConfig config;
    private final ApiKeys keys;
    private final LocalClock clock;
    private final ApiGatewayPipeline pipeline;
    private final AccessLogWriter accessLog;
    private final LambdaInvoker backend;
    /** The streaming routes' integration, or null when the stack streams none. */
    private final LocalRuntime runtime;
    private final LocalStatus status = new LocalStatus();
    private final StatusPage statusPage;
    private final HttpFrontEnd http;
    private final TokenMetering metering;

    private LocalGateway(Builder b) throws IOException {
        this.config = b.config;
        this.clock = b.clock;
        this.keys = ApiKeys.forConfig(config, new SecureRandom(), b.keyFile == null ? Map.of() : b.keyFile.load());
        if (b.keyFile != null) {
            b.keyFile.save(keys.all());
        }
        // On AWS both functions' own lines and the access log land in CloudWatch Logs, in groups of
        // their own; here each has a sink of its own.
        int cacheTtl = config.api().authorizerCacheTtlSeconds();
        AuthorizerCache cache = cacheTtl > 0 ? new AuthorizerCache(cacheTtl, AuthorizerCache.DEFAULT_MAX_ENTRIES) : null;
        AuthorizerEmulation authorizer = new AuthorizerEmulation(new ApiKeyAuthorizer(b.functionLog), cache,
                config.stageName(), clock, b.functionLog);
        // The stack's entitlement items for these keys, in the token store the backend meters on: the
        // same TokenMetering as on Lambda, on memory or on a DynamoDB endpoint.
        Map<String, String> planByKeyId = new LinkedHashMap<>();
        keys.all().forEach(k -> planByKeyId.put(k.id(), k.plan().name()));
        List<EntitlementItems.Item> items = EntitlementItems.items(LocalGuardrails.route(config), planByKeyId,
                EntitlementItems.shardCount(planByKeyId.size()));
        this.metering = new TokenMetering(b.tokenStore.apply(items), config.tokenStore().failureMode(), clock.wallClock());
        // The backend's request lines also feed the status page's token use.
        Consumer<String> backendLog = line -> {
            status.backendLine(line);
            b.functionLog.accept(line);
        };
        // The plans' declared guardrails, emulated in front of the model, buffered and streamed alike.
        BedrockRuntimeClient model = new LocalGuardrails(b.model, config);
        BedrockRuntimeAsyncClient streams = b.streams != null ? b.streams
                : b.model instanceof EchoModel echo ? new EchoStreams(model, echo.tokenDelay()) : null;
        // Stored responses, when the stack stores them: in memory, for as long as the gateway runs.
        StoredResponses stored = config.responseStorage().enabled() ? new StoredResponses(new InMemoryResponseStore(),
                config.responseStorage().ttlDays(), clock.wallClock()) : null;
        BackendHandler handler = new BackendHandler(model, streams, config.backendSettings(), metering, stored,
                clock.wallClock(), backendLog);
        long functionTimeoutMs = config.streaming().functionTimeoutSeconds(config.lambda().timeoutSeconds()) * 1000L;
        this.backend = new LambdaInvoker(handler, "backend", config.lambda().memoryMb(), functionTimeoutMs, clock,
                b.functionLog);
        // The streaming routes run through the backend's own runtime client, as on Lambda.
        this.runtime = config.streaming().routes().isEmpty() ? null
                : new LocalRuntime(handler, functionTimeoutMs, clock, b.functionLog);
        UsageLimiter limiter = new UsageLimiter(config, clock);
        this.pipeline = new ApiGatewayPipeline(config, keys, authorizer, limiter, backend, runtime,
                Map.of(EntitlementItems.STAGE_VARIABLE, items.get(0).version()));
        this.statusPage = new StatusPage(config, keys, limiter, status, clock);
        this.accessLog = new AccessLogWriter(b.accessLog);
        this.http = new HttpFrontEnd(b.address, this::serve, clock::now, b.bodyBudget, b.shutdownGrace);
    }

    /** A gateway for this validated stack config; {@link Builder#start()} starts it. */
    public static Builder builder(StackConfig config) {
        return new Builder(config);
    }

    /** What OpenAI SDKs take as their base URL: {@code http://127.0.0.1:<port>/<stage>/v1}. */
    public URI baseUrl() {
        InetSocketAddress address = http.address();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/" + config.stageName() + "/v1");
    }

    /** Client name to API key value (secrets: hand them to clients, never to a log). */
    public Map<String, String> apiKeys() {
        Map<String, String> result = new LinkedHashMap<>();
        keys.all().forEach(k -> result.put(k.client().name(), k.value()));
        return result;
    }

    List<ApiKeys.Key> keys() {
        return keys.all();
    }

    StackConfig config() {
        return config;
    }

    /** The status page's address: {@code http://127.0.0.1:<port>/}. */
    public URI statusUrl() {
        InetSocketAddress address = http.address();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + StatusPage.PAGE);
    }

    /** The backend's token metering: its counts, and the entitlements it loaded. */
    TokenMetering metering() {
        return metering;
    }

    /** Requests being handled now. */
    int inFlight() {
        return http.inFlight();
    }

    /**
     * Stops accepting connections, lets requests in flight finish for up to the shutdown grace, then
     * closes what is left.
     */
    @Override
    public void close() {
        http.close();
        backend.close();
        if (runtime != null) {
            runtime.close();
        }
    }

    private void serve(IncomingRequest request, HttpFrontEnd.Responder responder) throws IOException {
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        try {
            if (StatusPage.serves(request)) {
                // Not API Gateway's: no stage, no key, no access-log line.
                respond(responder, request, requestId, statusPage.answer(request, baseUrl().toString()));
                return;
            }
            ApiGatewayPipeline.Handled handled;
            try {
                handled = pipeline.handle(request, requestId);
            } catch (RuntimeException e) {
                handled = pipeline.internalError(request);
            }
            respond(responder, request, requestId, handled.answer());
            accessLog.write(request, requestId, handled, System.nanoTime() - started);
            status.answered(request.received(), handled.apiKeyId(),
                    handled.resourcePath() == null ? null : request.method() + " " + handled.resourcePath(), handled.answer());
            request.body().skipRest(UNREAD_BODY_SKIP_BYTES);
        } finally {
            request.body().release();
        }
    }

    /**
     * Sends an answer. API Gateway adds {@code x-amzn-RequestId} to every response, its own and the
     * backend's; {@code x-request-id} is the backend's, so the gateway's own refusals do not carry it
     * (gateway response headers take only static values or request parameters, not
     * {@code $context.requestId}).
     */
    private void respond(HttpFrontEnd.Responder responder, IncomingRequest request, String requestId, LocalResponse answer)
            throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>(answer.headers());
        headers.put(REQUEST_ID_HEADER, List.of(requestId));
        if (!request.body().complete() || http.closing()) {
            // An unread body (refused before it was read) is not worth waiting for, and a closing
            // gateway takes no more requests: either way this connection carries no other request.
            headers.put("Connection", List.of("close"));
        }
        if (answer.stream() != null) {
            responder.stream(answer.status(), headers, answer.stream());
        } else {
            responder.send(answer.status(), headers, answer.body());
        }
    }

    /** How to start a {@link LocalGateway}. */
    public static final class Builder {
        private final StackConfig config;
        private BedrockRuntimeClient model = new EchoModel();
        private BedrockRuntimeAsyncClient streams;
        private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        private LocalClock clock = LocalClock.SYSTEM;
        private Consumer<String> accessLog = line -> { };
        private Consumer<String> functionLog = line -> { };
        private Duration shutdownGrace = Duration.ofSeconds(5);
        private BodyBudget bodyBudget = BodyBudget.forHeap(Runtime.getRuntime().maxMemory());
        private LocalKeyFile keyFile;
        private Function<List<EntitlementItems.Item>, CounterStore> tokenStore = InMemoryCounterStore::new;

        private Builder(StackConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /** The Bedrock client the backend handler calls: {@link EchoModel} (the default) or a real one. */
        public Builder model(BedrockRuntimeClient model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * The client for ConverseStream on the streaming routes: by default the echo model's streams
         * ({@link EchoStreams}) when the model is the echo model; a real Bedrock async client with a real model.
         */
        public Builder streams(BedrockRuntimeAsyncClient streams) {
            this.streams = Objects.requireNonNull(streams, "streams");
            return this;
        }

        /** Where to listen; port 0 (the default, on loopback) picks a free port. */
        public Builder address(InetSocketAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /** Time for throttles, quota windows, the integration timeout and the handler's clock. */
        public Builder clock(LocalClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where token counters live, given the entitlement items to hold: in memory (the default), or
         * a DynamoDB table ({@link LocalTokenTable}).
         */
        public Builder tokenStore(Function<List<EntitlementItems.Item>, CounterStore> store) {
            this.tokenStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Where the stage's access-log lines go, one JSON line per request; discarded by default. */
        public Builder accessLog(Consumer<String> sink) {
            this.accessLog = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** Where the authorizer's and the backend's own log lines go (CloudWatch Logs on AWS); discarded by default. */
        public Builder functionLog(Consumer<String> sink) {
            this.functionLog = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** How long {@link LocalGateway#close()} lets requests in flight finish; 5 s by default. */
        Builder shutdownGrace(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("shutdown grace must not be negative: " + grace);
            }
            this.shutdownGrace = grace;
            return this;
        }

        /**
         * Keeps the keys it generates in {@code file}, under {@code stack}, and takes them from there at
         * the next start; without it (the default) keys are new at every start.
         */
        public Builder keyFile(Path file, String stack) {
            this.keyFile = new LocalKeyFile(Objects.requireNonNull(file, "file"), Objects.requireNonNull(stack, "stack"));
            return this;
        }

        /** The bytes of request bodies held at once; a 32nd of the heap (at least 10 MB) by default. */
        Builder maxBodyBytesInFlight(long bytes) {
            this.bodyBudget = new BodyBudget(bytes);
            return this;
        }

        /** @throws java.net.BindException when the address is in use */
        public LocalGateway start() throws IOException {
            LocalGateway gateway = new LocalGateway(this);
            gateway.http.start();
            return gateway;
        }
    }
}
