package io.llmgateway.infra;

import com.pulumi.aws.apigateway.ApiKey;
import com.pulumi.aws.apigateway.ApiKeyArgs;
import com.pulumi.aws.apigateway.UsagePlan;
import com.pulumi.aws.apigateway.UsagePlanArgs;
import com.pulumi.aws.apigateway.UsagePlanKey;
import com.pulumi.aws.apigateway.UsagePlanKeyArgs;
import com.pulumi.aws.apigateway.inputs.UsagePlanApiStageArgs;
import com.pulumi.aws.apigateway.inputs.UsagePlanApiStageThrottleArgs;
import com.pulumi.aws.apigateway.inputs.UsagePlanQuotaSettingsArgs;
import com.pulumi.aws.apigateway.inputs.UsagePlanThrottleSettingsArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import io.llmgateway.config.Client;
import io.llmgateway.config.ClientKey;
import io.llmgateway.config.Plan;
import io.llmgateway.config.Quota;
import io.llmgateway.config.Throttle;
import io.llmgateway.contract.Route;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The usage plans and the clients' API keys: one {@code UsagePlan} per plan on this API's stage,
 * one {@code ApiKey} per client, and one {@code UsagePlanKey} putting each key in exactly its plan
 * (AWS allows a key in only one plan per stage).
 *
 * <p>The keys come before the stage and the plans after it: the key ids go into the entitlements the
 * stage waits for. So the component is declared in the two steps the types allow, and no other way:
 * {@link #keys} declares the component and the keys and gives a {@link Keys}; only its
 * {@link Keys#onStage} declares the plans and memberships, and only that gives the {@code UsagePlans},
 * whose plan ids therefore always exist.
 *
 * <p>Children: {@code <name>-<plan>}, {@code <name>-key-<client>}, {@code <name>-key-<client>-plan}.
 */
public final class UsagePlans extends ComponentResource {

    public static final String TYPE = "llm-gateway:infra:UsagePlans";
    static final String KEY_TYPE = "API_KEY";
    /** The output of a UsagePlanKey that holds the key's value. */
    static final String KEY_VALUE_OUTPUT = "value";

    /**
     * The stage the plans meter.
     *
     * @param restApiId the API the plans meter
     * @param stageName the stage's name output, never a literal, so plans are created after the stage
     * @param keysAfter what a key must wait for before it joins its plan (and so can be used): its
     *                  entitlement in the token table
     */
    public record Stage(Output<String> restApiId, Output<String> stageName, List<Resource> keysAfter) {
        public Stage {
            keysAfter = List.copyOf(keysAfter);
        }
    }

    /** The first step: the component with the clients' keys, before the stage exists. */
    public static final class Keys {
        private final UsagePlans component;

        private Keys(UsagePlans component) {
            this.component = component;
        }

        /** Client name to API key id (safe to show: the id is not the key). */
        public Output<Map<String, String>> apiKeyIds() {
            return component.apiKeyIds;
        }

        /** The second and last step: one usage plan per plan on the stage, and each key's membership. */
        public UsagePlans onStage(Stage stage) {
            component.declarePlans(stage);
            return component;
        }
    }

    private final Map<String, UsagePlan> plans = new LinkedHashMap<>();
    private final Map<String, ApiKey> keys = new LinkedHashMap<>();
    private final String name;
    private final UsagePlansArgs args;
    private final Output<Map<String, String>> apiKeyIds;
    private Output<Map<String, String>> usagePlanIds;

    /** Declares the component and the API keys; the plans follow on the stage ({@link Keys#onStage}). */
    public static Keys keys(String name, UsagePlansArgs args, ComponentResourceOptions options) {
        return new Keys(new UsagePlans(name, args, options));
    }

    private UsagePlans(String name, UsagePlansArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        this.name = name;
        this.args = args;
        CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
        for (Client client : args.clients()) {
            ApiKeyArgs.Builder key = ApiKeyArgs.builder()
                    .name(args.namePrefix() + "-" + client.name())
                    .enabled(client.enabled());
            if (client.description() != null) {
                key.description(client.description());
            }
            if (client.key() instanceof ClientKey.Supplied supplied) {
                // A secret from the first moment: never in plain state, plans or logs.
                key.value(Output.ofSecret(supplied.value().reveal()));
            }
            keys.put(client.name(), new ApiKey(Names.child(name, "key-" + client.name()), key.build(), child));
        }
        apiKeyIds = byName(keys, ApiKey::id);
    }

    private void declarePlans(Stage stage) {
        CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
        for (Plan plan : args.plans()) {
            plans.put(plan.name(), new UsagePlan(Names.child(name, plan.name()), planArgs(args.namePrefix(),
                    stage.restApiId(), stage.stageName(), plan), child));
        }
        for (Client client : args.clients()) {
            // Moving a client to another plan replaces its membership. AWS allows a key in only one
            // plan per stage, so the old membership must go before the new one is created (Pulumi's
            // default is the other way round).
            // The membership's `value` output is the key itself, and pulumi-aws 6.83 does not mark it
            // secret as it does ApiKey.value (terraform-provider-aws#26739): without
            // additionalSecretOutputs every key would sit in the state in plain text.
            new UsagePlanKey(Names.child(name, "key-" + client.name() + "-plan"), UsagePlanKeyArgs.builder()
                    .keyId(keys.get(client.name()).id())
                    .keyType(KEY_TYPE)
                    .usagePlanId(plans.get(client.plan()).id())
                    .build(), CustomResourceOptions.builder()
                    .parent(this)
                    .deleteBeforeReplace(true)
                    .additionalSecretOutputs(KEY_VALUE_OUTPUT)
                    .dependsOn(stage.keysAfter())
                    .build());
        }
        // Built once: each is a join over every key, and both the component and the stack export them.
        usagePlanIds = byName(plans, UsagePlan::id);
        registerOutputs(Map.of(
                "usagePlanIds", usagePlanIds,
                "apiKeyIds", apiKeyIds));
    }

    private static UsagePlanArgs planArgs(String namePrefix, Output<String> restApiId, Output<String> stageName,
                                          Plan plan) {
        List<UsagePlanApiStageThrottleArgs> methodThrottles = new ArrayList<>();
        plan.methodThrottles().forEach((Route route, Throttle throttle) -> methodThrottles.add(
                UsagePlanApiStageThrottleArgs.builder()
                        .path(route.throttlePath())
                        .rateLimit(throttle.rateLimit())
                        .burstLimit(throttle.burstLimit())
                        .build()));
        UsagePlanApiStageArgs.Builder stage = UsagePlanApiStageArgs.builder()
                .apiId(restApiId)
                .stage(stageName);
        if (!methodThrottles.isEmpty()) {
            stage.throttles(methodThrottles);
        }
        UsagePlanArgs.Builder usagePlan = UsagePlanArgs.builder()
                .name(namePrefix + "-" + plan.name())
                .apiStages(stage.build())
                // Both fields always: an unset one is 0, and 0 allows nothing (aws/aws-cdk#10071).
                .throttleSettings(UsagePlanThrottleSettingsArgs.builder()
                        .rateLimit(plan.throttle().rateLimit())
                        .burstLimit(plan.throttle().burstLimit())
                        .build());
        if (plan.description() != null) {
            usagePlan.description(plan.description());
        }
        if (plan.quota().isPresent()) {
            Quota quota = plan.quota().get();
            // AWS documents `offset` two ways: the API reference (API_QuotaSettings) says "the number of
            // requests subtracted from the given limit in the initial time period", older SDK docs say
            // "the day that a time period starts" (0 = Sunday for WEEK). The provider validates the
            // day reading: 0 for DAY, 0-6 for WEEK, 0-27 for MONTH (terraform-provider-aws,
            // internal/service/apigateway/validate.go, validUsagePlanQuotaSettings). The config
            // loader enforces the same ranges (QuotaPeriod.maxOffset), so the number is passed through
            // as it is and the provider never rejects it; the local gateway's QuotaWindow reads it as
            // the day. Under the other reading a non-zero offset only lowers the first period's
            // limit; the default 0 means the same under both.
            usagePlan.quotaSettings(UsagePlanQuotaSettingsArgs.builder()
                    .limit(quota.limit())
                    .period(quota.period().name())
                    .offset(quota.offset())
                    .build());
        }
        return usagePlan.build();
    }

    /** Plan name to usage-plan id. */
    public Output<Map<String, String>> usagePlanIds() {
        return usagePlanIds;
    }

    /** Client name to API key id (safe to show: the id is not the key). */
    public Output<Map<String, String>> apiKeyIds() {
        return apiKeyIds;
    }

    /** Client name to API key value, always a secret. */
    public Output<Map<String, String>> apiKeyValues() {
        return byName(keys, ApiKey::value).asSecret();
    }

    private static <R> Output<Map<String, String>> byName(Map<String, R> resources, Function<R, Output<String>> value) {
        List<String> names = List.copyOf(resources.keySet());
        List<Output<String>> values = resources.values().stream().map(value).toList();
        return Output.all(values).applyValue(list -> {
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                map.put(names.get(i), list.get(i));
            }
            return map;
        });
    }
}
