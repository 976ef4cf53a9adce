package io.llmgateway.infra.testing;

/** The provider type tokens the stack declares. */
public final class AwsTypes {
    public static final String LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
    public static final String ROLE = "aws:iam/role:Role";
    public static final String ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    public static final String ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
    public static final String FUNCTION = "aws:lambda/function:Function";
    public static final String ALIAS = "aws:lambda/alias:Alias";
    public static final String PERMISSION = "aws:lambda/permission:Permission";
    public static final String REST_API = "aws:apigateway/restApi:RestApi";
    public static final String RESOURCE = "aws:apigateway/resource:Resource";
    public static final String METHOD = "aws:apigateway/method:Method";
    public static final String INTEGRATION = "aws:apigateway/integration:Integration";
    public static final String AUTHORIZER = "aws:apigateway/authorizer:Authorizer";
    public static final String RESPONSE = "aws:apigateway/response:Response";
    public static final String DEPLOYMENT = "aws:apigateway/deployment:Deployment";
    public static final String STAGE = "aws:apigateway/stage:Stage";
    public static final String METHOD_SETTINGS = "aws:apigateway/methodSettings:MethodSettings";
    public static final String ACCOUNT = "aws:apigateway/account:Account";
    public static final String USAGE_PLAN = "aws:apigateway/usagePlan:UsagePlan";
    public static final String API_KEY = "aws:apigateway/apiKey:ApiKey";
    public static final String USAGE_PLAN_KEY = "aws:apigateway/usagePlanKey:UsagePlanKey";
    public static final String LOG_METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter";
    public static final String CONTRIBUTOR_INSIGHT_RULE = "aws:cloudwatch/contributorInsightRule:ContributorInsightRule";
    public static final String METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
    public static final String DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
    public static final String TOPIC = "aws:sns/topic:Topic";
    public static final String TOPIC_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
    public static final String TABLE = "aws:dynamodb/table:Table";
    public static final String TABLE_ITEM = "aws:dynamodb/tableItem:TableItem";
    public static final String REST_API_POLICY = "aws:apigateway/restApiPolicy:RestApiPolicy";
    public static final String METHOD_RESPONSE = "aws:apigateway/methodResponse:MethodResponse";
    public static final String INTEGRATION_RESPONSE = "aws:apigateway/integrationResponse:IntegrationResponse";
    public static final String DOMAIN_NAME = "aws:apigateway/domainName:DomainName";
    public static final String BASE_PATH_MAPPING = "aws:apigateway/basePathMapping:BasePathMapping";
    public static final String RECORD = "aws:route53/record:Record";
    public static final String IP_SET = "aws:wafv2/ipSet:IpSet";
    public static final String WEB_ACL = "aws:wafv2/webAcl:WebAcl";
    public static final String WEB_ACL_ASSOCIATION = "aws:wafv2/webAclAssociation:WebAclAssociation";
    public static final String WEB_ACL_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";
    public static final String INFERENCE_PROFILE = "aws:bedrock/inferenceProfile:InferenceProfile";
    public static final String GUARDRAIL = "aws:bedrock/guardrail:Guardrail";
    public static final String GUARDRAIL_VERSION = "aws:bedrock/guardrailVersion:GuardrailVersion";
    public static final String STACK = "pulumi:pulumi:Stack";

    private AwsTypes() {
    }
}
