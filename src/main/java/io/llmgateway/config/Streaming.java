package io.llmgateway.config;

import io.llmgateway.common.BackendDeadline;
import io.llmgateway.contract.Route;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code streaming}: whether the routes that may stream ({@link Route#streams()}) get a streaming
 * integration, and how long a stream may last. On by default.
 *
 * <p>With it on, API Gateway invokes those routes with Lambda's InvokeWithResponseStream and passes
 * the answer on as the function writes it ({@code responseTransferMode: STREAM}); their integration
 * timeout is {@code timeoutMs}, up to 15 minutes without a quota increase ("Stream the integration
 * response for your proxy integrations in API Gateway",
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode.html). The other
 * routes keep {@code integrationTimeoutMs}.
 *
 * <p>The function's timeout follows: one function serves every route and Lambda has one timeout per
 * function, so it becomes the larger of {@code lambdaTimeoutSeconds} and the stream's timeout
 * ({@link #functionTimeoutSeconds}). AWS asks for exactly that: "make sure your Lambda function timeout
 * covers the full request cycle" ("Configure a Lambda proxy integration with payload response
 * streaming in API Gateway"). It is derived rather than checked because the buffered routes still end
 * at their own integration timeout (the backend's deadline is the earlier of the route's integration
 * timeout and the function's remaining time, {@link BackendDeadline}), so a longer function timeout
 * lets only streams run longer; asking operators to raise {@code lambdaTimeoutSeconds} by hand would
 * collide with its rule of staying within {@code integrationTimeoutMs}.
 *
 * @param enabled   config {@code streaming.enabled} (default true)
 * @param timeoutMs config {@code streaming.timeoutMs} (default {@value #DEFAULT_TIMEOUT_MS}): the
 *                  integration timeout of the streaming routes
 */
public record Streaming(boolean enabled, int timeoutMs) {

    /** API Gateway streams a response for at most 15 minutes. */
    public static final int MAX_TIMEOUT_MS = 900_000;
    /**
     * Five minutes: the longest answers of today's models (tens of thousands of tokens at tens of
     * tokens a second) fit, and a stuck stream does not hold a Lambda execution for a quarter of an hour.
     */
    public static final int DEFAULT_TIMEOUT_MS = 300_000;
    public static final Streaming OFF = new Streaming(false, DEFAULT_TIMEOUT_MS);
    /** What a stack without the section gets: on, with the default timeout (docs/decisions.md, "Streaming on by default"). */
    public static final Streaming DEFAULT = new Streaming(true, DEFAULT_TIMEOUT_MS);

    public Streaming {
        if (timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
            throw new IllegalArgumentException("timeoutMs must be 1-" + MAX_TIMEOUT_MS + ", got " + timeoutMs);
        }
    }

    /** Whether this route's integration streams on this stack. */
    public boolean streams(Route route) {
        return enabled && route.streams();
    }

    /** The routes whose integration streams on this stack, in route order; none when off. */
    public List<Route> routes() {
        return enabled ? Route.streaming() : List.of();
    }

    /**
     * The route's integration timeout: {@link #timeoutMs} for a streaming route, else the buffered
     * routes' {@code integrationTimeoutMs}.
     */
    public int integrationTimeoutMs(Route route, int bufferedTimeoutMs) {
        return streams(route) ? timeoutMs : bufferedTimeoutMs;
    }

    /** Per streaming route ({@link Route#throttlePath()}), its integration timeout: what the backend is told. */
    public Map<String, Integer> timeoutsByRoute() {
        Map<String, Integer> timeouts = new LinkedHashMap<>();
        routes().forEach(route -> timeouts.put(route.throttlePath(), timeoutMs));
        return timeouts;
    }

    /**
     * The backend function's timeout: {@code lambdaTimeoutSeconds}, or with streaming on at least the
     * stream's timeout in whole seconds (rounded up), so that Lambda never stops a stream API Gateway
     * still waits for.
     */
    public int functionTimeoutSeconds(int lambdaTimeoutSeconds) {
        return enabled ? Math.max(lambdaTimeoutSeconds, secondsCovering(timeoutMs)) : lambdaTimeoutSeconds;
    }

    /** The whole seconds that cover this many milliseconds. */
    static int secondsCovering(int millis) {
        return (millis + 999) / 1000;
    }
}
