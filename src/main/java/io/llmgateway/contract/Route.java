package io.llmgateway.contract;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The routes the gateway serves. The stack declares exactly these as API Gateway methods, the
 * local gateway accepts exactly these, and the backend dispatches on them: one list, three users.
 */
public enum Route {
    CHAT_COMPLETIONS("POST", "/v1/chat/completions"),
    MODELS("GET", "/v1/models");

    private final String method;
    private final String path;

    Route(String method, String path) {
        this.method = method;
        this.path = path;
    }

    /** HTTP method, upper case. */
    public String method() {
        return method;
    }

    /** Resource path, with a leading slash and no stage: {@code /v1/chat/completions}. */
    public String path() {
        return path;
    }

    /**
     * The key of a per-method throttle inside a usage plan's {@code apiStages[].throttles}:
     * {@code /v1/chat/completions/POST}. AWS rejects {@code *}{@code /*} there
     * (terraform-provider-aws#26128).
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

    public static Optional<Route> find(String method, String path) {
        return Arrays.stream(values())
                .filter(r -> r.method.equalsIgnoreCase(method) && r.path.equals(path))
                .findFirst();
    }

    /** True when some route has this path, whatever its method. */
    public static boolean hasPath(String path) {
        return Arrays.stream(values()).anyMatch(r -> r.path.equals(path));
    }

    /** The methods some route serves on this request path, in route order. */
    public static List<String> methodsFor(String requestPath) {
        return Arrays.stream(values()).filter(r -> r.path.equals(requestPath)).map(Route::method).distinct().toList();
    }

    /** Every route for a message: {@code POST /v1/chat/completions and GET /v1/models}. */
    public static String summary() {
        List<String> all = Arrays.stream(values()).map(r -> r.method + " " + r.path).toList();
        return all.size() == 1 ? all.get(0)
                : String.join(", ", all.subList(0, all.size() - 1)) + " and " + all.get(all.size() - 1);
    }

    public static Optional<Route> byThrottlePath(String throttlePath) {
        return Arrays.stream(values()).filter(r -> r.throttlePath().equals(throttlePath)).findFirst();
    }
}
