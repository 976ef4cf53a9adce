package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.API_KEY;
import static io.llmgateway.infra.testing.AwsTypes.STAGE;
import static io.llmgateway.infra.testing.AwsTypes.USAGE_PLAN;
import static io.llmgateway.infra.testing.AwsTypes.USAGE_PLAN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.Client;
import io.llmgateway.config.StackConfig;
import io.llmgateway.config.Plan;
import io.llmgateway.config.Quota;
import io.llmgateway.infra.testing.AwsMocks;
import io.llmgateway.infra.testing.AwsMocks.Registered;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Plans, keys and the keys' plan membership, on both repository stacks. */
class UsagePlansTest {

    static Stream<Named<StackRun>> stacks() {
        return StackRuns.both();
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void everyPlanMetersThisApisStageNamedByTheStagesOutput(StackRun run) {
        StackConfig config = run.config();
        assertThat(run.ofType(USAGE_PLAN)).hasSize(config.plans().size());
        String stageUrn = run.request(STAGE, "api-stage").urn();
        for (Plan plan : config.plans().values()) {
            Registered usagePlan = run.one(USAGE_PLAN, "plans-" + plan.name());
            List<?> stages = (List<?>) usagePlan.inputs().get("apiStages");
            assertThat(stages).singleElement().satisfies(stage -> assertThat(asMap(stage))
                    .containsEntry("apiId", AwsMocks.REST_API_ID)
                    .containsEntry("stage", config.stageName()));
            // Only an Output makes the plan depend on the Stage; a literal name would race its creation.
            assertThat(run.request(USAGE_PLAN, usagePlan.name()).dependencies()).contains(stageUrn);
        }
    }

    /** Declared in two steps, the keys before the stage and the plans after it, all under one parent: URNs stay. */
    @ParameterizedTest
    @MethodSource("stacks")
    void keysPlansAndMemberships_areChildrenOfThePlansComponent(StackRun run) {
        String component = run.request(UsagePlans.TYPE, "plans").urn();
        for (String type : List.of(API_KEY, USAGE_PLAN, USAGE_PLAN_KEY)) {
            assertThat(run.requests()).filteredOn(r -> r.type().equals(type)).as(type).isNotEmpty()
                    .allSatisfy(r -> {
                        assertThat(r.parent()).isEqualTo(component);
                        assertThat(r.urn()).endsWith("$" + UsagePlans.TYPE + "$" + type + "::" + r.name());
                    });
        }
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void everyPlanThrottlesWithBothRateAndBurstAndHasItsQuota(StackRun run) {
        for (Plan plan : run.config().plans().values()) {
            Map<String, Object> inputs = run.one(USAGE_PLAN, "plans-" + plan.name()).inputs();
            assertThat(inputs).containsEntry("name", "llm-gateway-" + run.engineConfig().stack() + "-" + plan.name())
                    .containsEntry("throttleSettings", Map.of(
                            "rateLimit", plan.throttle().rateLimit(),
                            "burstLimit", (double) plan.throttle().burstLimit()));
            Quota quota = plan.quota().orElseThrow();
            assertThat(inputs).containsEntry("quotaSettings", Map.of(
                    "limit", (double) quota.limit(), "period", quota.period().name(), "offset", (double) quota.offset()));
        }
    }

    @Test
    void aPlanWithoutQuotaHasNoQuotaSettings() {
        Registered devPlan = StackRun.of(io.llmgateway.infra.testing.EngineConfig.load("dev").with("plans.dev.quota", null))
                .throwOnError().one(USAGE_PLAN, "plans-dev");
        assertThat(devPlan.inputs()).doesNotContainKey("quotaSettings").containsKey("throttleSettings");
    }

    @Test
    void methodThrottlesUseTheUsagePlanPathWithBothLimits() {
        StackRun run = StackRuns.prod();
        Map<String, Object> premium = asMap(((List<?>) run.one(USAGE_PLAN, "plans-premium").inputs().get("apiStages")).get(0));
        assertThat(premium.get("throttles")).isEqualTo(List.of(Map.of(
                "path", "/v1/chat/completions/POST", "rateLimit", 25.0, "burstLimit", 50.0)));
        Map<String, Object> standard = asMap(((List<?>) run.one(USAGE_PLAN, "plans-standard").inputs().get("apiStages")).get(0));
        assertThat(standard).doesNotContainKey("throttles");
    }

    @Test
    void methodThrottlesOnEmbeddingsAndOnOneModel_useTheResourcePathTemplate() {
        Registered premium = StackRun.of(io.llmgateway.infra.testing.EngineConfig.load("prod")
                        .with("plans.premium.methodThrottles", Map.of(
                                "/v1/embeddings/POST", Map.of("rateLimit", 5, "burstLimit", 10),
                                "/v1/models/{model}/GET", Map.of("rateLimit", 1, "burstLimit", 2))))
                .throwOnError().one(USAGE_PLAN, "plans-premium");
        List<Object> throttles = new ArrayList<>((List<?>) asMap(((List<?>) premium.inputs().get("apiStages")).get(0))
                .get("throttles"));
        assertThat(throttles).containsExactlyInAnyOrder(
                        Map.of("path", "/v1/embeddings/POST", "rateLimit", 5.0, "burstLimit", 10.0),
                        Map.of("path", "/v1/models/{model}/GET", "rateLimit", 1.0, "burstLimit", 2.0));
    }

    @Test
    void aMethodThrottleOnTheResponsesApi_reachesThePlanLikeChats() {
        Registered premium = StackRun.of(io.llmgateway.infra.testing.EngineConfig.load("prod")
                        .with("plans.premium.methodThrottles", Map.of(
                                "/v1/responses/POST", Map.of("rateLimit", 4, "burstLimit", 8))))
                .throwOnError().one(USAGE_PLAN, "plans-premium");
        assertThat(asMap(((List<?>) premium.inputs().get("apiStages")).get(0)).get("throttles")).isEqualTo(List.of(
                Map.of("path", "/v1/responses/POST", "rateLimit", 4.0, "burstLimit", 8.0)));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void everyClientHasOneKeyInExactlyItsPlan(StackRun run) {
        StackConfig config = run.config();
        assertThat(run.ofType(API_KEY)).hasSize(config.clients().size());
        assertThat(run.ofType(USAGE_PLAN_KEY)).hasSize(config.clients().size());
        for (Client client : config.clients().values()) {
            Registered key = run.one(API_KEY, "plans-key-" + client.name());
            assertThat(key.inputs()).containsEntry("name", "llm-gateway-" + run.engineConfig().stack() + "-" + client.name());
            List<Registered> memberships = run.ofType(USAGE_PLAN_KEY).stream()
                    .filter(m -> key.id().equals(m.inputs().get("keyId"))).toList();
            assertThat(memberships).singleElement().satisfies(m -> assertThat(m.inputs())
                    .containsEntry("keyType", "API_KEY")
                    .containsEntry("usagePlanId", run.one(USAGE_PLAN, "plans-" + client.plan()).id()));
            // Changing plans must remove the old membership first: one plan per key and stage.
            assertThat(run.request(USAGE_PLAN_KEY, memberships.get(0).name()).deleteBeforeReplace()).isTrue();
        }
    }

    @Test
    void aDisabledClientKeepsItsKeyButDisabled() {
        StackRun run = StackRuns.prod();
        assertThat(run.one(API_KEY, "plans-key-demo").inputs()).containsEntry("enabled", false);
        assertThat(run.one(API_KEY, "plans-key-acme").inputs()).containsEntry("enabled", true);
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void generatedKeysLeaveTheValueToAws(StackRun run) {
        assertThat(run.ofType(API_KEY)).allSatisfy(key -> assertThat(key.inputs()).doesNotContainKey("value"));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theOutputsMapClientsToKeyIdsAndPlansToPlanIds(StackRun run) {
        Map<String, String> keyIds = new LinkedHashMap<>();
        run.config().clients().keySet().forEach(c -> keyIds.put(c, run.one(API_KEY, "plans-key-" + c).id()));
        Map<String, String> planIds = new LinkedHashMap<>();
        run.config().plans().keySet().forEach(p -> planIds.put(p, run.one(USAGE_PLAN, "plans-" + p).id()));
        assertThat(run.outputValue("apiKeyIds")).isEqualTo(keyIds);
        assertThat(run.outputValue("usagePlanIds")).isEqualTo(planIds);
        assertThat(run.output("apiKeyIds").isSecret()).isFalse();
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void keyValuesAreExportedOnlyAsASecret(StackRun run) {
        assertThat(run.output("apiKeys").isSecret()).isTrue();
        Map<String, Object> values = asMap(run.outputValue("apiKeys"));
        assertThat(values.keySet()).containsExactlyInAnyOrderElementsOf(run.config().clients().keySet());
        run.outputs().forEach((name, output) -> {
            if (!output.isSecret()) {
                values.values().forEach(v -> assertThat(String.valueOf(output.getValueNullable())).doesNotContain((String) v));
            }
        });
    }

    @Test
    void aSuppliedKeyValueTravelsOnlyAsASecret() {
        StackRun run = StackRuns.devWithSuppliedKey();
        String key = StackRuns.SUPPLIED_KEY;
        // The provider receives it...
        assertThat(run.one(API_KEY, "plans-key-demo").inputs()).containsEntry("value", key);
        // ...but on the wire to the engine it is always wrapped as a secret, in every registration.
        List<String> plain = new ArrayList<>();
        List<String> secret = new ArrayList<>();
        for (StackRun.Request request : run.requests()) {
            request.object().getFieldsMap().values().forEach(v -> StackRun.strings(v, false, plain, secret));
        }
        assertThat(plain).noneMatch(s -> s.contains(key));
        assertThat(secret).contains(key);
        assertThat(run.logMessages()).noneMatch(m -> m.contains(key));
        assertThat(run.output("apiKeys").isSecret()).isTrue();
        assertThat(asMap(run.outputValue("apiKeys"))).containsEntry("demo", key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }
}
