package io.llmgateway.infra;

import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The IAM policy documents of the stack, as JSON. Every statement names its actions one by one (no
 * {@code *} in an action) and the narrowest resources that work.
 */
public final class IamPolicies {

    private static final String VERSION = "2012-10-17";
    /** What the backend does on the token table, and nothing more. */
    static final List<String> TOKEN_TABLE_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem");
    /** What the backend does on the responses table: read, write and delete one item by its key. */
    static final List<String> RESPONSES_TABLE_ACTIONS = List.of("dynamodb:GetItem", "dynamodb:PutItem",
            "dynamodb:DeleteItem");
    private static final List<String> LOG_WRITE_ACTIONS = List.of("logs:CreateLogStream", "logs:PutLogEvents");
    /** Converse and ConverseStream are authorised as these two actions. */
    private static final List<String> BEDROCK_INVOKE_ACTIONS =
            List.of("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream");
    /**
     * The condition key that ties a foundation-model grant to one inference profile (Bedrock user
     * guide, "Prerequisites for inference profiles"; Service Authorization Reference for Amazon Bedrock).
     */
    private static final String INFERENCE_PROFILE_CONDITION_KEY = "bedrock:InferenceProfileArn";

    /** What a Converse call with {@code guardrailConfig} needs on the guardrail. */
    private static final String APPLY_GUARDRAIL = "bedrock:ApplyGuardrail";

    private static final String EXECUTE_API_INVOKE = "execute-api:Invoke";

    private IamPolicies() {
    }

    /** A trust policy that lets one AWS service assume the role, e.g. {@code lambda.amazonaws.com}. */
    public static String assumeRole(String servicePrincipal) {
        return document(List.of(statement(null, List.of("sts:AssumeRole"), null,
                Map.of("Principal", Map.of("Service", servicePrincipal)))));
    }

    /**
     * Writing to one log group: its streams are {@code <group arn>:*}, and Lambda creates the
     * streams itself, so these two actions are all a function needs.
     */
    public static String writeLogs(String logGroupArn) {
        return document(List.of(statement("WriteOwnLogGroup", LOG_WRITE_ACTIONS, List.of(logGroupArn + ":*"), null)));
    }

    /**
     * Invoking exactly the configured models. A plain model id is granted on its foundation-model
     * ARN in this Region. A cross-Region inference profile is granted on the profile's ARN, plus on
     * its foundation model in every destination Region, but only when the call comes through that
     * profile: Bedrock checks the routed call against the foundation-model ARN in the Region it lands
     * in, and the {@value #INFERENCE_PROFILE_CONDITION_KEY} condition stops the role from calling the
     * bare model directly (Bedrock user guide, "Prerequisites for inference profiles",
     * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html). A geographic
     * profile's destinations are Regions of its geography ({@code *} in the Region). A {@code global}
     * profile is granted as that page's global example grants it: the model in the source Region and
     * the Region-less {@code arn:<partition>:bedrock:::foundation-model/<model>}, which Bedrock checks
     * for a call it routes outside any geography; a {@code *} would match the empty Region only by
     * matching zero characters.
     */
    public static String invokeModels(Collection<BedrockModelId> models, String partition, String region, String accountId) {
        return invokeModels(models, partition, region, accountId, List.of(), List.of());
    }

    /**
     * An application inference profile the backend invokes, and the foundation models it routes to
     * (the provider's {@code models[].modelArn}, one per Region it may land in).
     */
    public record ProfileGrant(String profileArn, List<String> modelArns) {
        public ProfileGrant {
            modelArns = List.copyOf(modelArns);
        }
    }

    /**
     * As {@link #invokeModels(Collection, String, String, String)} for the models called directly, plus
     * the plans' application inference profiles and guardrails. A profile is granted on its ARN, and its
     * foundation models only when the call comes through that profile ({@value #INFERENCE_PROFILE_CONDITION_KEY}):
     * "When you specify an inference profile in the Resource field ..., you must also specify the
     * foundation model in each Region associated with it" (Bedrock user guide, "Prerequisites for
     * inference profiles", https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-prereq.html).
     * The system profile a plan's profile copies is not granted: through it the backend could call the
     * model untagged. A call with a guardrail needs {@code bedrock:ApplyGuardrail} on the guardrail
     * (Bedrock user guide, "Set up permissions to use guardrails for content filtering",
     * https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-permissions.html).
     */
    public static String invokeModels(Collection<BedrockModelId> models, String partition, String region,
                                      String accountId, List<ProfileGrant> profiles, List<String> guardrailArns) {
        List<Map<String, Object>> statements = new ArrayList<>(directStatements(models, partition, region, accountId));
        List<ProfileGrant> sorted = profiles.stream()
                .sorted(java.util.Comparator.comparing(ProfileGrant::profileArn)).toList();
        if (!sorted.isEmpty()) {
            statements.add(statement("InvokePlanProfiles", BEDROCK_INVOKE_ACTIONS,
                    sorted.stream().map(ProfileGrant::profileArn).toList(), null));
        }
        int index = 1;
        for (ProfileGrant profile : sorted) {
            statements.add(statement("InvokeThroughPlanProfile" + index++, BEDROCK_INVOKE_ACTIONS,
                    List.copyOf(new TreeSet<>(profile.modelArns())),
                    Map.of("Condition", Map.of("StringEquals", Map.of(INFERENCE_PROFILE_CONDITION_KEY, profile.profileArn())))));
        }
        if (!guardrailArns.isEmpty()) {
            statements.add(statement("ApplyPlanGuardrails", List.of(APPLY_GUARDRAIL),
                    List.copyOf(new TreeSet<>(guardrailArns)), null));
        }
        return document(statements);
    }

    private static List<Map<String, Object>> directStatements(Collection<BedrockModelId> models, String partition,
                                                              String region, String accountId) {
        TreeSet<String> direct = new TreeSet<>();
        Map<String, BedrockModelId> profileModels = new LinkedHashMap<>();
        for (String id : new TreeSet<>(models.stream().map(BedrockModelId::id).toList())) {
            BedrockModelId model = new BedrockModelId(id);
            if (model.isInferenceProfile()) {
                String profileArn = inferenceProfileArn(partition, region, accountId, model);
                direct.add(profileArn);
                profileModels.put(profileArn, model);
            } else {
                direct.add(foundationModelArn(partition, region, model.id()));
            }
        }
        List<Map<String, Object>> statements = new ArrayList<>();
        if (direct.isEmpty()) {
            return statements; // every model is called through the plans' profiles
        }
        statements.add(statement("InvokeConfiguredModels", BEDROCK_INVOKE_ACTIONS, List.copyOf(direct), null));
        int index = 1;
        for (Map.Entry<String, BedrockModelId> profile : profileModels.entrySet()) {
            BedrockModelId model = profile.getValue();
            List<String> routedTo = model.geography().orElseThrow() == BedrockModelId.Geography.GLOBAL
                    ? List.of(foundationModelArn(partition, region, model.foundationModelId()),
                            foundationModelArn(partition, "", model.foundationModelId()))
                    : List.of(foundationModelArn(partition, "*", model.foundationModelId()));
            statements.add(statement("InvokeThroughProfile" + index++, BEDROCK_INVOKE_ACTIONS, routedTo,
                    Map.of("Condition", Map.of("StringEquals", Map.of(INFERENCE_PROFILE_CONDITION_KEY, profile.getKey())))));
        }
        return statements;
    }

    /**
     * The backend's use of the token table, action by action: Query (the entitlements), GetItem (a
     * refused reservation's counters) and UpdateItem (reserve, settle, release), on that one table
     * and nothing else: no index, no stream, no other table.
     */
    public static String useTokenTable(String tableArn) {
        return document(List.of(statement("UseTokenTable", TOKEN_TABLE_ACTIONS, List.of(tableArn), null)));
    }

    /** The stored responses: items by key on this one table (no Query or Scan: every read is by id). */
    public static String useResponsesTable(String tableArn) {
        return document(List.of(statement("UseResponsesTable", RESPONSES_TABLE_ACTIONS, List.of(tableArn), null)));
    }

    /**
     * The resource policy of a private API: invoking it is allowed to everyone, and denied unless the
     * request comes through one of these VPC endpoints ({@code aws:SourceVpce}). The explicit deny
     * wins over any allow, the allow is what a private API needs to be invoked at all (API Gateway
     * developer guide, "API Gateway resource policy examples": "Allow private API traffic based on
     * source VPC or VPC endpoint").
     *
     * @param apis the execute-api resources it covers, e.g. {@code arn:aws:execute-api:<region>:<account>:*}{@code /*}
     * @return the policy document as a JSON object's values (for the OpenAPI document; {@code Json.write}
     *         gives the RestApi's {@code policy})
     */
    public static Map<String, Object> privateApi(String apis, List<String> vpcEndpointIds) {
        List<String> resource = List.of(apis);
        Map<String, Object> deny = new LinkedHashMap<>();
        deny.put("Sid", "DenyOutsideTheVpcEndpoints");
        deny.put("Effect", "Deny");
        deny.put("Principal", "*");
        deny.put("Action", List.of(EXECUTE_API_INVOKE));
        deny.put("Resource", resource);
        deny.put("Condition", Map.of("StringNotEquals", Map.of("aws:SourceVpce", List.copyOf(vpcEndpointIds))));
        return documentObject(List.of(deny, statement("AllowInvoke", List.of(EXECUTE_API_INVOKE), resource,
                Map.of("Principal", "*"))));
    }

    private static String foundationModelArn(String partition, String region, String modelId) {
        return "arn:" + partition + ":bedrock:" + region + "::foundation-model/" + modelId;
    }

    /** An existing guardrail's ARN: as given, or built from its id. */
    public static String guardrailArn(String idOrArn, String partition, String region, String accountId) {
        return idOrArn.startsWith("arn:") ? idOrArn
                : "arn:" + partition + ":bedrock:" + region + ":" + accountId + ":guardrail/" + idOrArn;
    }

    /**
     * What an application inference profile copies: a system (cross-Region) profile's ARN, which carries
     * the account, or a foundation model's, which does not (Bedrock API reference,
     * "InferenceProfileModelSource", https://docs.aws.amazon.com/bedrock/latest/APIReference/API_InferenceProfileModelSource.html).
     */
    public static String profileSourceArn(BedrockModelId model, String partition, String region, String accountId) {
        return model.isInferenceProfile() ? inferenceProfileArn(partition, region, accountId, model)
                : foundationModelArn(partition, region, model.id());
    }

    private static String inferenceProfileArn(String partition, String region, String accountId, BedrockModelId profile) {
        return "arn:" + partition + ":bedrock:" + region + ":" + accountId + ":inference-profile/" + profile.id();
    }

    private static Map<String, Object> statement(String sid, List<String> actions, List<String> resources,
                                                 Map<String, Object> extra) {
        Map<String, Object> statement = new LinkedHashMap<>();
        if (sid != null) {
            statement.put("Sid", sid);
        }
        statement.put("Effect", "Allow");
        statement.put("Action", actions);
        if (resources != null) {
            statement.put("Resource", resources);
        }
        if (extra != null) {
            statement.putAll(extra);
        }
        return statement;
    }

    private static String document(List<Map<String, Object>> statements) {
        return Json.write(documentObject(statements));
    }

    private static Map<String, Object> documentObject(List<Map<String, Object>> statements) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("Version", VERSION);
        document.put("Statement", statements);
        return document;
    }
}
