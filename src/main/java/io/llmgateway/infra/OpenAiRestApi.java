package io.llmgateway.infra;

import com.pulumi.aws.apigateway.Account;
import com.pulumi.aws.apigateway.AccountArgs;
import com.pulumi.aws.apigateway.Deployment;
import com.pulumi.aws.apigateway.DeploymentArgs;
import com.pulumi.aws.apigateway.MethodSettings;
import com.pulumi.aws.apigateway.MethodSettingsArgs;
import com.pulumi.aws.apigateway.RestApi;
import com.pulumi.aws.apigateway.RestApiArgs;
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
import io.llmgateway.common.Json;
import io.llmgateway.contract.AccessLogFormat;
import io.llmgateway.contract.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenAI-compatible REST API: a RestApi whose whole definition is one OpenAPI document
 * ({@link OpenApiDocument}, its {@code body}): the routes, each with the REQUEST Lambda authorizer, a
 * required API key (usage-plan keys come from the authorizer) and a Lambda-proxy integration on the
 * backend alias, BUFFERED or, for the routes that stream with {@code streaming} on, STREAM; {@code GET
 * /health}; the gateway responses; with CORS, an OPTIONS preflight per path; a private API's endpoints
 * and resource policy. Around it: the Lambda permissions, a Deployment redeployed whenever the
 * document changes (its SHA-256 is the trigger; the document holds the invoke URIs), and a Stage with
 * JSON access logs, X-Ray and throttling method settings. Optionally the Region's API Gateway account
 * setting with its CloudWatch Logs role (a Region-wide singleton).
 *
 * <p>Children are named {@code <name>-<what>}: {@code -rest}, {@code -<route>-permission},
 * {@code -authorizer-permission}, {@code -deployment}, {@code -access-logs}, {@code -execution-logs},
 * {@code -stage}, {@code -settings}, {@code -<route>-settings}, {@code -cloudwatch-role},
 * {@code -cloudwatch-policy}, {@code -account}. These names, and the component's type token
 * {@value #TYPE} (the class was GatewayApi), are part of every child's URN: changing either would make
 * Pulumi replace the API and its stage, and with them the API's id and URL.
 */
public final class OpenAiRestApi extends ComponentResource {

    /** The type token the component was first registered with; kept so that existing stacks keep their URNs. */
    public static final String TYPE = "llm-gateway:infra:GatewayApi";
    static final String API_GATEWAY_SERVICE = "apigateway.amazonaws.com";
    static final String INVOKE_ACTION = "lambda:InvokeFunction";
    /** API Gateway's own log group for execution logs; it creates it without a retention otherwise. */
    static final String EXECUTION_LOG_GROUP = "API-Gateway-Execution-Logs_%s/%s";
    static final String ALL_METHODS = "*/*";
    /** The Deployment's one trigger: the SHA-256 of the OpenAPI document. */
    static final String TRIGGER_OPENAPI_SHA256 = "openApiSha256";

    private final String name;
    private final CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
    private final RestApi restApi;
    private final Stage stage;
    private final LogGroup accessLogs;
    private final Output<String> stageUrl;
    /** Where clients call the stage: the custom domain's URL when there is one, else {@link #stageUrl}. */
    private final Output<String> publicUrl;
    private final AwsEnvironment aws;

    public OpenAiRestApi(String name, OpenAiRestApiArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        this.name = name;
        this.aws = args.aws();
        ApiDefinition definition = args.definition();

        Output<String> document = document(definition, args.apiName(), args.backend(), args.authorizer());
        this.restApi = restApi(args.apiName(), definition.access(), document);
        List<Resource> permissions = new ArrayList<>();
        permissions.add(authorizerPermission(args.authorizer()));
        permissions.addAll(routePermissions(definition.routes(), args.backend()));
        Deployment deployment = deployment(document, permissions);

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

    /** The OpenAPI document, once the URIs it names are known. */
    private Output<String> document(ApiDefinition definition, String apiName, InvokeTarget backend,
                                    InvokeTarget authorizer) {
        return Output.tuple(aws.partition(), aws.region(), aws.accountId(), backend.arn(), backend.invokeArn(),
                authorizer.invokeArn()).applyValue(t -> OpenApiDocument.json(definition, apiName,
                new OpenApiDocument.Targets(t.t1, t.t2, t.t3, t.t4, t.t5, t.t6)));
    }

    /**
     * The RestApi with its {@code body}. The provider creates the API, imports the body with PutRestApi
     * in {@code overwrite} mode (its default), then sets back every argument below that the import
     * changed, and imports again whenever the body changes (terraform-provider-aws
     * {@code internal/service/apigateway/rest_api.go}: {@code resourceRestAPIWithBodyUpdateOperations}).
     * So the arguments repeat what the document says of the API itself: its name, description, key
     * source, endpoint and, for a private API, its resource policy (see
     * {@link OpenApiDocument#privateApiPolicy}). An import does not change the endpoint type ("Import an
     * OpenAPI file to update an existing API definition"): only {@code endpointConfiguration} sets it,
     * and changing it updates the API in place (the provider patches {@code /endpointConfiguration/types/0}).
     * {@code disableExecuteApiEndpoint} is always sent: the provider keeps an unset value as it is
     * (optional and computed), so leaving it out when false would never turn the endpoint back on.
     */
    private RestApi restApi(String apiName, ApiDefinition.Access access, Output<String> document) {
        RestApiEndpointConfigurationArgs.Builder endpoint = RestApiEndpointConfigurationArgs.builder()
                .types(access.endpointType());
        if (access.isPrivate()) {
            endpoint.vpcEndpointIds(access.vpcEndpointIds());
        }
        RestApiArgs.Builder api = RestApiArgs.builder()
                .name(apiName)
                .description(OpenApiDocument.DESCRIPTION)
                .endpointConfiguration(endpoint.build())
                .disableExecuteApiEndpoint(access.disableExecuteApiEndpoint())
                .apiKeySource(ApiDefinition.API_KEY_SOURCE)
                .body(document);
        if (access.isPrivate()) {
            api.policy(Output.tuple(aws.partition(), aws.region(), aws.accountId()).applyValue(t -> Json.write(
                    OpenApiDocument.privateApiPolicy(access, t.t1, t.t2, t.t3))));
        }
        return new RestApi(childName("rest"), api.build(), child);
    }

    /**
     * API Gateway may call the authorizer function only as an authorizer of this API. The authorizer
     * is created by the import, so its id is not known to the program: the source ARN names all of the
     * API's authorizers, {@code <execution ARN>/authorizers/*} (execute-api ARN of an authorizer:
     * {@code arn:<partition>:execute-api:<region>:<account>:<api id>/authorizers/<authorizer id>}, API
     * Gateway developer guide, "API Gateway Amazon Resource Name (ARN) reference",
     * https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html; AWS SAM
     * grants its OpenAPI-defined authorizers the same way, aws/serverless-application-model
     * {@code samtranslator/model/api/api_generator.py}, {@code _get_permission}).
     */
    private Permission authorizerPermission(InvokeTarget function) {
        return permission(childName("authorizer-permission"), function,
                Output.format("%s/authorizers/*", restApi.executionArn()));
    }

    /**
     * Per route, the permission to call the backend: only this route, from any stage,
     * {@code arn:...:<api>/<stage>/<METHOD>/<path>}. API Gateway calls with the request's own path in
     * that ARN (developer guide, "Control access to a REST API with IAM permissions", execute-api ARN
     * format), so a path parameter becomes '*', as AWS SAM writes it. A STREAM integration needs no
     * other permission: InvokeWithResponseStream "requires permission for the lambda:InvokeFunction
     * action" (Lambda API reference, "InvokeWithResponseStream").
     */
    private List<Resource> routePermissions(List<Route> routes, InvokeTarget backend) {
        List<Resource> declared = new ArrayList<>();
        for (Route route : routes) {
            declared.add(permission(Names.child(childName(Names.of(route)), "permission"), backend,
                    Output.format("%s/*/%s%s", restApi.executionArn(), route.method(), sourceArnPath(route))));
        }
        return declared;
    }

    /** The route's path with each path parameter ({@code {model}}) as {@code *}. */
    static String sourceArnPath(Route route) {
        return route.path().replaceAll("\\{[^/}]+}", "*");
    }

    /**
     * No stageName here: deprecated in pulumi-aws 6 and in conflict with the Stage. API Gateway serves
     * a change of the API only after a new deployment (API Gateway developer guide, "Deploy REST APIs
     * in API Gateway"), and {@code dependsOn} alone orders creation but never redeploys; so the trigger
     * is the document's hash. The document holds everything that defines the API, the integration
     * and authorizer URIs included: a replaced function (a new invoke ARN) redeploys, and the stage
     * never keeps calling a deleted one. The backend's URI is its alias's, which a code change never
     * alters (a new version moves the alias), so new code alone does not redeploy. Usage-plan limits
     * are not in it. A changed trigger makes a new Deployment, created before the old one is deleted;
     * {@code after} (the permissions) only orders it.
     */
    private Deployment deployment(Output<String> document, List<Resource> after) {
        return new Deployment(childName("deployment"), DeploymentArgs.builder()
                .restApi(restApi.id())
                .description("Deployed by the llm-gateway stack")
                .triggers(document.applyValue(json -> Map.of(TRIGGER_OPENAPI_SHA256, OpenApiDocument.sha256(json))))
                .build(), childAfter(after));
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
    private List<Resource> executionLogging(OpenAiRestApiArgs args) {
        List<Resource> logging = new ArrayList<>();
        OpenAiRestApiArgs.StageSettings settings = args.stage();
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
    private Stage stage(OpenAiRestApiArgs.StageSettings settings, Deployment deployment, Output<Map<String, String>> variables,
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
    private void methodSettings(OpenAiRestApiArgs.StageSettings settings, List<Route> routes) {
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
