package io.llmgateway.contract;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Cross-origin resource sharing: which browser origins may call the gateway, and the headers each
 * kind of answer carries so that a browser lets the page read it. One definition for the three
 * places that answer: the backend (its own answers), the stack (the OPTIONS preflight and the
 * gateway responses) and the local gateway (all of them).
 *
 * <p>Each place answers what it can know:
 * <ul>
 *   <li>The <b>preflight</b> ({@code OPTIONS}) and the <b>backend's answers</b> see the request's
 *       {@code Origin} and allow it only when it is listed ({@link #allowOrigin}).</li>
 *   <li>A <b>gateway response</b> (401, 429, 404, ...) can carry only a static value or a request
 *       parameter (API Gateway developer guide, "Set up gateway responses to customize error
 *       responses"). With one origin, or {@value #ANY_ORIGIN}, the value is static and exact. With
 *       several, no static value is right for all of them, so the gateway response repeats
 *       {@code method.request.header.Origin} ({@link #gatewayResponseEcho()}). That lets any origin
 *       read the gateway's error bodies, which is acceptable because they carry no data: fixed
 *       OpenAI-style messages. A request that can reach them from a page of another origin is a
 *       "simple" one (a GET without an Authorization or x-api-key header), for anything else the
 *       browser sends a preflight first, which refuses unlisted origins; and no answer of the
 *       backend, where the data is, is ever readable by an unlisted origin.</li>
 * </ul>
 * Credentials (cookies) are never allowed: keys travel in headers, so {@code *} stays usable.
 *
 * @param allowedOrigins {@code scheme://host[:port]} each (validated by the config), or the single
 *                       entry {@value #ANY_ORIGIN}; empty when CORS is off
 */
public record Cors(List<String> allowedOrigins) {

    public static final String ANY_ORIGIN = "*";
    public static final Cors NONE = new Cors(List.of());

    public static final String ORIGIN = "Origin";
    public static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    public static final String ALLOW_METHODS = "Access-Control-Allow-Methods";
    public static final String ALLOW_HEADERS = "Access-Control-Allow-Headers";
    public static final String EXPOSE_HEADERS = "Access-Control-Expose-Headers";
    public static final String MAX_AGE = "Access-Control-Max-Age";
    public static final String REQUEST_METHOD = "Access-Control-Request-Method";
    public static final String VARY = "Vary";
    public static final String OPTIONS = "OPTIONS";

    /**
     * The request headers a page may send. {@code *} covers every header for requests without
     * credentials, except {@code Authorization}, which must be named (Fetch standard, "CORS protocol";
     * MDN, "Access-Control-Allow-Headers"). OpenAI's SDKs send Authorization, Content-Type and a set of
     * {@code x-stainless-*} headers that grows with their versions, so the wildcard is what keeps a new
     * SDK working.
     */
    public static final String ALLOWED_REQUEST_HEADERS = "Authorization, *";
    /**
     * The response headers a page may read besides the CORS-safelisted ones: what OpenAI's SDKs act on
     * ({@code Retry-After}, {@code x-should-retry}, {@code x-request-id}, the rate limit) and API
     * Gateway's request id.
     */
    public static final String EXPOSED_HEADERS = String.join(", ", Headers.RETRY_AFTER, Headers.X_SHOULD_RETRY,
            Headers.X_REQUEST_ID, Headers.X_RATELIMIT_LIMIT_REQUESTS, "x-amzn-RequestId");
    /**
     * How long a browser may reuse a preflight answer. Chromium caps it at 7200 s; ten minutes keeps a
     * changed origin list from lingering in browsers for long.
     */
    public static final int MAX_AGE_SECONDS = 600;

    public Cors {
        allowedOrigins = List.copyOf(new LinkedHashSet<>(Objects.requireNonNull(allowedOrigins, "allowedOrigins")));
        if (allowedOrigins.contains(ANY_ORIGIN) && allowedOrigins.size() > 1) {
            throw new IllegalArgumentException("'" + ANY_ORIGIN + "' allows every origin and stands alone");
        }
    }

    public boolean enabled() {
        return !allowedOrigins.isEmpty();
    }

    public boolean anyOrigin() {
        return allowedOrigins.equals(List.of(ANY_ORIGIN));
    }

    /**
     * The {@value #ALLOW_ORIGIN} value for a request from this origin: {@value #ANY_ORIGIN} when every
     * origin is allowed, the origin itself when it is listed (browsers send it as
     * {@code scheme://host[:port]}, compared exactly), nothing otherwise.
     *
     * @param requestOrigin the request's {@value #ORIGIN} header, or null
     */
    public Optional<String> allowOrigin(String requestOrigin) {
        if (anyOrigin()) {
            return Optional.of(ANY_ORIGIN);
        }
        if (requestOrigin == null || !allowedOrigins.contains(requestOrigin)) {
            return Optional.empty();
        }
        return Optional.of(requestOrigin);
    }

    /**
     * The headers an answer of the backend carries for a request from this origin: none when CORS
     * is off; else {@code Vary: Origin} (the answer depends on it, for caches) and, when the origin is
     * allowed, {@value #ALLOW_ORIGIN} and {@value #EXPOSE_HEADERS}.
     */
    public Map<String, String> responseHeaders(String requestOrigin) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!enabled()) {
            return headers;
        }
        allowOrigin(requestOrigin).ifPresent(origin -> {
            headers.put(ALLOW_ORIGIN, origin);
            headers.put(EXPOSE_HEADERS, EXPOSED_HEADERS);
        });
        if (!anyOrigin()) {
            headers.put(VARY, ORIGIN);
        }
        return headers;
    }

    /**
     * The headers of the answer to a preflight from this origin for a resource that serves these
     * methods: the allowed methods ({@value #OPTIONS} included), request headers and max age, and
     * {@value #ALLOW_ORIGIN} only when the origin is allowed (without it the browser refuses the
     * actual request).
     */
    public Map<String, String> preflightHeaders(String requestOrigin, Collection<String> methods) {
        Map<String, String> headers = new LinkedHashMap<>(preflightStaticHeaders(methods));
        allowOrigin(requestOrigin).ifPresent(origin -> headers.put(ALLOW_ORIGIN, origin));
        return headers;
    }

    /** The preflight headers that do not depend on the request. */
    public Map<String, String> preflightStaticHeaders(Collection<String> methods) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ALLOW_METHODS, allowMethods(methods));
        headers.put(ALLOW_HEADERS, ALLOWED_REQUEST_HEADERS);
        headers.put(MAX_AGE, Integer.toString(MAX_AGE_SECONDS));
        if (!anyOrigin()) {
            headers.put(VARY, ORIGIN);
        }
        return headers;
    }

    /** {@code POST, OPTIONS}: the methods of a resource and the preflight's own. */
    public static String allowMethods(Collection<String> methods) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(methods));
        all.remove(OPTIONS);
        all.add(OPTIONS);
        return String.join(", ", all);
    }

    /**
     * The static headers every gateway response carries: none when CORS is off; with one origin or
     * {@value #ANY_ORIGIN} the exact {@value #ALLOW_ORIGIN}; {@value #EXPOSE_HEADERS} (so a page can
     * read a 429's Retry-After); and {@code Vary: Origin} unless every origin is allowed.
     */
    public Map<String, String> gatewayResponseStaticHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!enabled()) {
            return headers;
        }
        if (allowedOrigins.size() == 1) {
            headers.put(ALLOW_ORIGIN, allowedOrigins.get(0));
        }
        headers.put(EXPOSE_HEADERS, EXPOSED_HEADERS);
        if (!anyOrigin()) {
            headers.put(VARY, ORIGIN);
        }
        return headers;
    }

    /**
     * With several origins, gateway responses repeat the request's {@value #ORIGIN} as
     * {@value #ALLOW_ORIGIN} (response header to the request header it repeats); see the class comment.
     */
    public Map<String, String> gatewayResponseEcho() {
        return allowedOrigins.size() > 1 ? Map.of(ALLOW_ORIGIN, ORIGIN) : Map.of();
    }

    /** The gateway responses with this policy's headers added. */
    public List<GatewayResponse> onGatewayResponses(List<GatewayResponse> responses) {
        if (!enabled()) {
            return List.copyOf(responses);
        }
        return responses.stream()
                .map(r -> r.withHeaders(gatewayResponseStaticHeaders(), gatewayResponseEcho()))
                .toList();
    }
}
