package io.llmgateway.local;

import io.llmgateway.backend.ProxyEvent;
import io.llmgateway.backend.ProxyResponse;
import io.llmgateway.backend.authorizer.ApiKeyAuthorizer;
import io.llmgateway.config.StackConfig;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.GatewayResponse;
import io.llmgateway.contract.GatewayResponses;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.Health;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.contract.Route;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What API Gateway does with a request, in its order: with CORS, an {@code OPTIONS} preflight on a
 * route's path is answered at once (the stack's MOCK integration: no key, no authorizer, no Lambda),
 * and so is {@code GET /health};
 * the route exists (else
 * MISSING_AUTHENTICATION_TOKEN), the body fits in 10 MB (REQUEST_TOO_LARGE), the authorizer finds a
 * key (UNAUTHORIZED, ACCESS_DENIED), the key exists and is enabled (INVALID_API_KEY), the usage-plan
 * and stage throttles and the quota allow it (THROTTLED, QUOTA_EXCEEDED), and the Lambda proxy
 * integration answers in time (INTEGRATION_TIMEOUT, INTEGRATION_FAILURE). Refusals are the stack's
 * own gateway responses ({@link StackConfig#gatewayResponses()}).
 */
final class ApiGatewayPipeline {

    /** What the stack's preflight integration answers with. */
    static final int CORS_PREFLIGHT_STATUS = 200;

    /** API Gateway's request payload limit. */
    static final int MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

    /** Retry-After of a body refused because the gateway holds as many body bytes as it may. */
    static final int BUSY_RETRY_AFTER_SECONDS = 1;

    /**
     * A request's outcome, with what the access log needs.
     *
     * @param resourcePath     the matched resource's path ({@code $context.resourcePath}), or null
     * @param apiKeyId         the id of the key usage plans matched, or null
     * @param integrationNanos how long the backend took, or -1 when it was not called or did not answer
     */
    record Handled(LocalResponse answer, String resourcePath, String apiKeyId, long integrationNanos) {
        /** @param route the matched route, or null */
        Handled(LocalResponse answer, Route route, String apiKeyId, long integrationNanos) {
            this(answer, route == null ? null : route.path(), apiKeyId, integrationNanos);
        }
    }

    private final StackConfig config;
    private final List<GatewayResponse> responses;
    private final Cors cors;
    private final ApiKeys keys;
    private final AuthorizerEmulation authorizer;
    private final UsageLimiter limiter;
    private final LambdaInvoker backend;
    /** The streaming routes' integration; null when none streams. */
    private final LocalRuntime streaming;

    /** The stage's variables, in every event as the deployed stage puts them (the entitlements version). */
    private final Map<String, String> stageVariables;

    ApiGatewayPipeline(StackConfig config, ApiKeys keys, AuthorizerEmulation authorizer, UsageLimiter limiter,
                       LambdaInvoker backend, LocalRuntime streaming, Map<String, String> stageVariables) {
        this.streaming = streaming;
        this.config = config;
        this.stageVariables = Map.copyOf(stageVariables);
        this.responses = config.gatewayResponses();
        this.cors = config.edge().cors();
        this.keys = keys;
        this.authorizer = authorizer;
        this.limiter = limiter;
        this.backend = backend;
    }

    /** @throws IOException when the client's body cannot be read (it went away) */
    Handled handle(IncomingRequest request, String requestId) throws IOException {
        Optional<String> path = request.resourcePath(config.stageName());
        if (cors.enabled() && request.method().equals(Cors.OPTIONS) && path.filter(p -> Route.hasPath(config.routes(), p)).isPresent()) {
            return preflight(request, path.get());
        }
        if (request.method().equals(Health.METHOD) && path.filter(Health.PATH::equals).isPresent()) {
            return health();
        }
        Optional<Route.Match> found = path.flatMap(p -> Route.match(config.routes(), request.method(), p));
        if (found.isEmpty()) {
            // API Gateway has no method here: MISSING_AUTHENTICATION_TOKEN, which the stack makes a 404.
            return refused(request, GatewayResponses.MISSING_AUTHENTICATION_TOKEN, null, null);
        }
        Route route = found.get().route();
        byte[] body;
        try {
            body = request.body().readAtMost(MAX_PAYLOAD_BYTES);
        } catch (RequestBody.Busy busy) {
            // Not API Gateway's: a fleet never runs out of room for bodies, one process does.
            return new Handled(LocalResponse.local(OpenAiError.gatewayBusy(), Map.of(Headers.RETRY_AFTER,
                    Integer.toString(BUSY_RETRY_AFTER_SECONDS))), route, null, -1);
        }
        if (body == null) {
            return refused(request, GatewayResponses.REQUEST_TOO_LARGE, route, null);
        }
        AuthorizerEmulation.Verdict verdict = authorizer.authorize(request, route.path(), requestId);
        if (verdict instanceof AuthorizerEmulation.Verdict.Refused refused) {
            return refused(request, refused.responseType(), route, null);
        }
        String keyValue = ((AuthorizerEmulation.Verdict.Allowed) verdict).apiKey();
        // API Gateway checks the authorizer's key against the usage plans on every request, cached or not.
        Optional<ApiKeys.Key> known = keys.byValue(keyValue);
        if (known.isEmpty() || !known.get().client().enabled()) {
            return refused(request, GatewayResponses.INVALID_API_KEY, route, null);
        }
        ApiKeys.Key key = known.get();
        UsageLimiter.Outcome outcome = limiter.admit(key, route);
        if (outcome instanceof UsageLimiter.Outcome.Throttled) {
            return refused(request, GatewayResponses.THROTTLED, route, key.id());
        }
        if (outcome instanceof UsageLimiter.Outcome.QuotaExceeded exceeded) {
            // Where the local gateway is more precise than AWS: it knows the window, so Retry-After is
            // the exact time to the next quota period rather than the deployed fixed value.
            LocalResponse quota = LocalResponse.gateway(responses, GatewayResponses.QUOTA_EXCEEDED, request::header)
                    .withHeader(Headers.RETRY_AFTER, Long.toString(exceeded.retryAfterSeconds()));
            return new Handled(quota, route, key.id(), -1);
        }
        return invokeBackend(request, requestId, found.get(), path.get(), key, body);
    }

    /**
     * The proxy event as API Gateway builds it: the route's resource path ({@code /v1/models/{model}}) as
     * {@code resource}, the request's path as {@code path}, and the path parameters.
     */
    private Handled invokeBackend(IncomingRequest request, String requestId, Route.Match match, String path,
                                  ApiKeys.Key key, byte[] body) {
        Route route = match.route();
        ProxyEvent event = ProxyEvent.request(request.method(), route.path())
                .path(path)
                .stage(config.stageName())
                .api(LocalGateway.ACCOUNT_ID, LocalGateway.API_ID)
                .requestId(requestId)
                .requestTimeEpoch(request.received().toEpochMilli())
                .protocol(request.protocol())
                .sourceIp(request.sourceIp())
                .apiKey(key.id(), key.value())
                .principalId(ApiKeyAuthorizer.PRINCIPAL)
                .headers(request.headers())
                .body(body.length == 0 ? null : new String(body, StandardCharsets.UTF_8));
        request.queryParameters().forEach((name, values) -> values.forEach(v -> event.queryParameter(name, v)));
        match.pathParameters().forEach(event::pathParameter);
        stageVariables.forEach(event::stageVariable);

        // The route's integration timeout, as the stack's document sets it: a streaming route's is its own.
        long timeoutMs = config.streaming().integrationTimeoutMs(route, config.api().integrationTimeoutMs());
        if (streaming != null && config.streaming().streams(route)) {
            return invokeStreaming(request, route, key, event.toJson(), timeoutMs);
        }
        LambdaInvoker.Result result = backend.invoke(event.toJson(), requestId, timeoutMs);
        if (result instanceof LambdaInvoker.Result.TimedOut) {
            return refused(request, GatewayResponses.INTEGRATION_TIMEOUT, route, key.id());
        }
        if (!(result instanceof LambdaInvoker.Result.Returned returned)) {
            return refused(request, GatewayResponses.INTEGRATION_FAILURE, route, key.id());
        }
        try {
            return new Handled(LocalResponse.fromBackend(ProxyResponse.read(returned.output())), route, key.id(), returned.nanos());
        } catch (IOException | RuntimeException e) {
            // API Gateway's answer to a malformed proxy response.
            return new Handled(LocalResponse.gateway(responses, GatewayResponses.INTEGRATION_FAILURE, request::header), route,
                    key.id(), returned.nanos());
        }
    }

    /** A STREAM integration: InvokeWithResponseStream, the prelude read, the body passed on as it comes. */
    private Handled invokeStreaming(IncomingRequest request, Route route, ApiKeys.Key key, byte[] event, long timeoutMs) {
        long started = System.nanoTime();
        LocalRuntime.Start start;
        try {
            start = streaming.invoke(event, timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return refused(request, GatewayResponses.INTEGRATION_FAILURE, route, key.id());
        }
        if (start instanceof LocalRuntime.Start.TimedOut) {
            return refused(request, GatewayResponses.INTEGRATION_TIMEOUT, route, key.id());
        }
        if (!(start instanceof LocalRuntime.Start.Streaming streamed)) {
            return refused(request, GatewayResponses.INTEGRATION_FAILURE, route, key.id());
        }
        return new Handled(LocalResponse.streamed(streamed), route, key.id(), System.nanoTime() - started);
    }

    /** API Gateway's answer to a request the pipeline failed on (a bug here): its generic 500. */
    Handled internalError(IncomingRequest request) {
        return new Handled(LocalResponse.gateway(responses, GatewayResponses.DEFAULT_5XX, 500, "Internal server error",
                request::header), (String) null, null, -1);
    }

    private Handled refused(IncomingRequest request, String responseType, Route route, String apiKeyId) {
        return new Handled(LocalResponse.gateway(responses, responseType, request::header), route, apiKeyId, -1);
    }

    /** The stack's MOCK integration for {@code GET /health}: no key, no authorizer, no Lambda. */
    private static Handled health() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put(Headers.CONTENT_TYPE, List.of(Headers.JSON));
        return new Handled(new LocalResponse(Health.STATUS, headers, Health.BODY.getBytes(StandardCharsets.UTF_8), null),
                Health.PATH, null, -1);
    }

    /**
     * The stack's MOCK integration for OPTIONS ({@code infra.CorsPreflight}): 200, the resource's
     * methods, and the origin only when it is allowed; no body, no key, no Lambda.
     *
     * @param path a request path some route serves, e.g. {@code /v1/models/nova-micro}
     */
    private Handled preflight(IncomingRequest request, String path) {
        List<String> methods = Route.methodsFor(config.routes(), path);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put(Headers.CONTENT_TYPE, List.of(Headers.JSON));
        cors.preflightHeaders(request.header(Cors.ORIGIN), methods).forEach((name, value) -> headers.put(name, List.of(value)));
        // The access log names the resource (the route's template), as API Gateway's does.
        String resource = Route.match(config.routes(), methods.get(0), path).map(m -> m.route().path()).orElse(path);
        return new Handled(new LocalResponse(CORS_PREFLIGHT_STATUS, headers, new byte[0], null), resource, null, -1);
    }
}
