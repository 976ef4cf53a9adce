package io.llmgateway.infra;

import io.llmgateway.config.CustomDomain;
import io.llmgateway.config.Edge;
import io.llmgateway.config.StackConfig;
import io.llmgateway.config.PrivateApi;
import io.llmgateway.config.Streaming;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.GatewayResponse;
import io.llmgateway.contract.Route;
import java.util.List;
import java.util.Objects;

/**
 * Everything that defines the REST API, as plain values: the routes and how each is integrated, the
 * authorizer, the gateway responses and how clients reach the API. {@link OpenApiDocument} turns them
 * into the one OpenAPI document the RestApi imports, and the document's hash is the Deployment's
 * trigger. Usage-plan limits are not part of it (plans attach to the stage), so changing a plan's
 * limits never redeploys.
 *
 * @param routes               the methods, from {@link Route}
 * @param authorizer           the Lambda authorizer's settings
 * @param integrationTimeoutMs config {@code integrationTimeoutMs}: the buffered routes' integration timeout
 * @param streaming            config {@code streaming}: which routes stream, and their timeout
 * @param gatewayResponses     the gateway responses, from {@code contract}
 * @param access               the endpoint type, the default endpoint and the CORS preflight
 */
public record ApiDefinition(List<Route> routes, AuthorizerSettings authorizer, int integrationTimeoutMs,
                            Streaming streaming, List<GatewayResponse> gatewayResponses, Access access) {

    /**
     * Keys come from the authorizer's {@code usageIdentifierKey}, which is how an OpenAI-style
     * {@code Authorization: Bearer} key can drive usage plans (developer guide, "API key source").
     */
    public static final String API_KEY_SOURCE = "AUTHORIZER";
    public static final String ENDPOINT_TYPE = "REGIONAL";
    public static final String PRIVATE_ENDPOINT_TYPE = "PRIVATE";

    public ApiDefinition {
        routes = List.copyOf(routes);
        Objects.requireNonNull(authorizer, "authorizer");
        Objects.requireNonNull(streaming, "streaming");
        gatewayResponses = List.copyOf(gatewayResponses);
        Objects.requireNonNull(access, "access");
    }

    public static ApiDefinition of(StackConfig config) {
        return new ApiDefinition(config.routes(),
                AuthorizerSettings.forCacheTtl(config.api().authorizerCacheTtlSeconds()), config.api().integrationTimeoutMs(),
                config.streaming(), config.gatewayResponses(), Access.of(config.edge()));
    }

    /** How this route's integration calls the backend. */
    public IntegrationSettings integration(Route route) {
        return IntegrationSettings.lambdaProxy(streaming.integrationTimeoutMs(route, integrationTimeoutMs),
                streaming.streams(route) ? TransferMode.STREAM : TransferMode.BUFFERED);
    }

    /**
     * How the API is reached, as far as the RestApi and its methods define it. Each part is served
     * only after a new deployment: the default endpoint's switch ("Disable the default endpoint for
     * REST APIs": it "takes effect when you update any setting on any stage, such as updating the
     * deployment"), the resource policy of a private API ("If you update the resource policy, you'll
     * need to deploy the API", "Create and attach an API Gateway resource policy to an API"), and the
     * OPTIONS methods. All of them are in the document, so its hash covers them.
     *
     * @param endpointType              {@value #ENDPOINT_TYPE}, or {@value #PRIVATE_ENDPOINT_TYPE} with
     *                                  the VPC endpoints its resource policy admits
     * @param vpcEndpointIds            config {@code privateApi.vpcEndpointIds}; empty for a Regional API
     * @param disableExecuteApiEndpoint config {@code customDomain.disableExecuteApiEndpoint}
     * @param cors                      config {@code cors}: an OPTIONS preflight on every route's path
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
    }

    /**
     * The REQUEST authorizer.
     *
     * <p>Identity source: API Gateway answers 401 without running a REQUEST authorizer whenever a
     * listed identity source is missing from the request. So:
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
     *       {@code context.<name>} form. (The AWS provider could not create a REQUEST authorizer
     *       without one, terraform-provider-aws#12069; the same source keeps the authorizer as it was.)</li>
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
     * How API Gateway passes the integration's answer on: whole ({@code BUFFERED}, the default) or as
     * the function writes it ({@code STREAM}, InvokeWithResponseStream; API Gateway developer guide,
     * "Stream the integration response for your proxy integrations in API Gateway").
     */
    public enum TransferMode { BUFFERED, STREAM }

    /**
     * A route's backend integration: Lambda proxy, always called with POST whatever the client's
     * method, for Lambda's Invoke and InvokeWithResponseStream are POSTs (API Gateway developer guide,
     * "Set up Lambda proxy integrations in API Gateway").
     *
     * @param type         {@value #AWS_PROXY}
     * @param httpMethod   {@value #POST}
     * @param timeoutMs    the route's integration timeout
     * @param transferMode BUFFERED, or STREAM for a streaming route with streaming on
     */
    public record IntegrationSettings(String type, String httpMethod, int timeoutMs, TransferMode transferMode) {
        public static final String AWS_PROXY = "AWS_PROXY";
        public static final String POST = "POST";

        public static IntegrationSettings lambdaProxy(int timeoutMs, TransferMode transferMode) {
            return new IntegrationSettings(AWS_PROXY, POST, timeoutMs, transferMode);
        }
    }
}
