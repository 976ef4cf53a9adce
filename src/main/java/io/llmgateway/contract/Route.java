package io.llmgateway.contract;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The routes the gateway serves. The stack declares exactly these as API Gateway methods, the
 * local gateway accepts exactly these, and the backend dispatches on them: one list, three users.
 * Which of them may stream their answer ({@link #streams()}) is part of the same table.
 *
 * <p>A path is API Gateway's resource path: a segment in braces ({@code {model}}) is a path
 * parameter, which matches one non-empty segment of a request's path (API Gateway developer guide,
 * "Set up a proxy integration with a proxy resource": {@code {param}} matches one segment, only
 * {@code {param+}} matches more).
 */
public enum Route {
    CHAT_COMPLETIONS("POST", "/v1/chat/completions", true),
    MODELS("GET", "/v1/models", false),
    MODEL("GET", "/v1/models/{model}", false),
    EMBEDDINGS("POST", "/v1/embeddings", false),
    RESPONSES("POST", "/v1/responses", true),
    RESPONSE_GET("GET", "/v1/responses/{response_id}", false, true),
    RESPONSE_DELETE("DELETE", "/v1/responses/{response_id}", false, true),
    RESPONSE_INPUT_ITEMS("GET", "/v1/responses/{response_id}/input_items", false, true);

    private final String method;
    private final String path;
    private final boolean streams;
    private final boolean storedOnly;
    private final List<String> segments;

    Route(String method, String path, boolean streams) {
        this(method, path, streams, false);
    }

    Route(String method, String path, boolean streams, boolean storedOnly) {
        this.method = method;
        this.path = path;
        this.streams = streams;
        this.storedOnly = storedOnly;
        this.segments = List.of(path.substring(1).split("/"));
    }

    /**
     * Whether the route exists only while the stack stores responses ({@code responses.store.enabled}):
     * reading and deleting stored responses. Without storage the API has no such method, so API Gateway
     * answers it as any unknown route, and so do the backend and the local gateway.
     */
    public boolean storedOnly() {
        return storedOnly;
    }

    /** The routes a stack serves: all of them with stored responses, else those that need no storage. */
    public static List<Route> served(boolean storedResponses) {
        return Arrays.stream(values()).filter(r -> storedResponses || !r.storedOnly).toList();
    }

    /** A route and the path parameters a request's path gave it. */
    public record Match(Route route, Map<String, String> pathParameters) {
        public Match {
            pathParameters = Map.copyOf(pathParameters);
        }
    }

    /** HTTP method, upper case. */
    public String method() {
        return method;
    }

    /** Resource path, with a leading slash and no stage: {@code /v1/chat/completions}, {@code /v1/models/{model}}. */
    public String path() {
        return path;
    }

    /**
     * Whether a client may ask this route to stream its answer ({@code stream: true}, server-sent
     * events). With the stack's streaming switch on, such a route's integration streams (API Gateway
     * {@code responseTransferMode: STREAM}, Lambda InvokeWithResponseStream), so every answer of the
     * route, errors included, travels in the streaming format; the other routes stay BUFFERED. The
     * OpenAPI document, the backend (which response mode an invocation takes) and the local gateway
     * all ask this one table.
     */
    public boolean streams() {
        return streams;
    }

    /** The routes that {@link #streams()}, in route order. */
    public static List<Route> streaming() {
        return Arrays.stream(values()).filter(Route::streams).toList();
    }

    /**
     * The key of a per-method throttle inside a usage plan's {@code apiStages[].throttles}: the
     * resource path and the method, {@code /v1/chat/completions/POST} or {@code /v1/models/{model}/GET}.
     * AWS rejects {@code *}{@code /*} there (terraform-provider-aws#26128).
     */
    public String throttlePath() {
        return path + "/" + method;
    }

    /**
     * The stage MethodSettings path: no leading slash, and every {@code /} inside the resource
     * path written as {@code ~1}, so {@code ~1v1~1chat~1completions/POST}
     * (terraform-provider-aws#9738).
     */
    public String methodSettingsPath() {
        return path.replace("/", "~1") + "/" + method;
    }

    /** The path parameters of this route's path, or empty when a request's path does not fit it. */
    private Optional<Map<String, String>> parameters(String requestPath) {
        if (requestPath == null || !requestPath.startsWith("/")) {
            return Optional.empty();
        }
        String[] parts = requestPath.substring(1).split("/", -1);
        if (parts.length != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < parts.length; i++) {
            String segment = segments.get(i);
            if (isParameter(segment)) {
                if (parts[i].isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(segment.substring(1, segment.length() - 1), parts[i]);
            } else if (!segment.equals(parts[i])) {
                return Optional.empty();
            }
        }
        return Optional.of(parameters);
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }

    /** The route serving this method and request path ({@code /v1/models/nova-micro}), with its path parameters. */
    public static Optional<Match> match(String method, String requestPath) {
        return match(served(false), method, requestPath);
    }

    /** The route among {@code routes} serving this method and request path, with its path parameters. */
    public static Optional<Match> match(List<Route> routes, String method, String requestPath) {
        for (Route route : routes) {
            if (route.method.equalsIgnoreCase(method)) {
                Optional<Map<String, String>> parameters = route.parameters(requestPath);
                if (parameters.isPresent()) {
                    return Optional.of(new Match(route, parameters.get()));
                }
            }
        }
        return Optional.empty();
    }

    /** The route serving this method and request path, without its parameters. */
    public static Optional<Route> find(String method, String requestPath) {
        return match(method, requestPath).map(Match::route);
    }

    /** The route whose resource path is exactly this template ({@code /v1/models/{model}}) and method. */
    public static Optional<Route> byResource(String method, String resourcePath) {
        return Arrays.stream(values())
                .filter(r -> r.method.equalsIgnoreCase(method) && r.path.equals(resourcePath))
                .findFirst();
    }

    /** True when some route serves this request path, whatever its method. */
    public static boolean hasPath(String requestPath) {
        return hasPath(served(false), requestPath);
    }

    /** True when one of {@code routes} serves this request path, whatever its method. */
    public static boolean hasPath(List<Route> routes, String requestPath) {
        return routes.stream().anyMatch(r -> r.parameters(requestPath).isPresent());
    }

    /** The methods some route serves on this request path, in route order. */
    public static List<String> methodsFor(String requestPath) {
        return methodsFor(served(false), requestPath);
    }

    /** The methods one of {@code routes} serves on this request path, in route order. */
    public static List<String> methodsFor(List<Route> routes, String requestPath) {
        return routes.stream().filter(r -> r.parameters(requestPath).isPresent())
                .map(Route::method).distinct().toList();
    }

    /**
     * The routes every stack serves, for a message: {@code POST /v1/chat/completions, GET /v1/models, ... and
     * POST /v1/responses}. The stored-response routes are left out: a gateway response's text is one for
     * every stack, and they exist only where storage is on.
     */
    public static String summary() {
        List<String> all = served(false).stream().map(r -> r.method + " " + r.path).toList();
        return all.size() == 1 ? all.get(0)
                : String.join(", ", all.subList(0, all.size() - 1)) + " and " + all.get(all.size() - 1);
    }

    public static Optional<Route> byThrottlePath(String throttlePath) {
        return Arrays.stream(values()).filter(r -> r.throttlePath().equals(throttlePath)).findFirst();
    }
}
