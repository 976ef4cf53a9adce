package io.llmgateway.backend.internal;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.contract.Headers;
import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.contract.RateLimits;
import io.llmgateway.contract.Route;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * The backend's request path: a proxy event in, a proxy response out, one log line written. It is
 * stateless and thread-safe, so the local gateway may call it from several threads.
 *
 * <p>Whatever the input, the answer is an OpenAI-shaped response: client mistakes are 4xx, and a 5xx
 * only ever reports a fault of Bedrock or of the deployment, with its real cause in the log.
 */
public final class Gateway {

    private static final String ALL_METHODS_ALLOW = "the methods in the Allow header";

    private final BedrockRuntimeClient bedrock;
    private final BackendSettings settings;
    private final ChatRequestParser parser;
    private final Clock clock;
    private final Consumer<String> log;
    /** Set when the function's configuration could not be read at init: every request is then a 500. */
    private final String initFailure;
    private final String modelsBody;

    public Gateway(BedrockRuntimeClient bedrock, BackendSettings settings, Clock clock, Consumer<String> log) {
        this(bedrock, settings, clock, log, null);
    }

    private Gateway(BedrockRuntimeClient bedrock, BackendSettings settings, Clock clock, Consumer<String> log,
                    String initFailure) {
        this.bedrock = bedrock;
        this.settings = settings;
        this.parser = settings == null ? null : new ChatRequestParser(settings);
        this.clock = clock;
        this.log = log;
        this.initFailure = initFailure;
        this.modelsBody = settings == null ? null : Json.write(Models.list(settings.models()));
    }

    /**
     * A gateway for a function whose configuration is broken: it answers every request with a generic
     * 500 in OpenAI's shape, and logs the cause with each one, rather than failing the init and leaving
     * API Gateway to send its own bare error.
     */
    public static Gateway failed(String cause, Clock clock, Consumer<String> log) {
        return new Gateway(null, null, clock, log, cause);
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
        line.put("latencyMs", (System.nanoTime() - started) / 1_000_000);
        try {
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
        ProxyRequestContext requestContext = event.getRequestContext();
        String requestId = requestContext != null && requestContext.getRequestId() != null
                ? requestContext.getRequestId() : fallbackRequestId(context);
        headers.put(Headers.X_REQUEST_ID, requestId);
        line.put("requestId", requestId).put("apiKeyId", request.apiKeyId());
        if (initFailure != null) {
            line.put("cause", initFailure);
            return Reply.error(OpenAiError.internal());
        }

        String method = event.getHttpMethod() == null ? "" : event.getHttpMethod();
        String path = routePath(event);
        Optional<Route> found = Route.find(method, path);
        if (found.isEmpty()) {
            if (Route.hasPath(path)) {
                String allowed = allowedMethods(path);
                return Reply.error(OpenAiError.methodNotAllowed(Text.truncate(method), path, allowed),
                        Map.of(Headers.ALLOW, allowed));
            }
            return Reply.error(OpenAiError.unknownUrl(Text.truncate(method), Text.truncate(path)));
        }
        Route route = found.get();
        line.put("route", route.method() + " " + route.path());
        Double rate = settings.planRatePerRoute().get(route.throttlePath());
        if (rate != null) {
            // Only present when every plan gives this route the same rate, so it is true for every caller.
            headers.put(Headers.X_RATELIMIT_LIMIT_REQUESTS, Long.toString(RateLimits.requestsPerMinute(rate)));
        }
        return switch (route) {
            case MODELS -> Reply.ok(Headers.JSON, modelsBody, Map.of());
            case CHAT_COMPLETIONS -> chat(event, context, requestId, line);
        };
    }

    private Reply chat(APIGatewayProxyRequestEvent event, Context context, String requestId, RequestLog line) {
        Object json;
        ChatRequest chat;
        try {
            json = parseJson(body(event));
            if (json instanceof Map<?, ?> map) {
                line.put("model", map.get("model") instanceof String model ? Text.truncate(model) : null);
                line.put("stream", Boolean.TRUE.equals(map.get("stream")));
            }
            chat = parser.parse(json);
        } catch (RequestError e) {
            return Reply.error(e.error());
        }

        ProxyRequestContext requestContext = event.getRequestContext();
        long budget = Deadline.budgetMs(clock.millis(),
                requestContext == null ? null : requestContext.getRequestTimeEpoch(),
                settings.integrationTimeoutMs(),
                context == null ? null : context.getRemainingTimeInMillis());
        if (budget <= 0) {
            line.put("cause", "the deadline passed before the Bedrock call");
            return Reply.error(OpenAiError.timeout());
        }

        ConverseResponse response;
        try {
            response = bedrock.converse(ConverseMapping.toConverse(chat, Duration.ofMillis(budget)));
        } catch (RuntimeException e) {
            if (e instanceof ApiCallTimeoutException) {
                // The SDK interrupts the calling thread to end the call; leave no flag behind for the
                // next invocation on this thread.
                Thread.interrupted();
            }
            BedrockErrors.Failure failure = BedrockErrors.classify(e);
            line.put("upstreamError", failure.upstream());
            if (failure.cause() != null) {
                line.put("cause", failure.cause());
            }
            return Reply.error(failure.error());
        }

        Completion completion = ConverseMapping.fromConverse(response);
        line.put("inputTokens", completion.promptTokens()).put("outputTokens", completion.completionTokens());
        String id = "chatcmpl-" + requestId;
        long created = clock.millis() / 1000;
        if (chat.stream()) {
            return Reply.ok(Headers.EVENT_STREAM,
                    ChatCompletions.eventStream(id, created, chat.alias(), completion, chat.includeUsage()),
                    Map.of(Headers.CACHE_CONTROL, "no-cache"));
        }
        return Reply.ok(Headers.JSON, Json.write(ChatCompletions.completion(id, created, chat.alias(), completion)),
                Map.of());
    }

    /** The body's bytes, decoded from base64 when API Gateway encoded it, within the size limit. */
    private byte[] body(APIGatewayProxyRequestEvent event) throws RequestError {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        int limit = settings.maxRequestBytes();
        byte[] bytes;
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            if (body.length() / 4L * 3 > limit + 3L) { // decodes to more than the limit
                throw new RequestError(OpenAiError.requestTooLarge(limit));
            }
            try {
                bytes = Base64.getDecoder().decode(body); // strict: API Gateway sends plain base64
            } catch (IllegalArgumentException e) {
                throw new RequestError(OpenAiError.invalidJson());
            }
        } else {
            if (body.length() > limit) { // a char is at least one UTF-8 byte: too large already
                throw new RequestError(OpenAiError.requestTooLarge(limit));
            }
            bytes = body.getBytes(StandardCharsets.UTF_8);
        }
        if (bytes.length > limit) {
            throw new RequestError(OpenAiError.requestTooLarge(limit));
        }
        return bytes;
    }

    private static Object parseJson(byte[] body) throws RequestError {
        try {
            return Json.read(body);
        } catch (IOException | RuntimeException e) {
            throw new RequestError(OpenAiError.invalidJson());
        }
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

    private static String allowedMethods(String path) {
        List<String> methods = new ArrayList<>();
        for (Route route : Route.values()) {
            if (route.path().equals(path)) {
                methods.add(route.method());
            }
        }
        return methods.isEmpty() ? ALL_METHODS_ALLOW : String.join(", ", methods);
    }

    private static String fallbackRequestId(Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            return context.getAwsRequestId();
        }
        return UUID.randomUUID().toString();
    }

    /** A response before the per-request headers are added. */
    record Reply(int status, String contentType, String body, OpenAiError error, Map<String, String> headers) {

        static Reply ok(String contentType, String body, Map<String, String> headers) {
            return new Reply(200, contentType, body, null, headers);
        }

        static Reply error(OpenAiError error) {
            return error(error, Map.of());
        }

        static Reply error(OpenAiError error, Map<String, String> headers) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            if (error.status() == 429 || error.status() == 503) {
                all.put(Headers.RETRY_AFTER, Integer.toString(RateLimits.UPSTREAM_RETRY_AFTER_SECONDS));
            }
            return new Reply(error.status(), Headers.JSON, error.toJson(), error, all);
        }

        APIGatewayProxyResponseEvent toEvent(Map<String, String> common) {
            Map<String, String> all = new LinkedHashMap<>();
            all.put(Headers.CONTENT_TYPE, contentType);
            all.putAll(common);
            all.putAll(headers);
            APIGatewayProxyResponseEvent event = new APIGatewayProxyResponseEvent();
            event.setStatusCode(status);
            event.setHeaders(all);
            event.setBody(body);
            event.setIsBase64Encoded(false);
            return event;
        }
    }
}
