package io.llmgateway.infra;

import io.llmgateway.config.CustomDomain;
import io.llmgateway.config.Edge;
import io.llmgateway.config.StackConfig;
import io.llmgateway.config.PrivateApi;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.GatewayResponse;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.Health;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Route;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Everything that defines the REST API, as plain values: the routes and how each method is
 * authorised, the integration, the authorizer and the gateway responses. {@link GatewayApi}
 * declares its resources from these values, and {@link #fingerprint()} hashes the same values into
 * the Deployment's {@code triggers} (next to the invoke ARNs, which are known only as outputs; see
 * {@link GatewayApi#deploymentTriggers}): API Gateway serves a change only after a new deployment
 * (API Gateway developer guide, "Deploy REST APIs in API Gateway"), and {@code dependsOn} alone
 * orders creation but never redeploys. Usage-plan limits are not part of the API definition (plans
 * attach to the stage), so changing a plan's limits never redeploys.
 *
 * @param routes           the methods, from {@link Route}
 * @param authorizer       the Lambda authorizer's settings
 * @param integration      the backend integration's settings
 * @param gatewayResponses one {@code aws.apigateway.Response} each
 * @param access           the endpoint type, the default endpoint and the CORS preflight
 */
public record ApiDefinition(List<Route> routes, AuthorizerSettings authorizer, IntegrationSettings integration,
                            List<GatewayResponse> gatewayResponses, Access access) {

    /**
     * Keys come from the authorizer's {@code usageIdentifierKey}, which is how an OpenAI-style
     * {@code Authorization: Bearer} key can drive usage plans (developer guide, "API key source").
     */
    public static final String API_KEY_SOURCE = "AUTHORIZER";
    public static final String METHOD_AUTHORIZATION = "CUSTOM";
    /** Without it API Gateway never meters a method against a usage plan. */
    public static final boolean API_KEY_REQUIRED = true;
    public static final String ENDPOINT_TYPE = "REGIONAL";
    public static final String PRIVATE_ENDPOINT_TYPE = "PRIVATE";

    public ApiDefinition {
        routes = List.copyOf(routes);
        Objects.requireNonNull(authorizer, "authorizer");
        Objects.requireNonNull(integration, "integration");
        gatewayResponses = List.copyOf(gatewayResponses);
        Objects.requireNonNull(access, "access");
    }

    /** A Regional API on its default endpoint, without CORS. */
    public ApiDefinition(List<Route> routes, AuthorizerSettings authorizer, IntegrationSettings integration,
                         List<GatewayResponse> gatewayResponses) {
        this(routes, authorizer, integration, gatewayResponses, Access.DEFAULT);
    }

    public static ApiDefinition of(StackConfig config) {
        return new ApiDefinition(List.of(Route.values()),
                AuthorizerSettings.forCacheTtl(config.api().authorizerCacheTtlSeconds()),
                IntegrationSettings.lambdaProxy(config.api().integrationTimeoutMs()),
                config.gatewayResponses(), Access.of(config.edge()));
    }

    /**
     * How the API is reached, as far as the RestApi and its methods define it. Each part is served
     * only after a new deployment: the default endpoint's switch ("Disable the default endpoint for
     * REST APIs": it "takes effect when you update any setting on any stage, such as updating the
     * deployment"), the resource policy of a private API ("If you update the resource policy, you'll
     * need to deploy the API", "Create and attach an API Gateway resource policy to an API"), and the
     * OPTIONS methods.
     *
     * @param endpointType              {@value #ENDPOINT_TYPE}, or {@value #PRIVATE_ENDPOINT_TYPE} with
     *                                  the VPC endpoints its resource policy admits
     * @param vpcEndpointIds            config {@code privateApi.vpcEndpointIds}; empty for a Regional API
     * @param disableExecuteApiEndpoint config {@code customDomain.disableExecuteApiEndpoint}
     * @param cors                      config {@code cors}: an OPTIONS preflight on every route's resource
     */
    public record Access(String endpointType, List<String> vpcEndpointIds, boolean disableExecuteApiEndpoint,
                         Cors cors) {

        public static final Access DEFAULT = new Access(ENDPOINT_TYPE, List.of(), false, Cors.NONE);

        public Access {
            Objects.requireNonNull(endpointType, "endpointType");
            vpcEndpointIds = List.copyOf(vpcEndpointIds);
            Objects.requireNonNull(cors, "cors");
            if (endpointType.equals(PRIVATE_ENDPOINT_TYPE) == vpcEndpointIds.isEmpty()) {
                throw new IllegalArgumentException("a PRIVATE API, and only a private one, names its VPC endpoints");
            }
        }

        public static Access of(Edge edge) {
            List<String> endpoints = edge.privateApi().map(PrivateApi::vpcEndpointIds).orElse(List.of());
            return new Access(endpoints.isEmpty() ? ENDPOINT_TYPE : PRIVATE_ENDPOINT_TYPE, endpoints,
                    edge.customDomain().map(CustomDomain::disableExecuteApiEndpoint).orElse(false), edge.cors());
        }

        public boolean isPrivate() {
            return endpointType.equals(PRIVATE_ENDPOINT_TYPE);
        }

        /**
         * The parts of the fingerprint; only what differs from the default, so that a stack without
         * these options keeps its fingerprint and is not redeployed by this code.
         */
        Map<String, Object> canonical() {
            Map<String, Object> entry = new LinkedHashMap<>();
            if (isPrivate()) {
                entry.put("vpcEndpointIds", vpcEndpointIds);
                entry.put("resourcePolicy", "allow execute-api:Invoke only with aws:SourceVpce in vpcEndpointIds");
            }
            if (disableExecuteApiEndpoint) {
                entry.put("disableExecuteApiEndpoint", true);
            }
            if (cors.enabled()) {
                Map<String, Object> preflight = new LinkedHashMap<>();
                preflight.put("integration", MockMethod.MOCK);
                preflight.put("requestTemplate", MockMethod.REQUEST_TEMPLATE);
                preflight.put("status", MockMethod.STATUS);
                preflight.put("allowedOrigins", cors.allowedOrigins());
                preflight.put("headers", new TreeMap<>(cors.preflightStaticHeaders(List.of())));
                preflight.put("responseTemplate", CorsPreflight.responseTemplate(cors));
                entry.put("corsPreflight", preflight);
            }
            return entry;
        }
    }

    /**
     * The REQUEST authorizer.
     *
     * <p>Identity source: API Gateway answers 401 without running a REQUEST authorizer whenever a
     * listed identity source is missing from the request, and the AWS provider cannot create a
     * REQUEST authorizer without one (terraform-provider-aws#12069). So:
     * <ul>
     *   <li>TTL 0 (the default): {@value #ALWAYS_PRESENT_SOURCE}, which every request has. The
     *       authorizer runs on every request and accepts {@code Authorization: Bearer <key>} and
     *       {@code x-api-key}. A context variable is a documented identity source of a REST API's
     *       REQUEST authorizer: "Supported parameter types are Header, Query String, Stage Variable,
     *       and Context", and with caching disabled "API Gateway does not perform any validation
     *       before invoking the authorizer's Lambda function" (API Gateway developer guide,
     *       "Configure a Lambda authorizer using the API Gateway console",
     *       https://docs.aws.amazon.com/apigateway/latest/developerguide/configure-api-gateway-lambda-authorization.html).
     *       AWS CDK's {@code IdentitySource.context("httpMethod")} and AWS SAM's
     *       {@code LambdaRequestAuthorizationIdentity.Context} emit this same
     *       {@code context.<name>} form.</li>
     *   <li>TTL &gt; 0: {@value #AUTHORIZATION_HEADER_SOURCE}. Results are cached per Authorization
     *       value. That is safe because the authorizer's answer depends on nothing but that header,
     *       and API Gateway still checks the returned key against the usage plans on every request.
     *       Clients must then send Bearer keys.</li>
     * </ul>
     *
     * @param type             always {@value #TYPE}: it sees headers, a TOKEN authorizer sees one
     * @param identitySource   see above
     * @param resultTtlSeconds config {@code authorizerCacheTtlSeconds}
     */
    public record AuthorizerSettings(String type, String identitySource, int resultTtlSeconds) {
        public static final String TYPE = "REQUEST";
        public static final String ALWAYS_PRESENT_SOURCE = "context.httpMethod";
        public static final String AUTHORIZATION_HEADER_SOURCE = "method.request.header.Authorization";

        public static AuthorizerSettings forCacheTtl(int ttlSeconds) {
            return new AuthorizerSettings(TYPE, ttlSeconds == 0 ? ALWAYS_PRESENT_SOURCE : AUTHORIZATION_HEADER_SOURCE,
                    ttlSeconds);
        }
    }

    /**
     * The backend integration: Lambda proxy, always called with POST whatever the client's method,
     * for Lambda's Invoke API is a POST (API Gateway developer guide, "Set up Lambda proxy
     * integrations in API Gateway").
     *
     * @param type       {@value #AWS_PROXY}
     * @param httpMethod {@value #POST}
     * @param timeoutMs  config {@code integrationTimeoutMs}
     */
    public record IntegrationSettings(String type, String httpMethod, int timeoutMs) {
        public static final String AWS_PROXY = "AWS_PROXY";
        public static final String POST = "POST";

        public static IntegrationSettings lambdaProxy(int timeoutMs) {
            return new IntegrationSettings(AWS_PROXY, POST, timeoutMs);
        }
    }

    /** SHA-256 (hex) of {@link #canonical()}. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Json.write(canonical()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The definition as plain values in a fixed order (only ordered maps: {@code Map.of} iterates
     * in a different order in every JVM, which would redeploy on every run): what the fingerprint covers.
     */
    Map<String, Object> canonical() {
        Map<String, Object> api = new LinkedHashMap<>();
        api.put("endpointType", access.endpointType());
        api.put("apiKeySource", API_KEY_SOURCE);
        api.putAll(access.canonical());
        List<Object> methods = new ArrayList<>();
        for (Route route : routes) {
            Map<String, Object> method = new LinkedHashMap<>();
            method.put("httpMethod", route.method());
            method.put("path", route.path());
            method.put("authorization", METHOD_AUTHORIZATION);
            method.put("apiKeyRequired", API_KEY_REQUIRED);
            methods.add(method);
        }
        api.put("methods", methods);
        api.put("health", health());
        Map<String, Object> integrationEntry = new LinkedHashMap<>();
        integrationEntry.put("type", integration.type());
        integrationEntry.put("httpMethod", integration.httpMethod());
        integrationEntry.put("timeoutMs", integration.timeoutMs());
        integrationEntry.put("target", BackendFunction.ALIAS_NAME);
        api.put("integration", integrationEntry);
        Map<String, Object> authorizerEntry = new LinkedHashMap<>();
        authorizerEntry.put("type", authorizer.type());
        authorizerEntry.put("identitySource", authorizer.identitySource());
        authorizerEntry.put("resultTtlSeconds", authorizer.resultTtlSeconds());
        api.put("authorizer", authorizerEntry);
        List<Object> responses = new ArrayList<>();
        for (GatewayResponse response : gatewayResponses) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("responseType", response.responseType());
            entry.put("statusCode", response.statusCode());
            entry.put("responseParameters", new TreeMap<>(response.responseParameters()));
            entry.put("responseTemplates", new TreeMap<>(responseTemplates(response)));
            responses.add(entry);
        }
        api.put("gatewayResponses", responses);
        return api;
    }

    /**
     * {@code GET /health}, answered by API Gateway itself ({@link Health}): no authorizer and no key, so
     * no usage plan counts it, and no Lambda runs.
     */
    static Map<String, Object> health() {
        Map<String, Object> health = new LinkedHashMap<>();
        health.put("httpMethod", Health.METHOD);
        health.put("path", Health.PATH);
        health.put("authorization", "NONE");
        health.put("apiKeyRequired", false);
        health.put("integration", MockMethod.MOCK);
        health.put("requestTemplate", MockMethod.REQUEST_TEMPLATE);
        health.put("status", MockMethod.STATUS);
        health.put("responseTemplate", Health.BODY);
        return health;
    }

    /** The templates of a gateway response, the same map the resource gets. */
    static Map<String, String> responseTemplates(GatewayResponse response) {
        return Map.of(Headers.JSON, response.bodyTemplate());
    }
}
