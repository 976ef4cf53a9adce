package io.llmgateway.infra.testing;

import com.pulumi.test.Mocks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Strict mocks of the AWS provider: each resource type the stack uses gets the outputs the provider
 * would compute (ids, ARNs, invoke ARNs, names, versions), the three invokes the stack makes are
 * answered, and anything else fails the run.
 */
public final class AwsMocks implements Mocks {

    public static final String ACCOUNT = "123456789012";
    public static final String REGION = "us-east-1";
    public static final String PARTITION = "aws";
    public static final String DNS_SUFFIX = "amazonaws.com";
    public static final String REST_API_ID = "a1b2c3d4e5";
    /** The hosted zone of API Gateway's Regional custom domain endpoints in us-east-1. */
    public static final String API_GATEWAY_ZONE_ID = "Z1UJRXOUMOOFQ8";

    /** One registration as the provider saw it: inputs (secrets unwrapped) and the state it returned. */
    public record Registered(String type, String name, Map<String, Object> inputs, String id, Map<String, Object> state) {
        public String string(String key) {
            return (String) inputs.get(key);
        }
    }

    private final Set<String> replaced;
    private final List<Registered> registered = Collections.synchronizedList(new ArrayList<>());
    private final List<String> invokes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger sequence = new AtomicInteger();
    /** ApiKey id to the state returned for it: a UsagePlanKey reports its key's name and value. */
    private final Map<String, Map<String, Object>> apiKeys = new ConcurrentHashMap<>();

    /** The provider as for a first deployment. */
    public AwsMocks() {
        this(Set.of());
    }

    /**
     * The provider as after these resources (logical names) were replaced: an autonamed resource
     * gets a new random suffix on replacement, so its name, ARN and invoke ARN change.
     */
    public AwsMocks(Set<String> replaced) {
        this.replaced = Set.copyOf(replaced);
    }

    public List<Registered> registered() {
        synchronized (registered) {
            return List.copyOf(registered);
        }
    }

    public List<String> invokes() {
        synchronized (invokes) {
            return List.copyOf(invokes);
        }
    }

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
        Map<String, Object> inputs = args.inputs == null ? Map.of() : args.inputs;
        Map<String, Object> state = new HashMap<>(inputs);
        String name = args.name;
        String id;
        switch (args.type) {
            case "aws:cloudwatch/logGroup:LogGroup" -> {
                String group = physicalName(inputs, name);
                state.put("name", group);
                state.put("arn", "arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:" + group);
                id = group;
            }
            case "aws:iam/role:Role" -> {
                String role = physicalName(inputs, name);
                state.put("name", role);
                state.put("arn", "arn:aws:iam::" + ACCOUNT + ":role/" + role);
                state.put("uniqueId", "AROA" + role.hashCode());
                id = role;
            }
            case "aws:iam/rolePolicy:RolePolicy" -> {
                String policy = physicalName(inputs, name);
                state.put("name", policy);
                id = inputs.get("role") + ":" + policy;
            }
            case "aws:iam/rolePolicyAttachment:RolePolicyAttachment" -> id = inputs.get("role") + "-" + sequence.incrementAndGet();
            case "aws:lambda/function:Function" -> {
                String function = physicalName(inputs, name);
                String arn = functionArn(function);
                boolean published = Boolean.TRUE.equals(inputs.get("publish"));
                String version = published ? "1" : "$LATEST";
                state.put("name", function);
                state.put("arn", arn);
                state.put("invokeArn", lambdaInvokeArn(arn));
                state.put("version", version);
                state.put("qualifiedArn", arn + ":" + version);
                state.put("qualifiedInvokeArn", lambdaInvokeArn(arn + ":" + version));
                state.put("sourceCodeHash", "mock-hash");
                id = function;
            }
            case "aws:lambda/alias:Alias" -> {
                String arn = functionArn((String) inputs.get("functionName")) + ":" + inputs.get("name");
                state.put("arn", arn);
                state.put("invokeArn", lambdaInvokeArn(arn));
                id = arn;
            }
            case "aws:lambda/permission:Permission" -> {
                String statement = inputs.containsKey("statementId") ? (String) inputs.get("statementId") : autoname(name);
                state.put("statementId", statement);
                id = statement;
            }
            case "aws:apigateway/restApi:RestApi" -> {
                id = REST_API_ID;
                state.put("rootResourceId", "rootres0001");
                state.put("executionArn", "arn:aws:execute-api:" + REGION + ":" + ACCOUNT + ":" + id);
                state.put("arn", "arn:aws:apigateway:" + REGION + "::/restapis/" + id);
            }
            case "aws:apigateway/resource:Resource" -> id = "res-" + name;
            case "aws:apigateway/method:Method" -> id = "agm-" + name;
            case "aws:apigateway/integration:Integration" -> id = "agi-" + name;
            case "aws:apigateway/authorizer:Authorizer" -> {
                id = "authz-" + name;
                state.put("arn", "arn:aws:apigateway:" + REGION + "::/restapis/" + inputs.get("restApi") + "/authorizers/" + id);
            }
            case "aws:apigateway/response:Response" -> id = "aggr-" + name;
            case "aws:apigateway/deployment:Deployment" -> {
                id = "dep-" + sequence.incrementAndGet();
                state.put("createdDate", "2026-01-01T00:00:00Z");
            }
            case "aws:apigateway/stage:Stage" -> {
                String restApi = (String) inputs.get("restApi");
                String stage = (String) inputs.get("stageName");
                id = "ags-" + restApi + "-" + stage;
                state.put("invokeUrl", "https://" + restApi + ".execute-api." + REGION + "." + DNS_SUFFIX + "/" + stage);
                state.put("executionArn", "arn:aws:execute-api:" + REGION + ":" + ACCOUNT + ":" + restApi + "/" + stage);
                state.put("arn", "arn:aws:apigateway:" + REGION + "::/restapis/" + restApi + "/stages/" + stage);
            }
            case "aws:apigateway/methodSettings:MethodSettings" -> id = inputs.get("restApi") + "-" + inputs.get("stageName")
                    + "-" + inputs.get("methodPath");
            case "aws:apigateway/account:Account" -> id = "api-gateway-account";
            case "aws:apigateway/usagePlan:UsagePlan" -> {
                id = "up-" + name;
                state.put("arn", "arn:aws:apigateway:" + REGION + "::/usageplans/" + id);
            }
            case "aws:apigateway/apiKey:ApiKey" -> {
                id = "key-" + name;
                if (!inputs.containsKey("value")) {
                    state.put("value", "generated-" + name + "-0123456789abcdefghij");
                }
                state.put("arn", "arn:aws:apigateway:" + REGION + "::/apikeys/" + id);
                apiKeys.put(id, state);
            }
            case "aws:apigateway/usagePlanKey:UsagePlanKey" -> {
                // As the provider does (terraform-provider-aws usage_plan_key.go reads the key back):
                // the membership's state carries the key's name and its value.
                Map<String, Object> key = apiKeys.get((String) inputs.get("keyId"));
                if (key == null) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException(
                            "AwsMocks: UsagePlanKey " + name + " names no ApiKey the mocks created: " + inputs.get("keyId")));
                }
                state.put("name", key.get("name"));
                state.put("value", key.get("value"));
                id = "upk-" + name;
            }
            case "aws:cloudwatch/logMetricFilter:LogMetricFilter" -> id = physicalName(inputs, name);
            case "aws:cloudwatch/contributorInsightRule:ContributorInsightRule" -> {
                id = (String) inputs.get("ruleName");
                state.put("resourceArn", "arn:aws:cloudwatch:" + REGION + ":" + ACCOUNT + ":insight-rule/" + id);
            }
            case "aws:cloudwatch/metricAlarm:MetricAlarm" -> {
                id = physicalName(inputs, name);
                state.put("name", id);
                state.put("arn", alarmArn(id));
            }
            case "aws:cloudwatch/dashboard:Dashboard" -> {
                id = (String) inputs.get("dashboardName");
                state.put("dashboardArn", "arn:aws:cloudwatch::" + ACCOUNT + ":dashboard/" + id);
            }
            case "aws:sns/topic:Topic" -> {
                String topic = physicalName(inputs, name);
                state.put("name", topic);
                state.put("arn", topicArn(topic));
                id = topicArn(topic);
            }
            case "aws:sns/topicSubscription:TopicSubscription" -> {
                // SNS answers an email subscription with "pending confirmation" until the address confirms.
                id = inputs.get("topic") + ":" + sequence.incrementAndGet();
                state.put("arn", id);
                state.put("pendingConfirmation", true);
            }
            case "aws:dynamodb/table:Table" -> {
                id = (String) inputs.get("name");
                state.put("arn", "arn:aws:dynamodb:" + REGION + ":" + ACCOUNT + ":table/" + id);
            }
            case "aws:dynamodb/tableItem:TableItem" -> id = inputs.get("tableName") + "|" + inputs.get("hashKey") + "|"
                    + inputs.get("rangeKey") + "|" + name;
            case "aws:apigateway/restApiPolicy:RestApiPolicy" -> id = (String) inputs.get("restApiId");
            case "aws:apigateway/methodResponse:MethodResponse" -> id = "agmr-" + name;
            case "aws:apigateway/integrationResponse:IntegrationResponse" -> id = "agir-" + name;
            case "aws:apigateway/domainName:DomainName" -> {
                String domain = (String) inputs.get("domainName");
                id = domain;
                state.put("arn", "arn:aws:apigateway:" + REGION + "::/domainnames/" + domain);
                state.put("regionalDomainName", "d-" + String.format("%010x", domain.hashCode() & 0xffffffffL)
                        + ".execute-api." + REGION + "." + DNS_SUFFIX);
                state.put("regionalZoneId", API_GATEWAY_ZONE_ID);
            }
            case "aws:apigateway/basePathMapping:BasePathMapping" -> {
                Object basePath = inputs.get("basePath");
                id = inputs.get("domainName") + "/" + (basePath == null ? "" : basePath);
                state.put("basePath", basePath == null ? "(none)" : basePath);
            }
            case "aws:route53/record:Record" -> {
                id = inputs.get("zoneId") + "_" + inputs.get("name") + "_" + inputs.get("type");
                state.put("fqdn", inputs.get("name"));
            }
            case "aws:wafv2/ipSet:IpSet" -> {
                id = "ipset-" + sequence.incrementAndGet();
                state.put("arn", "arn:aws:wafv2:" + REGION + ":" + ACCOUNT + ":regional/ipset/" + inputs.get("name") + "/" + id);
                state.put("lockToken", "lock-" + id);
            }
            case "aws:wafv2/webAcl:WebAcl" -> {
                id = "webacl-" + sequence.incrementAndGet();
                state.put("arn", "arn:aws:wafv2:" + REGION + ":" + ACCOUNT + ":regional/webacl/" + inputs.get("name") + "/" + id);
                state.put("capacity", 0);
                state.put("lockToken", "lock-" + id);
            }
            case "aws:wafv2/webAclAssociation:WebAclAssociation" -> {
                // AWS WAF associates a REST API stage by its ARN and refuses anything else (AssociateWebACL).
                String resource = (String) inputs.get("resourceArn");
                if (resource == null || !resource.matches("arn:aws:apigateway:" + REGION + "::/restapis/[a-z0-9]+/stages/[A-Za-z0-9_-]+")) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException(
                            "AwsMocks: WebAclAssociation " + name + " is not on a REST API stage ARN: " + resource));
                }
                id = inputs.get("webAclArn") + "," + resource;
            }
            case "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration" -> {
                // WAF accepts a CloudWatch Logs destination only under the aws-waf-logs- name prefix.
                Object destinations = inputs.get("logDestinationConfigs");
                if (!(destinations instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(
                        d -> String.valueOf(d).matches("arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:aws-waf-logs-.+"))) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException(
                            "AwsMocks: WebAclLoggingConfiguration " + name + " logs to no aws-waf-logs- group: " + destinations));
                }
                id = (String) inputs.get("resourceArn");
            }
            case "aws:bedrock/inferenceProfile:InferenceProfile" -> {
                // As the provider computes it (terraform-provider-aws internal/service/bedrock/inference_profile.go):
                // the id is the profile's 12-character id, the models are the foundation models the source
                // routes to, one per Region; the source is echoed, never read back.
                Object source = inputs.get("modelSource") instanceof Map<?, ?> m ? m.get("copyFrom") : null;
                String profileName = (String) inputs.get("name");
                if (!(source instanceof String copyFrom) || !copyFrom.matches(
                        "arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:(|[0-9a-z-]{0,20}):(|[0-9]{12}):(inference-profile|foundation-model)/[a-zA-Z0-9-:.]+")) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException(
                            "AwsMocks: InferenceProfile " + name + " copies no model or profile ARN: " + source));
                }
                if (profileName == null || profileName.isEmpty() || profileName.length() > 64
                        || !profileName.matches("([0-9a-zA-Z:.][ _-]?)+")) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException(
                            "AwsMocks: InferenceProfile " + name + " has a name CreateInferenceProfile refuses: " + profileName));
                }
                id = String.format("%012x", (long) (name.hashCode() & 0x7fffffff)).substring(0, 12);
                state.put("arn", "arn:aws:bedrock:" + REGION + ":" + ACCOUNT + ":application-inference-profile/" + id);
                state.put("models", profileModels(copyFrom));
                state.put("status", "ACTIVE");
                state.put("type", "APPLICATION");
                state.put("createdAt", "2026-01-01T00:00:00Z");
                state.put("updatedAt", "2026-01-01T00:00:00Z");
                state.put("tagsAll", inputs.getOrDefault("tags", Map.of()));
            }
            case "aws:bedrock/guardrail:Guardrail" -> {
                if (!(inputs.get("blockedInputMessaging") instanceof String) || !(inputs.get("blockedOutputsMessaging") instanceof String)
                        || !(inputs.get("name") instanceof String guardrailName) || !guardrailName.matches("[0-9a-zA-Z_-]{1,50}")) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException(
                            "AwsMocks: Guardrail " + name + " lacks what CreateGuardrail requires: " + inputs.keySet()));
                }
                id = String.format("%012x", (long) (name.hashCode() & 0x7fffffff)).substring(0, 12);
                state.put("guardrailId", id);
                state.put("guardrailArn", guardrailArn(id));
                state.put("version", "DRAFT");
                state.put("status", "READY");
                state.put("createdAt", "2026-01-01T00:00:00Z");
            }
            case "aws:bedrock/guardrailVersion:GuardrailVersion" -> {
                if (!(inputs.get("guardrailArn") instanceof String arn) || !arn.startsWith("arn:aws:bedrock:")) {
                    return CompletableFuture.failedFuture(new IllegalArgumentException(
                            "AwsMocks: GuardrailVersion " + name + " names no guardrail ARN"));
                }
                String version = replaced.contains(name) ? "2" : "1";
                state.put("version", version);
                id = arn + "," + version;
            }
            default -> {
                if (args.type.startsWith("llm-gateway:infra:")) {
                    registered.add(new Registered(args.type, name, inputs, null, state));
                    return CompletableFuture.completedFuture(ResourceResult.of(Optional.empty(), state));
                }
                return CompletableFuture.failedFuture(new IllegalArgumentException(
                        "AwsMocks: the stack declared a resource type the mocks do not know: " + args.type + " (" + name + ")"));
            }
        }
        state.put("id", id);
        registered.add(new Registered(args.type, name, inputs, id, state));
        return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(id), state));
    }

    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
        invokes.add(args.token);
        return switch (args.token) {
            case "aws:index/getRegion:getRegion" -> CompletableFuture.completedFuture(Map.of(
                    "name", REGION, "id", REGION, "description", "US East (N. Virginia)",
                    "endpoint", "ec2." + REGION + "." + DNS_SUFFIX));
            case "aws:index/getCallerIdentity:getCallerIdentity" -> CompletableFuture.completedFuture(Map.of(
                    "accountId", ACCOUNT, "arn", "arn:aws:iam::" + ACCOUNT + ":user/deployer",
                    "id", ACCOUNT, "userId", "AIDAEXAMPLE"));
            case "aws:index/getPartition:getPartition" -> CompletableFuture.completedFuture(Map.of(
                    "partition", PARTITION, "dnsSuffix", DNS_SUFFIX, "reverseDnsPrefix", "com.amazonaws",
                    "id", PARTITION));
            default -> CompletableFuture.failedFuture(new IllegalArgumentException(
                    "AwsMocks: the stack made an invoke the mocks do not know: " + args.token));
        };
    }

    public static String guardrailArn(String guardrailId) {
        return "arn:aws:bedrock:" + REGION + ":" + ACCOUNT + ":guardrail/" + guardrailId;
    }

    /** The US Regions a {@code us.} system profile routes to in the mocks. */
    public static final List<String> US_PROFILE_REGIONS = List.of("us-east-1", "us-east-2", "us-west-2");

    /**
     * What GetInferenceProfile lists as the models of a profile copying {@code copyFrom}: the model itself,
     * or for a {@code us.} system profile the model in each of {@link #US_PROFILE_REGIONS}.
     */
    static List<Map<String, Object>> profileModels(String copyFrom) {
        String resource = copyFrom.substring(copyFrom.lastIndexOf(':', copyFrom.indexOf('/')) + 1);
        if (resource.startsWith("foundation-model/")) {
            return List.of(Map.of("modelArn", copyFrom));
        }
        String profileId = resource.substring("inference-profile/".length());
        String model = profileId.substring(profileId.indexOf('.') + 1);
        return US_PROFILE_REGIONS.stream()
                .map(region -> Map.<String, Object>of("modelArn", "arn:aws:bedrock:" + region + "::foundation-model/" + model))
                .toList();
    }

    public static String alarmArn(String alarmName) {
        return "arn:aws:cloudwatch:" + REGION + ":" + ACCOUNT + ":alarm:" + alarmName;
    }

    public static String topicArn(String topicName) {
        return "arn:aws:sns:" + REGION + ":" + ACCOUNT + ":" + topicName;
    }

    public static String functionArn(String functionName) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + functionName;
    }

    /** The provider's {@code invokeArn}: the API Gateway service path that invokes a function or alias. */
    public static String lambdaInvokeArn(String functionArn) {
        return "arn:aws:apigateway:" + REGION + ":lambda:path/2015-03-31/functions/" + functionArn + "/invocations";
    }

    /** The provider autonames {@code name} as the logical name plus a random suffix when none is given. */
    private String physicalName(Map<String, Object> inputs, String logicalName) {
        Object name = inputs.get("name");
        if (name instanceof String s) {
            return s;
        }
        Object prefix = inputs.get("namePrefix");
        return prefix instanceof String p ? p + "0000001" : autoname(logicalName);
    }

    private String autoname(String logicalName) {
        String seed = replaced.contains(logicalName) ? logicalName + "#replaced" : logicalName;
        return logicalName + "-" + String.format("%07x", seed.hashCode() & 0xfffffff);
    }
}
