package io.llmgateway.backend.internal;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.llmgateway.backend.metering.Caller;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.Metrics;
import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.contract.RateLimits;
import io.llmgateway.contract.Route;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * The backend's request path: a proxy event in, a proxy response out, one log line written. It is
 * stateless and thread-safe, so the local gateway may call it from several threads.
 *
 * <p>Whatever the input, the answer is an OpenAI-shaped response: client mistakes are 4xx, and a 5xx
 * only ever reports a fault of Bedrock or of the deployment, with its real cause in the log.
 */
public final class Gateway {

    private static final String ALL_METHODS_ALLOW = "the methods in the Allow header";
    /** The API's id as the event gives it, on the line until the metrics bound it ({@link EmbeddedMetrics}). */
    private static final String API_ID = Metrics.Dimension.API_ID.key();

    private final BackendSettings settings;
    private final Cors cors;
    private final Metering metering;
    private final ChatRoute chat;
    private final EmbeddingsRoute embeddings;
    private final Consumer<String> log;
    private final Clock clock;
    /** Set when the function's configuration could not be read at init: every request is then a 500. */
    private final String initFailure;

    /**
     * @param metering what each caller may use and spend ({@link Metering#UNMETERED} for no token limits)
     * @param clock    the time for {@code created} and for the deadline
     * @param log      where each request's JSON log line goes
     */
    public Gateway(BedrockRuntimeClient bedrock, BackendSettings settings, Metering metering, Clock clock,
                   Consumer<String> log) {
        this(settings, metering, new ChatRoute(bedrock, settings, metering, clock),
                new EmbeddingsRoute(bedrock, settings, metering, clock), log, clock, null);
    }

    private Gateway(BackendSettings settings, Metering metering, ChatRoute chat, EmbeddingsRoute embeddings,
                    Consumer<String> log, Clock clock, String initFailure) {
        this.settings = settings;
        this.cors = settings == null ? Cors.NONE : new Cors(settings.corsOrigins());
        this.metering = metering;
        this.chat = chat;
        this.embeddings = embeddings;
        this.log = log;
        this.clock = clock;
        this.initFailure = initFailure;
    }

    /**
     * A gateway for a function whose configuration is broken: it answers every request with a generic
     * 500 in OpenAI's shape, and logs the cause with each one, rather than failing the init and leaving
     * API Gateway to send its own bare error.
     */
    public static Gateway failed(String cause, Consumer<String> log) {
        return new Gateway(null, Metering.UNMETERED, null, null, log, Clock.systemUTC(), cause);
    }

    /**
     * @param eventJson the REST API proxy event (payload 1.0)
     * @param context   the invocation's context, or null outside Lambda
     * @return the proxy response, as JSON
     */
    public byte[] handle(byte[] eventJson, Context context) {
        long started = System.nanoTime();
        RequestLog line = new RequestLog();
        Map<String, String> headers = new LinkedHashMap<>();
        Reply reply;
        try {
            reply = dispatch(eventJson, context, line, headers);
        } catch (RuntimeException e) {
            // A bug on our side; the client learns nothing of it but a generic 500.
            line.put("cause", BedrockErrors.cause(e));
            reply = Reply.error(OpenAiError.internal());
        }
        if (!headers.containsKey(Headers.X_REQUEST_ID)) {
            String requestId = fallbackRequestId(context);
            headers.put(Headers.X_REQUEST_ID, requestId);
            line.put("requestId", requestId);
        }
        APIGatewayProxyResponseEvent response = reply.toEvent(headers);
        line.put("status", reply.status());
        line.put("errorCode", reply.error() == null ? null : reply.error().code());
        line.put(BackendLog.LATENCY_MS, (System.nanoTime() - started) / 1_000_000);
        try {
            EmbeddedMetrics.annotate(line, apiId(line), settings == null ? Set.of() : settings.models().keySet(),
                    clock.millis());
            log.accept(line.toJson());
        } catch (RuntimeException ignored) {
            // Logging must never cost the client its answer.
        }
        return ProxyEvents.write(response);
    }

    private Reply dispatch(byte[] eventJson, Context context, RequestLog line, Map<String, String> headers) {
        ProxyRequest request;
        try {
            request = ProxyEvents.read(eventJson);
        } catch (IOException | RuntimeException e) {
            return Reply.error(OpenAiError.invalidRequest(null, "The gateway could not read the request."));
        }
        APIGatewayProxyRequestEvent event = request.event();
        // Every answer to a browser's request, errors included, must carry CORS headers to be readable.
        headers.putAll(cors.responseHeaders(header(event, Cors.ORIGIN)));
        ProxyRequestContext requestContext = event.getRequestContext();
        String requestId = requestContext != null && requestContext.getRequestId() != null
                ? requestContext.getRequestId() : fallbackRequestId(context);
        headers.put(Headers.X_REQUEST_ID, requestId);
        line.put("requestId", requestId).put("apiKeyId", request.apiKeyId());
        if (requestContext != null) {
            line.put(API_ID, requestContext.getApiId());
        }
        if (initFailure != null) {
            line.put("cause", initFailure);
            return Reply.error(OpenAiError.internal());
        }

        String method = event.getHttpMethod() == null ? "" : event.getHttpMethod();
        String path = routePath(event);
        Optional<Route.Match> found = Route.match(method, path);
        if (found.isEmpty()) {
            if (Route.hasPath(path)) {
                String allowed = allowedMethods(path);
                return Reply.error(OpenAiError.methodNotAllowed(Text.truncate(method), Text.truncate(path), allowed),
                        Map.of(Headers.ALLOW, allowed));
            }
            return Reply.error(OpenAiError.unknownUrl(Text.truncate(method), Text.truncate(path)));
        }
        Route route = found.get().route();
        line.put("route", route.method() + " " + route.path());
        Double rate = settings.planRatePerRoute().get(route.throttlePath());
        if (rate != null) {
            // Only present when every plan gives this route the same rate, so it is true for every caller.
            headers.put(Headers.X_RATELIMIT_LIMIT_REQUESTS, Long.toString(RateLimits.requestsPerMinute(rate)));
        }
        Request routed = new Request(event, new Caller(request.apiKeyId(), requestId, event.getStageVariables()),
                context);
        return switch (route) {
            case MODELS -> models(routed, line);
            case MODEL -> model(pathParameter(found.get(), event, "model"), routed, line);
            case CHAT_COMPLETIONS -> chat.handle(routed, line);
            case EMBEDDINGS -> embeddings.handle(routed, line);
        };
    }

    /**
     * {@code GET /v1/models}: the models the caller may use. When its plan cannot be known the answer is
     * a 503 with Retry-After, not an empty list: clients cache the list, and an empty one would say the
     * key may call nothing, for good.
     */
    private Reply models(Request request, RequestLog line) {
        try {
            return Reply.ok(Headers.JSON, Json.write(Models.list(settings.models(),
                    ModelCalls.entitlement(metering, request, line))), Map.of());
        } catch (Refusal e) {
            return ModelCalls.refused(e, line);
        }
    }

    /** {@code GET /v1/models/{model}}: one model the caller may use, or 404 model_not_found. */
    private Reply model(String raw, Request request, RequestLog line) {
        // API Gateway hands the segment over as sent; an alias never holds '%', so a percent-encoded
        // one (an SDK that escapes ':') is decoded, and anything that will not decode is no alias.
        String alias = raw.indexOf('%') < 0 ? raw : percentDecoded(raw);
        line.put("model", Text.truncate(alias));
        Metering.Entitlement entitlement;
        try {
            entitlement = ModelCalls.entitlement(metering, request, line);
        } catch (Refusal e) {
            return ModelCalls.refused(e, line);
        }
        Optional<Map<String, Object>> model = Models.one(settings.models(), entitlement, alias);
        return model.map(m -> Reply.ok(Headers.JSON, Json.write(m), Map.of()))
                .orElseGet(() -> Reply.error(OpenAiError.modelNotFound(alias)));
    }

    private static String percentDecoded(String segment) {
        try {
            return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment;
        }
    }

    /**
     * A path parameter: from the event's {@code pathParameters}, which API Gateway fills when the
     * resource path has one, or else from the request's path matched against the route.
     */
    private static String pathParameter(Route.Match match, APIGatewayProxyRequestEvent event, String name) {
        Map<String, String> fromEvent = event.getPathParameters();
        String value = fromEvent == null ? null : fromEvent.get(name);
        if ((value == null || value.isEmpty()) && event.getPath() != null) {
            value = Route.match(match.route().method(), event.getPath())
                    .map(m -> m.pathParameters().get(name)).orElse(null);
        }
        if (value == null || value.isEmpty()) {
            value = match.pathParameters().get(name);
        }
        return value == null ? "" : value;
    }

    /**
     * The route's path: the event's {@code resource} (the API's resource template, which a custom
     * domain's base path does not change) when it is one of ours, else its {@code path}.
     */
    private static String routePath(APIGatewayProxyRequestEvent event) {
        String resource = event.getResource();
        if (resource != null && Route.hasPath(resource)) {
            return resource;
        }
        return event.getPath() == null ? "" : event.getPath();
    }

    /** A request header by name, case-insensitively (HTTP/2 clients send lower-case names). */
    private static String header(APIGatewayProxyRequestEvent event, String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers == null) {
            return null;
        }
        return headers.entrySet().stream().filter(e -> name.equalsIgnoreCase(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static String allowedMethods(String path) {
        List<String> methods = Route.methodsFor(path);
        return methods.isEmpty() ? ALL_METHODS_ALLOW : String.join(", ", methods);
    }

    private static String apiId(RequestLog line) {
        return line.get(API_ID) instanceof String id ? id : null;
    }

    private static String fallbackRequestId(Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            return context.getAwsRequestId();
        }
        return UUID.randomUUID().toString();
    }
}
