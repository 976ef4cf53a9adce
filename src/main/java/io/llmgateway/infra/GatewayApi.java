package io.llmgateway.infra;

import com.pulumi.aws.apigateway.Account;
import com.pulumi.aws.apigateway.AccountArgs;
import com.pulumi.aws.apigateway.Authorizer;
import com.pulumi.aws.apigateway.AuthorizerArgs;
import com.pulumi.aws.apigateway.Deployment;
import com.pulumi.aws.apigateway.DeploymentArgs;
import com.pulumi.aws.apigateway.Integration;
import com.pulumi.aws.apigateway.IntegrationArgs;
import com.pulumi.aws.apigateway.Method;
import com.pulumi.aws.apigateway.MethodArgs;
import com.pulumi.aws.apigateway.MethodSettings;
import com.pulumi.aws.apigateway.MethodSettingsArgs;
import com.pulumi.aws.apigateway.ResourceArgs;
import com.pulumi.aws.apigateway.Response;
import com.pulumi.aws.apigateway.ResponseArgs;
import com.pulumi.aws.apigateway.RestApi;
import com.pulumi.aws.apigateway.RestApiArgs;
import com.pulumi.aws.apigateway.RestApiPolicy;
import com.pulumi.aws.apigateway.RestApiPolicyArgs;
import com.pulumi.aws.apigateway.Stage;
import com.pulumi.aws.apigateway.StageArgs;
import com.pulumi.aws.apigateway.inputs.MethodSettingsSettingsArgs;
import com.pulumi.aws.apigateway.inputs.RestApiEndpointConfigurationArgs;
import com.pulumi.aws.apigateway.inputs.StageAccessLogSettingsArgs;
import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.cloudwatch.LogGroupArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.aws.lambda.Permission;
import com.pulumi.aws.lambda.PermissionArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.llmgateway.contract.AccessLogFormat;
import io.llmgateway.contract.GatewayResponse;
import io.llmgateway.contract.Health;
import io.llmgateway.contract.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The REST API: a Regional RestApi whose usage-plan keys come from the Lambda authorizer, one
 * resource tree and one CUSTOM-authorised, key-required method per {@link Route}, each with a
 * Lambda-proxy integration on the backend alias; the gateway responses; a Deployment redeployed
 * whenever the {@link ApiDefinition} or a function's invoke ARN changes; and a Stage with JSON
 * access logs, X-Ray and throttling method settings. Optionally the Region's API Gateway account
 * setting with its CloudWatch Logs role (a Region-wide singleton). How clients reach it
 * ({@link ApiDefinition.Access}): Regional by default, or PRIVATE with a resource policy that admits
 * only its VPC endpoints; the default execute-api endpoint on or off; with CORS, an OPTIONS preflight
 * on every route's resource ({@link CorsPreflight}).
 *
 * <p>Children are named {@code <name>-<what>}: {@code -rest}, {@code -v1}, {@code -v1-chat}, ...,
 * {@code -<route>-method}, {@code -<route>-integration}, {@code -<route>-permission},
 * {@code -authorizer}, {@code -authorizer-permission}, {@code -response-<type>}, {@code -deployment},
 * {@code -access-logs}, {@code -execution-logs}, {@code -stage}, {@code -settings},
 * {@code -<route>-settings}, {@code -cloudwatch-role}, {@code -cloudwatch-policy}, {@code -account};
 * {@code -health}, {@code -health-method}, {@code -health-method-integration}, {@code -health-method-response},
 * {@code -health-method-integration-response};
 * {@code -policy} (private API), {@code -<path>-options}, {@code -<path>-options-integration},
 * {@code -<path>-options-response}, {@code -<path>-options-integration-response} (CORS).
 */
public final class GatewayApi extends ComponentResource {

    public static final String TYPE = "llm-gateway:infra:GatewayApi";
    static final String API_GATEWAY_SERVICE = "apigateway.amazonaws.com";
    static final String INVOKE_ACTION = "lambda:InvokeFunction";
    /** API Gateway's own log group for execution logs; it creates it without a retention otherwise. */
    static final String EXECUTION_LOG_GROUP = "API-Gateway-Execution-Logs_%s/%s";
    static final String ALL_METHODS = "*/*";
    static final String TRIGGER_API_DEFINITION = "apiDefinition";
    static final String TRIGGER_INTEGRATION_URI = "integrationUri";
    static final String TRIGGER_AUTHORIZER_URI = "authorizerUri";

    private final String name;
    private final CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
    private final RestApi restApi;
    private final Stage stage;
    private final LogGroup accessLogs;
    private final Output<String> stageUrl;
    /** Where clients call the stage: the custom domain's URL when there is one, else {@link #stageUrl}. */
    private final Output<String> publicUrl;
    private final AwsEnvironment aws;

    public GatewayApi(String name, GatewayApiArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        this.name = name;
        this.aws = args.aws();
        ApiDefinition definition = args.definition();

        this.restApi = restApi(args.apiName(), definition.access());
        Authorizer authorizer = authorizer(definition.authorizer(), args.authorizer());
        List<Resource> deployed = new ArrayList<>();
        deployed.add(authorizerPermission(authorizer, args.authorizer()));
        Map<String, com.pulumi.aws.apigateway.Resource> tree = resourceTree(definition.routes());
        deployed.addAll(routes(definition, tree, authorizer, args.backend()));
        deployed.addAll(access(definition, tree));
        deployed.addAll(health());
        deployed.addAll(gatewayResponses(definition.gatewayResponses()));
        Deployment deployment = deployment(deploymentTriggers(definition, args.backend(), args.authorizer()), deployed);

        this.accessLogs = accessLogs(args.logRetentionDays());
        List<Resource> stageAfter = new ArrayList<>(executionLogging(args));
        stageAfter.addAll(args.stageAfter());
        this.stage = stage(args.stage(), deployment, args.stageVariables(), stageAfter);
        methodSettings(args.stage(), definition.routes());

        this.stageUrl = Output.format("https://%s.execute-api.%s.%s/%s", restApi.id(), aws.region(), aws.dnsSuffix(),
                stage.stageName());
        this.publicUrl = args.customDomainUrl().map(Output::of).orElse(stageUrl);
        registerOutputs(Map.of(
                "restApiId", restApi.id(),
                "stageName", stage.stageName(),
                "baseUrl", baseUrl(),
                "accessLogGroupName", accessLogs.name()));
    }

    private String childName(String suffix) {
        return Names.child(name, suffix);
    }

    private CustomResourceOptions childAfter(List<? extends Resource> dependencies) {
        return CustomResourceOptions.builder().parent(this).dependsOn(List.copyOf(dependencies)).build();
    }

    /**
     * {@code disableExecuteApiEndpoint} is always sent: the provider keeps an unset value as it is
     * (optional and computed), so leaving it out when false would never turn the endpoint back on.
     * Changing the endpoint type updates the API in place (the provider patches
     * {@code /endpointConfiguration/types/0}); the API, its id and its keys stay.
     */
    private RestApi restApi(String apiName, ApiDefinition.Access access) {
        RestApiEndpointConfigurationArgs.Builder endpoint = RestApiEndpointConfigurationArgs.builder()
                .types(access.endpointType());
        if (access.isPrivate()) {
            endpoint.vpcEndpointIds(access.vpcEndpointIds());
        }
        return new RestApi(childName("rest"), RestApiArgs.builder()
                .name(apiName)
                .description("OpenAI-compatible gateway to Amazon Bedrock")
                .endpointConfiguration(endpoint.build())
                .disableExecuteApiEndpoint(access.disableExecuteApiEndpoint())
                .apiKeySource(ApiDefinition.API_KEY_SOURCE)
                .build(), child);
    }

    /**
     * What the access settings add to the API: the resource policy of a private API (which API Gateway
     * needs before it deploys one: "For a private API, you can't deploy your API without a resource
     * policy") and the CORS preflight methods.
     */
    private List<Resource> access(ApiDefinition definition, Map<String, com.pulumi.aws.apigateway.Resource> tree) {
        ApiDefinition.Access access = definition.access();
        List<Resource> declared = new ArrayList<>();
        if (access.isPrivate()) {
            declared.add(new RestApiPolicy(childName("policy"), RestApiPolicyArgs.builder()
                    .restApiId(restApi.id())
                    .policy(restApi.executionArn().applyValue(arn -> IamPolicies.privateApi(arn, access.vpcEndpointIds())))
                    .build(), child));
        }
        if (access.cors().enabled()) {
            Map<String, Output<String>> resourceIds = new LinkedHashMap<>();
            tree.forEach((path, resource) -> resourceIds.put(path, resource.id()));
            declared.addAll(CorsPreflight.declare(name, restApi.id(), resourceIds, definition.routes(), access.cors(),
                    child, this::childAfter));
        }
        return declared;
    }

    private Authorizer authorizer(ApiDefinition.AuthorizerSettings settings, InvokeTarget function) {
        return new Authorizer(childName("authorizer"), AuthorizerArgs.builder()
                .restApi(restApi.id())
                .name("api-key")
                .type(settings.type())
                .authorizerUri(function.invokeArn())
                .identitySource(settings.identitySource())
                .authorizerResultTtlInSeconds(settings.resultTtlSeconds())
                .build(), child);
    }

    /** API Gateway may call the authorizer function only as this authorizer of this API. */
    private Permission authorizerPermission(Authorizer authorizer, InvokeTarget function) {
        return permission(childName("authorizer-permission"), function,
                Output.format("%s/authorizers/%s", restApi.executionArn(), authorizer.id()));
    }

    /**
     * {@code GET /health} on a resource of its own under the root ({@link ApiDefinition#health()}):
     * answered by a MOCK integration with {@link Health#BODY}. The stage's method settings throttle it
     * like every method; no usage plan does, for it takes no key.
     */
    private List<Resource> health() {
        com.pulumi.aws.apigateway.Resource resource = new com.pulumi.aws.apigateway.Resource(
                childName(Names.kebab(Health.PATH)), ResourceArgs.builder()
                .restApi(restApi.id())
                .parentId(restApi.rootResourceId())
                .pathPart(Health.PATH.substring(1))
                .build(), child);
        List<Resource> declared = new ArrayList<>(List.of(resource));
        declared.addAll(MockMethod.declare(childName(Names.kebab(Health.PATH) + "-method"), restApi.id(), resource.id(),
                Health.METHOD, Map.of(), List.of(), Health.BODY, child, this::childAfter));
        return declared;
    }

    /** Per route, on its resource of the tree: its method, its integration and the permission to call the backend. */
    private List<Resource> routes(ApiDefinition definition, Map<String, com.pulumi.aws.apigateway.Resource> tree,
                                  Authorizer authorizer, InvokeTarget backend) {
        List<Resource> declared = new ArrayList<>();
        for (Route route : definition.routes()) {
            String routeName = childName(Names.of(route));
            Output<String> resourceId = tree.get(route.path()).id();
            Method method = new Method(Names.child(routeName, "method"), MethodArgs.builder()
                    .restApi(restApi.id())
                    .resourceId(resourceId)
                    .httpMethod(route.method())
                    .authorization(ApiDefinition.METHOD_AUTHORIZATION)
                    .authorizerId(authorizer.id())
                    .apiKeyRequired(ApiDefinition.API_KEY_REQUIRED)
                    .build(), child);
            ApiDefinition.IntegrationSettings integration = definition.integration();
            declared.add(method);
            declared.add(new Integration(Names.child(routeName, "integration"), IntegrationArgs.builder()
                    .restApi(restApi.id())
                    .resourceId(resourceId)
                    .httpMethod(method.httpMethod())
                    .type(integration.type())
                    .integrationHttpMethod(integration.httpMethod())
                    .uri(backend.invokeArn())
                    .timeoutMilliseconds(integration.timeoutMs())
                    .build(), child));
            // Only this route, from any stage: arn:...:<api>/<stage>/<METHOD>/<path>. API Gateway calls
            // with the request's own path in that ARN (developer guide, "Control access to a REST API with
            // IAM permissions", execute-api ARN format), so a path parameter becomes '*', as AWS SAM writes it.
            declared.add(permission(Names.child(routeName, "permission"), backend,
                    Output.format("%s/*/%s%s", restApi.executionArn(), route.method(), sourceArnPath(route))));
        }
        return declared;
    }

    /** The route's path with each path parameter ({@code {model}}) as {@code *}. */
    static String sourceArnPath(Route route) {
        return route.path().replaceAll("\\{[^/}]+}", "*");
    }

    /**
     * One resource per path segment, shared by the routes under it: path to resource. A segment in
     * braces is a path-parameter resource ({@code pathPart: "{model}"}).
     */
    private Map<String, com.pulumi.aws.apigateway.Resource> resourceTree(List<Route> routes) {
        Map<String, com.pulumi.aws.apigateway.Resource> tree = new LinkedHashMap<>();
        for (Route route : routes) {
            String path = "";
            Output<String> parentId = restApi.rootResourceId();
            for (String part : route.path().substring(1).split("/")) {
                path = path + "/" + part;
                com.pulumi.aws.apigateway.Resource resource = tree.get(path);
                if (resource == null) {
                    resource = new com.pulumi.aws.apigateway.Resource(childName(Names.kebab(path)),
                            ResourceArgs.builder()
                                    .restApi(restApi.id())
                                    .parentId(parentId)
                                    .pathPart(part)
                                    .build(), child);
                    tree.put(path, resource);
                }
                parentId = resource.id();
            }
        }
        return tree;
    }

    private List<Resource> gatewayResponses(List<GatewayResponse> responses) {
        List<Resource> declared = new ArrayList<>();
        for (GatewayResponse response : responses) {
            ResponseArgs.Builder responseArgs = ResponseArgs.builder()
                    .restApiId(restApi.id())
                    .responseType(response.responseType())
                    .responseTemplates(ApiDefinition.responseTemplates(response));
            if (response.statusCode() != null) {
                responseArgs.statusCode(Integer.toString(response.statusCode()));
            }
            if (!response.responseParameters().isEmpty()) {
                responseArgs.responseParameters(response.responseParameters());
            }
            declared.add(new Response(childName("response-" + Names.kebab(response.responseType())),
                    responseArgs.build(), child));
        }
        return declared;
    }

    /**
     * No stageName here: deprecated in pulumi-aws 6 and in conflict with the Stage. Changed triggers
     * make a new Deployment (created before the old one is deleted); {@code deployed} only orders it
     * after everything it snapshots.
     */
    private Deployment deployment(Output<Map<String, String>> triggers, List<Resource> deployed) {
        return new Deployment(childName("deployment"), DeploymentArgs.builder()
                .restApi(restApi.id())
                .description("Deployed by the llm-gateway stack")
                .triggers(triggers)
                .build(), childAfter(deployed));
    }

    private LogGroup accessLogs(int retentionDays) {
        return new LogGroup(childName("access-logs"), LogGroupArgs.builder()
                .retentionInDays(retentionDays)
                .build(), child);
    }

    /**
     * What the stage must wait for to log: the execution-log group (when logging is on), created
     * here so that it has a retention, and the Region's CloudWatch role setting (when this stack
     * manages it).
     */
    private List<Resource> executionLogging(GatewayApiArgs args) {
        List<Resource> logging = new ArrayList<>();
        GatewayApiArgs.StageSettings settings = args.stage();
        if (!"OFF".equals(settings.loggingLevel())) {
            logging.add(new LogGroup(childName("execution-logs"), LogGroupArgs.builder()
                    .name(Output.format(EXECUTION_LOG_GROUP, restApi.id(), settings.name()))
                    .retentionInDays(args.logRetentionDays())
                    .build(), child));
        }
        if (args.manageCloudWatchRole()) {
            logging.add(cloudWatchAccount(args.aws()));
        }
        return logging;
    }

    /**
     * The stage. Its variables reach the backend in every proxy event ({@code stageVariables}), and
     * changing them updates the stage alone: no new Deployment, no new function version.
     */
    private Stage stage(GatewayApiArgs.StageSettings settings, Deployment deployment, Output<Map<String, String>> variables,
                        List<Resource> after) {
        return new Stage(childName("stage"), StageArgs.builder()
                .restApi(restApi.id())
                .deployment(deployment.id())
                .stageName(settings.name())
                .variables(variables)
                .xrayTracingEnabled(settings.tracingEnabled())
                .accessLogSettings(StageAccessLogSettingsArgs.builder()
                        .destinationArn(accessLogs.arn())
                        .format(AccessLogFormat.JSON)
                        .build())
                .build(), childAfter(after));
    }

    /**
     * What makes a new Deployment: the definition's fingerprint, and the URIs the integrations and
     * the authorizer call. A stage serves its deployment's snapshot of the API, URIs included, so a
     * replaced function (new name, new invoke ARN) updates the Integration and Authorizer resources
     * but not what the stage calls until the API is deployed again. The URIs go in as they are, so
     * {@code pulumi preview} shows which one changed. The backend's is its alias's, which a code
     * change never alters (a new version moves the alias), so new code alone does not redeploy.
     */
    static Output<Map<String, String>> deploymentTriggers(ApiDefinition definition, InvokeTarget backend,
                                                         InvokeTarget authorizer) {
        String fingerprint = definition.fingerprint();
        return Output.tuple(backend.invokeArn(), authorizer.invokeArn()).applyValue(uris -> {
            Map<String, String> triggers = new LinkedHashMap<>();
            triggers.put(TRIGGER_API_DEFINITION, fingerprint);
            triggers.put(TRIGGER_INTEGRATION_URI, uris.t1);
            triggers.put(TRIGGER_AUTHORIZER_URI, uris.t2);
            return triggers;
        });
    }

    private Permission permission(String logicalName, InvokeTarget target, Output<String> sourceArn) {
        PermissionArgs.Builder permission = PermissionArgs.builder()
                .action(INVOKE_ACTION)
                .principal(API_GATEWAY_SERVICE)
                .function(target.functionName())
                .sourceArn(sourceArn);
        target.qualifier().ifPresent(permission::qualifier);
        return new Permission(logicalName, permission.build(), child);
    }

    /**
     * Access logs need the Region's API Gateway account setting {@code cloudwatchRoleArn}, or the
     * Stage fails: "CloudWatch Logs role ARN must be set in account settings" (API Gateway developer
     * guide, "Set up CloudWatch logging for REST APIs in API Gateway"). It is a Region-wide
     * singleton, so one stack per account and Region manages it.
     * {@code resetOnDelete} (deprecated) is what terraform-provider-aws v6 always does
     * (terraform-provider-aws#42226): a destroyed stack does not leave the Region pointing at its
     * deleted role.
     */
    @SuppressWarnings("deprecation")
    private Account cloudWatchAccount(AwsEnvironment aws) {
        Role role = new Role(childName("cloudwatch-role"), RoleArgs.builder()
                .description("Lets API Gateway write access and execution logs in this Region")
                .assumeRolePolicy(IamPolicies.assumeRole(API_GATEWAY_SERVICE))
                .build(), child);
        RolePolicyAttachment policy = new RolePolicyAttachment(childName("cloudwatch-policy"),
                RolePolicyAttachmentArgs.builder()
                        .role(role.name())
                        .policyArn(Output.format(
                                "arn:%s:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
                                aws.partition()))
                        .build(), child);
        return new Account(childName("account"), AccountArgs.builder()
                .cloudwatchRoleArn(role.arn())
                .resetOnDelete(true)
                .build(), childAfter(List.of(policy)));
    }

    /**
     * {@value #ALL_METHODS} for every method, then each route by its escaped path
     * ({@link Route#methodSettingsPath()}), with the stage-wide ceiling per method. Data tracing is
     * always off: it would log request bodies, and prompts are secret. The settings are chained
     * because API Gateway rejects concurrent updates of one stage with a ConflictException
     * (terraform-provider-aws#483).
     */
    private void methodSettings(GatewayApiArgs.StageSettings settings, List<Route> routes) {
        List<String> paths = new ArrayList<>();
        List<String> names = new ArrayList<>();
        paths.add(ALL_METHODS);
        names.add(childName("settings"));
        for (Route route : routes) {
            paths.add(route.methodSettingsPath());
            names.add(Names.child(childName(Names.of(route)), "settings"));
        }
        Resource previous = stage;
        for (int i = 0; i < paths.size(); i++) {
            previous = new MethodSettings(names.get(i), MethodSettingsArgs.builder()
                    .restApi(restApi.id())
                    .stageName(stage.stageName())
                    .methodPath(paths.get(i))
                    .settings(MethodSettingsSettingsArgs.builder()
                            .metricsEnabled(settings.metricsEnabled())
                            .loggingLevel(settings.loggingLevel())
                            .dataTraceEnabled(false)
                            .throttlingRateLimit(settings.throttle().rateLimit())
                            .throttlingBurstLimit(settings.throttle().burstLimit())
                            .build())
                    .build(), childAfter(List.of(previous)));
        }
    }

    public Output<String> restApiId() {
        return restApi.id();
    }

    /** The RestApi's name: API Gateway's metrics carry it as the {@code ApiName} dimension. */
    public Output<String> restApiName() {
        return restApi.name();
    }

    /** The stage's name as the provider reports it: usage plans must reference the stage after it exists. */
    public Output<String> stageName() {
        return stage.stageName();
    }

    /**
     * What OpenAI SDKs take as base_url: {@code https://<api>.execute-api.<region>.<dns suffix>/<stage>/v1},
     * or with a custom domain {@code https://<domain>[/<base path>]/v1}.
     */
    public Output<String> baseUrl() {
        return publicUrl.applyValue(url -> url + "/v1");
    }

    /** A route's URL, under the custom domain when there is one. */
    public Output<String> url(Route route) {
        return publicUrl.applyValue(url -> url + route.path());
    }

    /** {@code https://<api>.execute-api.<region>.<dns suffix>/<stage>}, whether or not a custom domain is set. */
    public Output<String> executeApiUrl() {
        return stageUrl;
    }

    /**
     * The stage's ARN, as AWS WAF takes it for an association:
     * {@code arn:<partition>:apigateway:<region>::/restapis/<api id>/stages/<stage>} (AWS WAF API
     * Reference, "AssociateWebACL"). Built from the provider's outputs, so it waits for the stage.
     */
    public Output<String> stageArn() {
        return Output.format("arn:%s:apigateway:%s::/restapis/%s/stages/%s", aws.partition(), aws.region(),
                restApi.id(), stage.stageName());
    }

    /**
     * The base URL through each VPC endpoint of a private API, for clients whose endpoint has no
     * private DNS: the Route 53 alias API Gateway creates for every endpoint in {@code vpcEndpointIds},
     * {@code https://<api id>-<vpce id>.execute-api.<region>.<dns suffix>/<stage>/v1} (API Gateway
     * developer guide, "Invoke a private API", https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-test-invoke-url.html).
     * The endpoint's own DNS names ({@code vpce-...execute-api.<region>.vpce.amazonaws.com}) are
     * another thing: they need a {@code Host} or {@code x-apigw-api-id} header.
     */
    public Output<Map<String, String>> privateBaseUrls(List<String> vpcEndpointIds) {
        return Output.tuple(restApi.id(), aws.region(), aws.dnsSuffix(), stage.stageName()).applyValue(t -> {
            Map<String, String> urls = new LinkedHashMap<>();
            for (String endpoint : vpcEndpointIds) {
                urls.put(endpoint, "https://" + t.t1 + "-" + endpoint + ".execute-api." + t.t2 + "." + t.t3 + "/"
                        + t.t4 + "/v1");
            }
            return urls;
        });
    }

    public Output<String> accessLogGroupName() {
        return accessLogs.name();
    }
}
