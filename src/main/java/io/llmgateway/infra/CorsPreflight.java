package io.llmgateway.infra;

import io.llmgateway.contract.Cors;
import io.llmgateway.contract.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The CORS preflight: an {@code OPTIONS} method on every route's path, answered by a MOCK integration
 * ({@link MockMethod}), so a browser's preflight needs no key, runs no authorizer and invokes no
 * Lambda. The document has it only when config {@code cors} lists origins.
 *
 * <p>The allowed methods, request headers and max age are static ({@link Cors#preflightStaticHeaders}).
 * The allowed origin is static too with one origin or {@code *}; with several, a response mapping
 * template sets it to the request's Origin only when that origin is listed, through
 * {@code $context.responseOverride} (API Gateway developer guide, "Override your API's request and
 * response parameters and status codes for REST APIs in API Gateway"); an unlisted origin gets no
 * Access-Control-Allow-Origin, and the browser refuses to send its request.
 */
final class CorsPreflight {

    private CorsPreflight() {
    }

    /** The paths that get a preflight, each with the methods its routes serve. */
    static Map<String, List<String>> methodsByPath(List<Route> routes) {
        Map<String, List<String>> methods = new LinkedHashMap<>();
        for (Route route : routes) {
            methods.computeIfAbsent(route.path(), p -> new ArrayList<>()).add(route.method());
        }
        return methods;
    }

    /** The headers whose value is static, by name: the preflight's own, and the origin when there is one. */
    static Map<String, String> staticHeaders(Cors cors, List<String> methods) {
        Map<String, String> headers = new TreeMap<>(cors.preflightStaticHeaders(methods));
        if (cors.allowedOrigins().size() == 1) {
            headers.put(Cors.ALLOW_ORIGIN, cors.allowedOrigins().get(0));
        }
        return headers;
    }

    /**
     * With several origins, the template that allows a listed Origin. It reads the header as sent and,
     * failing that, in lower case (HTTP/2 clients send lower-case names); the origins are
     * {@code scheme://host[:port]} (config-checked), so they need no escaping in a VTL string. Empty
     * otherwise: the static values say everything.
     */
    static String responseTemplate(Cors cors) {
        if (cors.allowedOrigins().size() < 2) {
            return "";
        }
        String condition = cors.allowedOrigins().stream().map(o -> "$origin == \"" + o + "\"")
                .collect(Collectors.joining(" || "));
        return "#set($origin = $input.params().header.get(\"" + Cors.ORIGIN + "\"))\n"
                + "#if(\"$!origin\" == \"\")#set($origin = $input.params().header.get(\"origin\"))#end\n"
                + "#if(" + condition + ")#set($context.responseOverride.header." + Cors.ALLOW_ORIGIN + " = $origin)#end\n";
    }

    /** The {@code options} operation of a path whose routes serve these methods. */
    static Map<String, Object> operation(Cors cors, List<String> methods) {
        return MockMethod.operation("CORS preflight", staticHeaders(cors, methods), new TreeSet<>(List.of(Cors.ALLOW_ORIGIN)),
                responseTemplate(cors));
    }
}
