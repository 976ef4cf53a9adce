package io.llmgateway.infra.testing;

import io.llmgateway.common.Json;
import io.llmgateway.contract.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI document a run gave the RestApi as its {@code body}, parsed as API Gateway's import
 * reads it: paths, operations by method, the {@code x-amazon-apigateway-*} extensions. Tests assert
 * the API's wiring on it, as they asserted it on separate resources before.
 */
public final class ImportedApi {

    public static final String INTEGRATION = "x-amazon-apigateway-integration";

    /** One operation: a path and a method of the document. */
    public record Operation(String path, String method, Map<String, Object> body) {
        @SuppressWarnings("unchecked")
        public Map<String, Object> integration() {
            Map<String, Object> integration = (Map<String, Object>) body.get(INTEGRATION);
            if (integration == null) {
                throw new AssertionError(method + " " + path + " has no " + INTEGRATION);
            }
            return integration;
        }

        /** The operation's {@code security}, or null when it has none. */
        public Object security() {
            return body.get("security");
        }
    }

    private final String json;
    private final Map<String, Object> document;

    private ImportedApi(String json) {
        this.json = json;
        try {
            this.document = Json.readObject(json);
        } catch (IOException e) {
            throw new UncheckedIOException("the RestApi's body is not a JSON object", e);
        }
    }

    /** The body of the run's one RestApi ({@code api-rest}). */
    public static ImportedApi of(StackRun run) {
        Object body = run.one(AwsTypes.REST_API, "api-rest").inputs().get("body");
        if (!(body instanceof String text)) {
            throw new AssertionError("the RestApi has no body: " + body);
        }
        return new ImportedApi(text);
    }

    public String json() {
        return json;
    }

    public Map<String, Object> document() {
        return document;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> object(String key) {
        return (Map<String, Object>) document.get(key);
    }

    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> paths() {
        return (Map<String, Map<String, Object>>) document.get("paths");
    }

    /** Every operation, as {@code METHOD /path}. */
    public List<String> operationNames() {
        return operations().stream().map(o -> o.method() + " " + o.path()).toList();
    }

    @SuppressWarnings("unchecked")
    public List<Operation> operations() {
        List<Operation> all = new ArrayList<>();
        paths().forEach((path, methods) -> methods.forEach((method, operation) ->
                all.add(new Operation(path, method.toUpperCase(Locale.ROOT), (Map<String, Object>) operation))));
        return all;
    }

    @SuppressWarnings("unchecked")
    public Operation operation(String method, String path) {
        Map<String, Object> methods = paths().get(path);
        Object operation = methods == null ? null : methods.get(method.toLowerCase(Locale.ROOT));
        if (operation == null) {
            throw new AssertionError("the document has no " + method + " " + path + "; it has " + operationNames());
        }
        return new Operation(path, method, (Map<String, Object>) operation);
    }

    public Operation operation(Route route) {
        return operation(route.method(), route.path());
    }

    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> securitySchemes() {
        return (Map<String, Map<String, Object>>) object("components").get("securitySchemes");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> gatewayResponses() {
        return (Map<String, Map<String, Object>>) document.get("x-amazon-apigateway-gateway-responses");
    }
}
