package io.llmgateway.backend;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.llmgateway.backend.chat.ChatRoute;
import io.llmgateway.backend.embeddings.EmbeddingsRoute;
import io.llmgateway.backend.internal.Exchange;
import io.llmgateway.backend.internal.MeteredCalls;
import io.llmgateway.backend.internal.Models;
import io.llmgateway.backend.internal.ProxyRequest;
import io.llmgateway.backend.internal.Reply;
import io.llmgateway.backend.internal.RequestLog;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.backend.responses.ResponsesRoute;
import io.llmgateway.backend.responses.StoredResponses;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.contract.RateLimits;
import io.llmgateway.contract.Route;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * The backend's router: each request to the route that serves it ({@link Route}), a 404 or 405 in
 * OpenAI's shape for the rest, and {@code GET /v1/models} itself. The model-calling routes go through
 * the metered-call template ({@link MeteredCalls}).
 */
final class BackendRouter implements Exchange.Responder {

    private static final String ALL_METHODS_ALLOW = "the methods in the Allow header";

    private final BackendSettings settings;
    private final MeteredCalls calls;
    private final ChatRoute chat;
    private final EmbeddingsRoute embeddings;
    private final ResponsesRoute responses;
    private final StoredResponses stored;
    private final List<Route> routes;

    /**
     * @param metering what each caller may use and spend ({@link Metering#UNMETERED} for no token limits)
     * @param clock    the time for {@code created} and for the deadline
     */
    BackendRouter(BedrockRuntimeClient bedrock, BedrockRuntimeAsyncClient bedrockStreams, BackendSettings settings,
                  Metering metering, Clock clock, StoredResponses stored) {
        this.settings = settings;
        this.calls = new MeteredCalls(metering, clock, settings.integrationTimeoutMs());
        // A streaming route's integration has its own timeout, and so its calls their own deadline.
        this.chat = new ChatRoute(bedrock, bedrockStreams, settings, calls.withIntegrationTimeout(
                settings.integrationTimeoutMs(Route.CHAT_COMPLETIONS.throttlePath())), clock);
        this.embeddings = new EmbeddingsRoute(bedrock, settings, calls);
        this.responses = new ResponsesRoute(bedrock, bedrockStreams, settings, calls.withIntegrationTimeout(
                settings.integrationTimeoutMs(Route.RESPONSES.throttlePath())), clock, stored);
        this.stored = stored;
        // Without storage the stored-response routes do not exist, here as on API Gateway.
        this.routes = Route.served(stored != null);
    }

    /**
     * The backend's request path: a proxy event in, a proxy response out, one log line written.
     *
     * @param bedrockStreams the client for ConverseStream; null to answer streams from one Converse call
     * @param log            where each request's JSON log line goes
     */
    static Exchange exchange(BedrockRuntimeClient bedrock, BedrockRuntimeAsyncClient bedrockStreams,
                             BackendSettings settings, Metering metering, Clock clock, Consumer<String> log) {
        return exchange(bedrock, bedrockStreams, settings, metering, null, clock, log);
    }

    /** @param stored where responses are kept, or null when the stack keeps none */
    static Exchange exchange(BedrockRuntimeClient bedrock, BedrockRuntimeAsyncClient bedrockStreams,
                             BackendSettings settings, Metering metering, StoredResponses stored, Clock clock,
                             Consumer<String> log) {
        return new Exchange(new Cors(settings.corsOrigins()), settings.models().keySet(), clock, log,
                new BackendRouter(bedrock, bedrockStreams, settings, metering, clock, stored));
    }

    @Override
    public Reply respond(ProxyRequest request, RequestLog line) {
        APIGatewayProxyRequestEvent event = request.event();
        String method = event.getHttpMethod() == null ? "" : event.getHttpMethod();
        String path = routePath(event);
        Optional<Route.Match> found = Route.match(routes, method, path);
        if (found.isEmpty()) {
            if (Route.hasPath(routes, path)) {
                String allowed = allowedMethods(path);
                return Reply.error(OpenAiError.methodNotAllowed(Text.truncate(method), Text.truncate(path), allowed),
                        Map.of(Headers.ALLOW, allowed));
            }
            return Reply.error(OpenAiError.unknownUrl(Text.truncate(method), Text.truncate(path)));
        }
        Route route = found.get().route();
        line.put("route", route.method() + " " + route.path());
        Reply reply = switch (route) {
            case MODELS -> models(request, line);
            case MODEL -> model(pathParameter(found.get(), event, "model"), request, line);
            case CHAT_COMPLETIONS -> chat.handle(request, line);
            case EMBEDDINGS -> embeddings.handle(request, line);
            case RESPONSES -> responses.handle(request, line);
            case RESPONSE_GET, RESPONSE_DELETE, RESPONSE_INPUT_ITEMS -> stored.handle(route,
                    pathParameter(found.get(), event, "response_id"), query(event), request.apiKeyId(), line);
        };
        Double rate = settings.planRatePerRoute().get(route.throttlePath());
        // Only present when every plan gives this route the same rate, so it is true for every caller.
        return rate == null ? reply
                : reply.withHeaders(Map.of(Headers.X_RATELIMIT_LIMIT_REQUESTS,
                        Long.toString(RateLimits.requestsPerMinute(rate))));
    }

    /**
     * {@code GET /v1/models}: the models the caller may use. When its plan cannot be known the answer is
     * a 503 with Retry-After, not an empty list: clients cache the list, and an empty one would say the
     * key may call nothing, for good.
     */
    private Reply models(ProxyRequest request, RequestLog line) {
        try {
            return Reply.ok(Headers.JSON, Json.write(Models.list(settings.models(), calls.entitlement(request, line))),
                    Map.of());
        } catch (Refusal e) {
            return MeteredCalls.refused(e, line);
        }
    }

    /** {@code GET /v1/models/{model}}: one model the caller may use, or 404 model_not_found. */
    private Reply model(String raw, ProxyRequest request, RequestLog line) {
        // API Gateway hands the segment over as sent; an alias never holds '%', so a percent-encoded
        // one (an SDK that escapes ':') is decoded, and anything that will not decode is no alias.
        String alias = raw.indexOf('%') < 0 ? raw : percentDecoded(raw);
        line.put("model", Text.truncate(alias));
        Metering.Entitlement entitlement;
        try {
            entitlement = calls.entitlement(request, line);
        } catch (Refusal e) {
            return MeteredCalls.refused(e, line);
        }
        Optional<Map<String, Object>> model = Models.one(settings.models(), entitlement, alias);
        return model.map(m -> Reply.ok(Headers.JSON, Json.write(m), Map.of()))
                .orElseGet(() -> Reply.error(OpenAiError.modelNotFound(alias)));
    }

    private static Map<String, String> query(APIGatewayProxyRequestEvent event) {
        return event.getQueryStringParameters() == null ? Map.of() : event.getQueryStringParameters();
    }

    private static String percentDecoded(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
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
    private String routePath(APIGatewayProxyRequestEvent event) {
        String resource = event.getResource();
        if (resource != null && Route.hasPath(routes, resource)) {
            return resource;
        }
        return event.getPath() == null ? "" : event.getPath();
    }

    private String allowedMethods(String path) {
        List<String> methods = Route.methodsFor(routes, path);
        return methods.isEmpty() ? ALL_METHODS_ALLOW : String.join(", ", methods);
    }
}
