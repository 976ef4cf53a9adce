package io.llmgateway.local;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.llmgateway.backend.GatewayHandler;
import io.llmgateway.backend.ProxyEvent;
import io.llmgateway.backend.ProxyResponse;
import io.llmgateway.backend.authorizer.ApiKeyAuthorizer;
import io.llmgateway.config.GatewayConfig;
import io.llmgateway.contract.AccessLogFormat;
import io.llmgateway.contract.GatewayResponse;
import io.llmgateway.contract.GatewayResponses;
import io.llmgateway.contract.Headers;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Route;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * API Gateway on loopback. It serves the stack's routes under {@code /<stage>}, and before the
 * backend runs it enforces what API Gateway enforces, in the same order: the route exists, the body
 * fits, the authorizer finds a key, the key exists and is enabled, the usage plan's throttles, the
 * stage throttle and the quota. Refusals are the stack's own gateway responses
 * ({@link GatewayConfig#gatewayResponses()}). Accepted requests become the REST proxy event API
 * Gateway would send, handed to the same authorizer and backend handler classes the stack deploys.
 *
 * <p>Unlike AWS, whose throttles and quotas are best effort across a fleet, these limits are exact.
 */
public final class LocalGateway implements AutoCloseable {

    /** API Gateway's request payload limit. */
    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
    static final String ACCOUNT_ID = "000000000000";
    static final String API_ID = "local";

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle's algorithm
        // and the client's delayed ACK hold every keep-alive response back by ~40 ms. The JDK reads
        // this once, when the first server of the process starts.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final GatewayConfig config;
    private final ApiKeys keys;
    private final UsageLimiter limiter;
    private final LocalClock clock;
    private final PrintStream accessLog;
    private final RequestStreamHandler authorizer;
    private final RequestStreamHandler backend;
    private final List<GatewayResponse> responses;
    private final Map<String, CachedKey> authorizerCache = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService requestThreads;
    private final ExecutorService invocations;

    private record CachedKey(Optional<String> key, long expiresAtNanos) {
    }

    private LocalGateway(GatewayConfig config, BedrockRuntimeClient model, InetSocketAddress address,
                         LocalClock clock, PrintStream accessLog, SecureRandom random) throws IOException {
        this.config = config;
        this.keys = ApiKeys.forConfig(config, random);
        this.limiter = new UsageLimiter(config, clock);
        this.clock = clock;
        this.accessLog = accessLog;
        // The functions' own log lines go where the access log goes, as both land in CloudWatch on AWS.
        this.authorizer = new ApiKeyAuthorizer(accessLog::println);
        this.backend = new GatewayHandler(model, config.backendSettings(), java.time.Clock.systemUTC(),
                accessLog::println);
        this.responses = config.gatewayResponses();
        this.server = HttpServer.create(address, 256);
        this.requestThreads = Executors.newFixedThreadPool(32, daemon("local-gateway-http"));
        this.invocations = Executors.newCachedThreadPool(daemon("local-gateway-lambda"));
        server.setExecutor(requestThreads);
        server.createContext("/", this::serve);
    }

    /**
     * Starts a gateway.
     *
     * @param config    the validated stack config
     * @param model     the Bedrock client the backend handler calls: {@link EchoModel} or a real one
     * @param address   where to listen; port 0 picks a free port
     * @param clock     time for throttles and quota windows
     * @param accessLog where the per-request access-log lines go (the stage's access log on AWS)
     */
    public static LocalGateway start(GatewayConfig config, BedrockRuntimeClient model, InetSocketAddress address,
                                     LocalClock clock, PrintStream accessLog) throws IOException {
        LocalGateway gateway = new LocalGateway(config, model, address, clock, accessLog, new SecureRandom());
        gateway.server.start();
        return gateway;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** What OpenAI SDKs take as their base URL: {@code http://127.0.0.1:<port>/<stage>/v1}. */
    public URI baseUrl() {
        return URI.create("http://" + server.getAddress().getHostString() + ":" + port() + "/" + config.stageName() + "/v1");
    }

    /** Client name to API key value. */
    public Map<String, String> apiKeys() {
        Map<String, String> result = new LinkedHashMap<>();
        keys.all().forEach(k -> result.put(k.client().name(), k.value()));
        return result;
    }

    List<ApiKeys.Key> keys() {
        return keys.all();
    }

    public GatewayConfig config() {
        return config;
    }

    @Override
    public void close() {
        server.stop(0);
        requestThreads.shutdownNow();
        invocations.shutdownNow();
    }

    // ---- the pipeline -------------------------------------------------------------------------

    private void serve(HttpExchange exchange) {
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        Answer answer;
        Pipeline pipeline = new Pipeline(exchange, requestId);
        try (exchange) {
            try {
                answer = pipeline.run();
            } catch (RuntimeException e) {
                answer = gateway(GatewayResponses.DEFAULT_5XX, 500, "Internal server error");
            }
            write(exchange, requestId, answer);
        } catch (IOException e) {
            // The client went away; nothing to answer.
            answer = null;
        }
        if (answer != null) {
            logAccess(exchange, requestId, pipeline, answer, started);
        }
    }

    /** One response: status, headers, body, and the gateway response type when API Gateway produced it. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body, String responseType) {
    }

    private final class Pipeline {
        private final HttpExchange exchange;
        private final String requestId;
        private Route route;
        private String apiKeyId;
        private long integrationNanos = -1;

        Pipeline(HttpExchange exchange, String requestId) {
            this.exchange = exchange;
            this.requestId = requestId;
        }

        Answer run() throws IOException {
            String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
            String rawPath = exchange.getRequestURI().getRawPath();
            String prefix = "/" + config.stageName();
            Optional<Route> route = Optional.empty();
            String path = null;
            if (rawPath.startsWith(prefix + "/")) {
                path = rawPath.substring(prefix.length());
                route = Route.find(method, path);
            }
            this.route = route.orElse(null);
            if (route.isEmpty()) {
                // API Gateway has no method here: MISSING_AUTHENTICATION_TOKEN, which the stack makes a 404.
                return gateway(GatewayResponses.MISSING_AUTHENTICATION_TOKEN);
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                return gateway(GatewayResponses.REQUEST_TOO_LARGE);
            }
            Map<String, List<String>> headers = requestHeaders();
            String authorization = first(headers, Headers.AUTHORIZATION);
            Optional<String> key;
            if (config.authorizerCacheTtlSeconds() > 0) {
                // With caching, the identity source is the Authorization header: API Gateway
                // answers 401 UNAUTHORIZED without running the authorizer when it is missing.
                if (authorization == null || authorization.isBlank()) {
                    return gateway(GatewayResponses.UNAUTHORIZED);
                }
                key = cachedAuthorize(authorization, method, path, headers);
            } else {
                key = authorize(method, path, headers);
            }
            if (key.isEmpty()) {
                return gateway(GatewayResponses.ACCESS_DENIED);
            }
            Optional<ApiKeys.Key> known = keys.byValue(key.get());
            if (known.isEmpty() || !known.get().client().enabled()) {
                return gateway(GatewayResponses.INVALID_API_KEY);
            }
            ApiKeys.Key apiKey = known.get();
            apiKeyId = apiKey.id();
            UsageLimiter.Outcome outcome = limiter.admit(apiKey, route.get());
            if (outcome instanceof UsageLimiter.Outcome.Throttled) {
                return gateway(GatewayResponses.THROTTLED);
            }
            if (outcome instanceof UsageLimiter.Outcome.QuotaExceeded exceeded) {
                // The one place the local gateway is more precise than AWS: it knows the window,
                // so Retry-After is the exact time to the next quota period.
                Answer quota = gateway(GatewayResponses.QUOTA_EXCEEDED);
                Map<String, List<String>> withRetry = new LinkedHashMap<>(quota.headers());
                withRetry.put(Headers.RETRY_AFTER, List.of(Long.toString(exceeded.retryAfterSeconds())));
                return new Answer(quota.status(), withRetry, quota.body(), quota.responseType());
            }
            return invokeBackend(method, path, headers, body, apiKey);
        }

        private Map<String, List<String>> requestHeaders() {
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            return headers;
        }

        private Optional<String> cachedAuthorize(String authorization, String method, String path,
                                                 Map<String, List<String>> headers) throws IOException {
            long now = clock.nanoTime();
            CachedKey cached = authorizerCache.get(authorization);
            if (cached != null && now < cached.expiresAtNanos()) {
                return cached.key();
            }
            Optional<String> key = authorize(method, path, headers);
            authorizerCache.put(authorization, new CachedKey(key, now + config.authorizerCacheTtlSeconds() * 1_000_000_000L));
            return key;
        }

        /** Runs the authorizer on the REQUEST event API Gateway would send; empty on Deny. */
        @SuppressWarnings("unchecked")
        private Optional<String> authorize(String method, String path, Map<String, List<String>> headers) throws IOException {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", "REQUEST");
            event.put("methodArn", "arn:aws:execute-api:local:" + ACCOUNT_ID + ":" + API_ID + "/"
                    + config.stageName() + "/" + method + path);
            event.put("resource", path);
            event.put("path", path);
            event.put("httpMethod", method);
            event.put("headers", singleValues(headers));
            event.put("multiValueHeaders", headers);
            event.put("queryStringParameters", singleValues(queryParameters()));
            event.put("requestContext", Map.of("requestId", requestId, "stage", config.stageName(),
                    "apiId", API_ID, "accountId", ACCOUNT_ID, "httpMethod", method, "resourcePath", path));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            authorizer.handleRequest(new ByteArrayInputStream(Json.writeBytes(event)), out,
                    new LocalLambdaContext(requestId, "authorizer", 512, 5_000));
            Map<String, Object> policy = (Map<String, Object>) Json.read(out.toByteArray());
            Map<String, Object> document = (Map<String, Object>) policy.get("policyDocument");
            List<Map<String, Object>> statements = (List<Map<String, Object>>) document.get("Statement");
            boolean allowed = statements.stream().allMatch(s -> "Allow".equals(s.get("Effect")));
            Object key = policy.get("usageIdentifierKey");
            return allowed && key instanceof String s ? Optional.of(s) : Optional.empty();
        }

        private Answer invokeBackend(String method, String path, Map<String, List<String>> headers, byte[] body,
                                     ApiKeys.Key apiKey) throws IOException {
            ProxyEvent event = ProxyEvent.request(method, path)
                    .stage(config.stageName())
                    .api(ACCOUNT_ID, API_ID)
                    .requestId(requestId)
                    .requestTimeEpoch(clock.now().toEpochMilli())
                    .protocol(exchange.getProtocol())
                    .sourceIp(exchange.getRemoteAddress().getAddress().getHostAddress())
                    .apiKey(apiKey.id(), apiKey.value())
                    .principalId(ApiKeyAuthorizer.PRINCIPAL)
                    .headers(headers)
                    .body(body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
            queryParameters().forEach((name, values) -> values.forEach(v -> event.queryParameter(name, v)));
            byte[] input = event.toJson();

            int timeoutMs = config.integrationTimeoutMs();
            Future<byte[]> invocation = invocations.submit(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                backend.handleRequest(new ByteArrayInputStream(input), out, new LocalLambdaContext(
                        requestId, "backend", config.lambdaMemoryMb(), config.lambdaTimeoutSeconds() * 1000L));
                return out.toByteArray();
            });
            byte[] output;
            long invoked = System.nanoTime();
            try {
                output = invocation.get(timeoutMs, TimeUnit.MILLISECONDS);
                integrationNanos = System.nanoTime() - invoked;
            } catch (TimeoutException e) {
                invocation.cancel(true);
                return gateway(GatewayResponses.INTEGRATION_TIMEOUT);
            } catch (ExecutionException e) {
                return gateway(GatewayResponses.INTEGRATION_FAILURE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return gateway(GatewayResponses.INTEGRATION_FAILURE);
            }
            ProxyResponse response;
            try {
                response = ProxyResponse.read(output);
            } catch (IOException | RuntimeException e) {
                // API Gateway's answer to a malformed proxy response.
                return gateway(GatewayResponses.INTEGRATION_FAILURE);
            }
            return new Answer(response.statusCode(), response.headers(), response.body(), null);
        }

        private Map<String, List<String>> queryParameters() {
            Map<String, List<String>> query = new LinkedHashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            if (raw == null || raw.isEmpty()) {
                return query;
            }
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
            return query;
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Answer gateway(String responseType) {
        return gateway(responseType, null, null);
    }

    private Answer gateway(String responseType, Integer status, String awsMessage) {
        GatewayResponse response = GatewayResponses.find(responses, responseType)
                .orElseThrow(() -> new IllegalStateException("no gateway response " + responseType));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().forEach((name, value) -> headers.put(name, List.of(value)));
        int code = response.statusCode() != null ? response.statusCode() : status;
        String body = response.render(awsMessage == null ? "" : awsMessage);
        return new Answer(code, headers, body.getBytes(StandardCharsets.UTF_8), responseType);
    }

    /** The body, or null when it is over API Gateway's 10 MB limit. */
    private static byte[] readBody(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
            if (out.size() + read > MAX_PAYLOAD_BYTES) {
                return null;
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    private void write(HttpExchange exchange, String requestId, Answer answer) throws IOException {
        com.sun.net.httpserver.Headers out = exchange.getResponseHeaders();
        answer.headers().forEach((name, values) -> out.put(name, new ArrayList<>(values)));
        out.set("x-amzn-RequestId", requestId);
        byte[] body = answer.body();
        exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    /**
     * One line per request, in the stage's access-log format ({@link AccessLogFormat}): the same
     * fields, filled from what this gateway knows. Latencies are milliseconds with microsecond
     * precision; responseLatency minus integrationLatency is the gateway's own time.
     */
    private void logAccess(HttpExchange exchange, String requestId, Pipeline pipeline, Answer answer, long startedNanos) {
        Map<String, Object> context = new HashMap<>();
        context.put("$context.requestId", requestId);
        context.put("$context.requestTime", Instant.now().toString());
        context.put("$context.httpMethod", exchange.getRequestMethod());
        context.put("$context.resourcePath", pipeline.route == null ? null : pipeline.route.path());
        context.put("$context.status", answer.status());
        context.put("$context.protocol", exchange.getProtocol());
        context.put("$context.responseLength", answer.body().length);
        context.put("$context.identity.sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        context.put("$context.identity.userAgent", exchange.getRequestHeaders().getFirst("User-Agent"));
        context.put("$context.identity.apiKeyId", pipeline.apiKeyId);
        context.put("$context.error.responseType", answer.responseType());
        context.put("$context.integrationLatency", pipeline.integrationNanos < 0 ? null : millis(pipeline.integrationNanos));
        context.put("$context.responseLatency", millis(System.nanoTime() - startedNanos));
        Map<String, Object> line = new LinkedHashMap<>();
        AccessLogFormat.FIELDS.forEach((field, variable) -> line.put(field, context.get(variable)));
        accessLog.println(Json.write(line));
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(e.getValue().size() - 1);
            }
        }
        return null;
    }

    /** API Gateway's single-value view of a multi-value map: the last value wins. */
    private static Map<String, String> singleValues(Map<String, List<String>> multi) {
        Map<String, String> single = new LinkedHashMap<>();
        multi.forEach((name, values) -> {
            if (!values.isEmpty()) {
                single.put(name, values.get(values.size() - 1));
            }
        });
        return single;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
