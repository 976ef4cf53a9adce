package io.llmgateway.infra;

import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The CORS preflight: an {@code OPTIONS} method on every route's resource, answered by a MOCK
 * integration, so a browser's preflight needs no key, runs no authorizer and invokes no Lambda. It is
 * declared only when config {@code cors} lists origins.
 *
 * <p>The method response declares the headers and the integration response sets them. The allowed
 * methods, request headers and max age are static ({@link Cors#preflightStaticHeaders}). The allowed
 * origin is static too with one origin or {@code *}; with several, a response mapping template sets it
 * to the request's Origin only when that origin is listed, through {@code $context.responseOverride}
 * (API Gateway developer guide, "Override your API's request and response parameters and status codes
 * for REST APIs in API Gateway"); an unlisted origin gets no Access-Control-Allow-Origin, and the
 * browser refuses to send its request.
 */
final class CorsPreflight {

    static final String STATUS = MockMethod.STATUS;

    private CorsPreflight() {
    }

    /** The resource paths that get a preflight, each with the methods its routes serve. */
    static Map<String, List<String>> methodsByPath(List<Route> routes) {
        Map<String, List<String>> methods = new LinkedHashMap<>();
        for (Route route : routes) {
            methods.computeIfAbsent(route.path(), p -> new ArrayList<>()).add(route.method());
        }
        return methods;
    }

    /** The integration response's parameters: each header's static value, in single quotes. */
    static Map<String, String> responseParameters(Cors cors, List<String> methods) {
        Map<String, String> parameters = new TreeMap<>();
        cors.preflightStaticHeaders(methods).forEach((name, value) -> parameters.put(header(name), "'" + value + "'"));
        if (cors.allowedOrigins().size() == 1) {
            parameters.put(header(Cors.ALLOW_ORIGIN), "'" + cors.allowedOrigins().get(0) + "'");
        }
        return parameters;
    }

    /**
     * With several origins, the template that allows a listed Origin. It reads the header as sent and,
     * failing that, in lower case (HTTP/2 clients send lower-case names); the origins are
     * {@code scheme://host[:port]} (config-checked), so they need no escaping in a VTL string. Empty
     * otherwise: the static parameters say everything.
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

    private static String header(String name) {
        return "method.response.header." + name;
    }

    /**
     * Declares the preflight of each route path on its resource.
     *
     * @param resourceIds route path to its resource's id
     * @return what the Deployment must wait for
     */
    static List<Resource> declare(String namePrefix, Output<String> restApiId, Map<String, Output<String>> resourceIds,
                                  List<Route> routes, Cors cors, CustomResourceOptions child,
                                  Function<List<Resource>, CustomResourceOptions> childAfter) {
        List<Resource> declared = new ArrayList<>();
        String template = responseTemplate(cors);
        methodsByPath(routes).forEach((path, methods) -> {
            Map<String, String> parameters = responseParameters(cors, methods);
            List<String> declaredHeaders = new ArrayList<>(parameters.keySet());
            if (!parameters.containsKey(header(Cors.ALLOW_ORIGIN))) {
                declaredHeaders.add(header(Cors.ALLOW_ORIGIN));
            }
            declared.addAll(MockMethod.declare(Names.child(namePrefix, Names.kebab(path) + "-options"), restApiId,
                    resourceIds.get(path), Cors.OPTIONS, parameters, declaredHeaders, template, child, childAfter));
        });
        return declared;
    }
}
