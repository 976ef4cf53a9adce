package io.llmgateway.infra;

import io.llmgateway.common.Json;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.GatewayResponse;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.Health;
import io.llmgateway.contract.Route;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The whole REST API as one OpenAPI 3.0.1 document, built from an {@link ApiDefinition} (itself read
 * from the {@code contract} types the local gateway serves: {@link Route}, the gateway responses, CORS,
 * {@link Health}). The RestApi imports it as its {@code body}; nothing of the API is declared as a
 * resource of its own.
 *
 * <p>Why a document: pulumi-aws 6.83 cannot set {@code responseTransferMode} on an Integration (the
 * Terraform provider added {@code response_transfer_mode} in v6.25.0,
 * hashicorp/terraform-provider-aws#45329), while an imported definition can ("x-amazon-apigateway-integration
 * object", and the OpenAPI example of "Set up an HTTP proxy integration with payload response streaming
 * in API Gateway"). Why all of it: the provider imports the body with PutRestApi in {@code overwrite}
 * mode on every change of it (terraform-provider-aws {@code internal/service/apigateway/rest_api.go}),
 * and "any API configuration not explicitly included in the import body will be reset to its
 * default value" ("Import an OpenAPI file to update an existing API definition"): separately declared
 * methods, gateway responses, authorizers or a resource policy would vanish at the next change of the
 * body while Pulumi's state still listed them.
 *
 * <p>What the document holds, each with the extension that carries it ("Working with API Gateway
 * extensions to OpenAPI", https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions.html):
 * <ul>
 *   <li>per route, an operation secured by the REQUEST authorizer and an API key
 *       ({@code security}: {@value #AUTHORIZER_SCHEME} and {@value #API_KEY_SCHEME}, which is how a
 *       method with {@code apiKeyRequired} is written), with a Lambda-proxy integration on the backend
 *       alias ({@code x-amazon-apigateway-integration}: {@code aws_proxy}, the route's timeout and
 *       transfer mode; a streaming route calls InvokeWithResponseStream, {@link Targets#backendStreamingUri()});</li>
 *   <li>the authorizer ({@code components.securitySchemes}, {@code x-amazon-apigateway-authtype: custom},
 *       {@code x-amazon-apigateway-authorizer}) and where usage-plan keys come from
 *       ({@code x-amazon-apigateway-api-key-source});</li>
 *   <li>{@code GET /health} and, with CORS, an {@code OPTIONS} per path: MOCK integrations without
 *       security ({@link MockMethod});</li>
 *   <li>the gateway responses ({@code x-amazon-apigateway-gateway-responses});</li>
 *   <li>the endpoint ({@code x-amazon-apigateway-endpoint-configuration}) and a private API's resource
 *       policy ({@code x-amazon-apigateway-policy}).</li>
 * </ul>
 * Every map is ordered, so the same definition always gives the same bytes, and so the same hash.
 */
public final class OpenApiDocument {

    static final String OPENAPI_VERSION = "3.0.1";
    /** The API's version as the document states it; the deployment, not this, says what is served. */
    static final String API_VERSION = "1";
    static final String DESCRIPTION = "OpenAI-compatible gateway to Amazon Bedrock";
    static final String INTEGRATION = "x-amazon-apigateway-integration";
    static final String AUTHORIZER = "x-amazon-apigateway-authorizer";
    static final String GATEWAY_RESPONSES = "x-amazon-apigateway-gateway-responses";
    static final String API_KEY_SOURCE = "x-amazon-apigateway-api-key-source";
    static final String ENDPOINT_CONFIGURATION = "x-amazon-apigateway-endpoint-configuration";
    static final String POLICY = "x-amazon-apigateway-policy";
    /** The authorizer's security scheme; API Gateway names the authorizer after it. */
    static final String AUTHORIZER_SCHEME = "api-key-authorizer";
    /** An {@code apiKey} scheme on {@code x-api-key}: a method that lists it requires an API key. */
    static final String API_KEY_SCHEME = "api_key";
    static final String AWS_PROXY = "aws_proxy";
    static final String PASSTHROUGH = "when_no_match";
    /** Lambda's Invoke and InvokeWithResponseStream API versions, as the integration URIs name them. */
    static final String INVOKE_API = "2015-03-31";
    static final String INVOKE_WITH_RESPONSE_STREAM_API = "2021-11-15";

    private OpenApiDocument() {
    }

    /**
     * What the document points at, as the provider reports it.
     *
     * @param partition           {@code aws}, {@code aws-cn}, ...
     * @param region              the stack's Region
     * @param accountId           the stack's account
     * @param backendArn          the backend alias's ARN ({@code arn:...:function:<name>:live})
     * @param backendInvokeArn    the alias's invoke ARN, what a BUFFERED integration calls
     * @param authorizerInvokeArn the authorizer function's invoke ARN
     */
    public record Targets(String partition, String region, String accountId, String backendArn,
                          String backendInvokeArn, String authorizerInvokeArn) {
        public Targets {
            Objects.requireNonNull(partition, "partition");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(accountId, "accountId");
            Objects.requireNonNull(backendArn, "backendArn");
            Objects.requireNonNull(backendInvokeArn, "backendInvokeArn");
            Objects.requireNonNull(authorizerInvokeArn, "authorizerInvokeArn");
        }

        /**
         * What a STREAM integration calls: Lambda's InvokeWithResponseStream on the alias,
         * {@code arn:<partition>:apigateway:<region>:lambda:path/2021-11-15/functions/<alias ARN>/response-streaming-invocations}
         * ("Set up a Lambda proxy integration with payload response streaming in API Gateway",
         * https://docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode-lambda.html).
         * A STREAM integration with the Invoke URI is not supported, nor the reverse. The provider's
         * {@code invokeArn} is the Invoke one, so this is built from the alias's ARN.
         */
        public String backendStreamingUri() {
            return "arn:" + partition + ":apigateway:" + region + ":lambda:path/" + INVOKE_WITH_RESPONSE_STREAM_API
                    + "/functions/" + backendArn + "/response-streaming-invocations";
        }

        /** The backend URI for this transfer mode. */
        public String backendUri(ApiDefinition.TransferMode mode) {
            return mode == ApiDefinition.TransferMode.STREAM ? backendStreamingUri() : backendInvokeArn;
        }

    }

    /** The document, as ordered maps and lists. */
    public static Map<String, Object> of(ApiDefinition definition, String title, Targets targets) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("openapi", OPENAPI_VERSION);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("title", title);
        info.put("description", DESCRIPTION);
        info.put("version", API_VERSION);
        document.put("info", info);
        document.put(API_KEY_SOURCE, ApiDefinition.API_KEY_SOURCE);
        document.put(ENDPOINT_CONFIGURATION, endpointConfiguration(definition.access()));
        if (definition.access().isPrivate()) {
            document.put(POLICY, privateApiPolicy(definition.access(), targets.partition(), targets.region(),
                    targets.accountId()));
        }
        document.put("paths", paths(definition, targets));
        document.put("components", Map.of("securitySchemes", securitySchemes(definition.authorizer(), targets)));
        document.put(GATEWAY_RESPONSES, gatewayResponses(definition.gatewayResponses()));
        return document;
    }

    /** The document as the RestApi's {@code body}. */
    public static String json(ApiDefinition definition, String title, Targets targets) {
        return Json.write(of(definition, title, targets));
    }

    /** SHA-256 (hex) of the document's bytes: the Deployment's trigger. */
    public static String sha256(String json) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The private API's resource policy; the RestApi's {@code policy} argument holds the same document.
     * The provider of pulumi-aws 6.83 re-applies the RestApi's previous {@code policy} after importing
     * a changed body unless the argument is set (hashicorp/terraform-provider-aws#38515, fixed upstream
     * in #48118), so a change of the VPC endpoints would otherwise not reach the policy.
     *
     * <p>It names every method of every API of the account in the Region
     * ({@code arn:<partition>:execute-api:<region>:<account>:*}{@code /*}): a resource policy governs
     * only requests to the API it is attached to, so that is exactly this API's methods. The API's own
     * ARN cannot be written (its id exists only once the API does, and the policy is one of its inputs),
     * and the shorthand {@code execute-api:/*}, which API Gateway expands to the full ARN when it saves
     * the policy ("API Gateway resource policy examples",
     * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html),
     * would make the saved policy differ from the argument at every read.
     */
    static Map<String, Object> privateApiPolicy(ApiDefinition.Access access, String partition, String region,
                                                String accountId) {
        return IamPolicies.privateApi("arn:" + partition + ":execute-api:" + region + ":" + accountId + ":*/*",
                access.vpcEndpointIds());
    }

    /**
     * The default endpoint's switch, and a private API's VPC endpoints (the endpoint type itself is
     * the RestApi's {@code endpointConfiguration}, which an import does not change). Both are also
     * RestApi arguments, which the provider re-applies after every import.
     */
    private static Map<String, Object> endpointConfiguration(ApiDefinition.Access access) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("disableExecuteApiEndpoint", access.disableExecuteApiEndpoint());
        if (access.isPrivate()) {
            endpoint.put("vpcEndpointIds", access.vpcEndpointIds());
        }
        return endpoint;
    }

    /** The routes' paths in route order, each with its methods and, with CORS, its preflight; then {@code /health}. */
    private static Map<String, Object> paths(ApiDefinition definition, Targets targets) {
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Route route : definition.routes()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> operations = (Map<String, Object>) paths.computeIfAbsent(route.path(),
                    p -> new LinkedHashMap<String, Object>());
            operations.put(operationKey(route.method()), routeOperation(route, definition.integration(route), targets));
        }
        if (definition.access().cors().enabled()) {
            CorsPreflight.methodsByPath(definition.routes()).forEach((path, methods) -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> operations = (Map<String, Object>) paths.get(path);
                Map<String, Object> preflight = withPathParameters(path);
                preflight.putAll(CorsPreflight.operation(definition.access().cors(), methods));
                operations.put(operationKey(Cors.OPTIONS), preflight);
            });
        }
        paths.put(Health.PATH, Map.of(operationKey(Health.METHOD),
                MockMethod.operation("The gateway is up", Map.of(), new TreeSet<>(), Health.BODY)));
        return paths;
    }

    /** OpenAPI names an operation by its method in lower case. */
    static String operationKey(String httpMethod) {
        return httpMethod.toLowerCase(Locale.ROOT);
    }

    /**
     * A route: the authorizer and an API key (without {@code apiKeyRequired} API Gateway never meters
     * a method against a usage plan), and the Lambda-proxy integration. No method responses: a proxy
     * integration passes the function's status and headers on.
     */
    private static Map<String, Object> routeOperation(Route route, ApiDefinition.IntegrationSettings settings,
                                                      Targets targets) {
        Map<String, Object> operation = withPathParameters(route.path());
        Map<String, Object> requirement = new LinkedHashMap<>();
        requirement.put(AUTHORIZER_SCHEME, List.of());
        requirement.put(API_KEY_SCHEME, List.of());
        operation.put("security", List.of(requirement));
        operation.put("responses", Map.of());
        Map<String, Object> integration = new LinkedHashMap<>();
        integration.put("type", AWS_PROXY);
        integration.put("httpMethod", settings.httpMethod());
        integration.put("uri", targets.backendUri(settings.transferMode()));
        integration.put("passthroughBehavior", PASSTHROUGH);
        integration.put("timeoutInMillis", settings.timeoutMs());
        integration.put("responseTransferMode", settings.transferMode().name());
        operation.put(INTEGRATION, integration);
        return operation;
    }

    /**
     * A new operation that declares the path's parameters ({@code {model}}), as OpenAPI asks of every
     * operation on a templated path; empty for a path without any.
     */
    private static Map<String, Object> withPathParameters(String path) {
        Map<String, Object> operation = new LinkedHashMap<>();
        List<Object> parameters = new ArrayList<>();
        for (String segment : path.substring(1).split("/")) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                Map<String, Object> parameter = new LinkedHashMap<>();
                parameter.put("name", segment.substring(1, segment.length() - 1));
                parameter.put("in", "path");
                parameter.put("required", true);
                parameter.put("schema", Map.of("type", "string"));
                parameters.add(parameter);
            }
        }
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        return operation;
    }

    /**
     * The API key ({@code x-api-key} header, the form API Gateway exports a key requirement in) and the
     * REQUEST authorizer ("x-amazon-apigateway-authorizer object"). With a REQUEST authorizer the
     * scheme's {@code name} is not what API Gateway reads: {@code identitySource} is.
     */
    private static Map<String, Object> securitySchemes(ApiDefinition.AuthorizerSettings settings, Targets targets) {
        Map<String, Object> schemes = new LinkedHashMap<>();
        Map<String, Object> apiKey = new LinkedHashMap<>();
        apiKey.put("type", "apiKey");
        apiKey.put("name", Headers.X_API_KEY);
        apiKey.put("in", "header");
        schemes.put(API_KEY_SCHEME, apiKey);
        Map<String, Object> authorizer = new LinkedHashMap<>();
        authorizer.put("type", settings.type().toLowerCase(Locale.ROOT));
        authorizer.put("authorizerUri", targets.authorizerInvokeArn());
        authorizer.put("identitySource", settings.identitySource());
        authorizer.put("authorizerResultTtlInSeconds", settings.resultTtlSeconds());
        Map<String, Object> scheme = new LinkedHashMap<>();
        scheme.put("type", "apiKey");
        scheme.put("name", Headers.AUTHORIZATION);
        scheme.put("in", "header");
        scheme.put("x-amazon-apigateway-authtype", "custom");
        scheme.put(AUTHORIZER, authorizer);
        schemes.put(AUTHORIZER_SCHEME, scheme);
        return schemes;
    }

    /** Each gateway response of the contract, keyed by type ("x-amazon-apigateway-gateway-responses object"). */
    private static Map<String, Object> gatewayResponses(List<GatewayResponse> responses) {
        Map<String, Object> all = new LinkedHashMap<>();
        for (GatewayResponse response : responses) {
            Map<String, Object> entry = new LinkedHashMap<>();
            if (response.statusCode() != null) {
                entry.put("statusCode", Integer.toString(response.statusCode()));
            }
            if (!response.responseParameters().isEmpty()) {
                entry.put("responseParameters", response.responseParameters());
            }
            entry.put("responseTemplates", Map.of(Headers.JSON, response.bodyTemplate()));
            all.put(response.responseType(), entry);
        }
        return all;
    }
}
