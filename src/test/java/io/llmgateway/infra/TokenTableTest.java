package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.API_KEY;
import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.REST_API;
import static io.llmgateway.infra.testing.AwsTypes.ROLE_POLICY;
import static io.llmgateway.infra.testing.AwsTypes.STAGE;
import static io.llmgateway.infra.testing.AwsTypes.TABLE;
import static io.llmgateway.infra.testing.AwsTypes.TABLE_ITEM;
import static io.llmgateway.infra.testing.AwsTypes.USAGE_PLAN_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.Entitlements;
import io.llmgateway.common.Json;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.infra.testing.AwsMocks;
import io.llmgateway.infra.testing.EngineConfig;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The token table on the mocks: its shape, TTL and recovery setting, the backend's least-privilege use
 * of it, the entitlement items as the backend reads them, and the stage variable that announces them.
 */
class TokenTableTest {

    static Stream<Named<StackRun>> stacks() {
        return StackRuns.both();
    }

    private static String tableName(StackRun run) {
        return "llm-gateway-" + run.engineConfig().stack() + "-tokens";
    }

    /** The snapshot the stack's TableItems hold, read with the backend's own codec. */
    static Entitlements entitlements(StackRun run) {
        List<EntitlementItems.Item> items = new ArrayList<>();
        for (AwsMocks.Registered item : run.ofType(TABLE_ITEM)) {
            try {
                Map<String, Object> json = Json.readObject((String) item.inputs().get("item"));
                items.add(new EntitlementItems.Item(s(json, "sk"), s(json, "doc"), s(json, "version")));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return EntitlementItems.read(items);
    }

    private static String s(Map<String, Object> item, String attribute) {
        return (String) ((Map<?, ?>) item.get(attribute)).get("S");
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void oneOnDemandTable_keyedByStrings_withTtlOnExpiresAt_andPitrAsConfigured(StackRun run) {
        assertThat(run.ofType(TABLE)).singleElement().satisfies(table -> assertThat(table.inputs())
                .containsEntry("name", tableName(run))
                .containsEntry("billingMode", "PAY_PER_REQUEST")
                .containsEntry("hashKey", "pk")
                .containsEntry("rangeKey", "sk")
                .containsEntry("attributes", List.of(Map.of("name", "pk", "type", "S"), Map.of("name", "sk", "type", "S")))
                .containsEntry("ttl", Map.of("attributeName", "expiresAt", "enabled", true))
                .containsEntry("pointInTimeRecovery", Map.of("enabled", false)));
        StackRun withPitr = StackRun.of(EngineConfig.load("dev").with("tokenTablePointInTimeRecovery", "true")).throwOnError();
        assertThat(withPitr.one(TABLE, "tokens-table").inputs()).containsEntry("pointInTimeRecovery", Map.of("enabled", true));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theBackendMayGetQueryAndUpdateItems_ofThatTableOnly(StackRun run) throws IOException {
        Map<String, Object> policy = Json.readObject((String) run.one(ROLE_POLICY, "backend-tokens-policy").inputs().get("policy"));
        String tableArn = "arn:aws:dynamodb:" + AwsMocks.REGION + ":" + AwsMocks.ACCOUNT + ":table/" + tableName(run);
        assertThat((List<?>) policy.get("Statement")).singleElement().isEqualTo(Map.of(
                "Sid", "UseTokenTable", "Effect", "Allow",
                "Action", List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:UpdateItem"),
                "Resource", List.of(tableArn)));
        // No other policy of any role mentions DynamoDB.
        assertThat(run.ofType(ROLE_POLICY)).filteredOn(p -> !p.name().equals("backend-tokens-policy"))
                .allSatisfy(p -> assertThat((String) p.inputs().get("policy")).doesNotContain("dynamodb"));
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theItemsHoldEveryKeysPlan_andEachPlansAllowListAndLimits_asTheConfigSays(StackRun run) {
        Entitlements entitlements = entitlements(run);

        run.config().clients().values().forEach(client -> {
            String keyId = "key-plans-key-" + client.name();
            assertThat(run.one(API_KEY, "plans-key-" + client.name()).id()).isEqualTo(keyId);
            assertThat(entitlements.planOfKey(keyId)).contains(run.config().planLimits().get(client.plan()));
        });
        assertThat(entitlements.plans()).isEqualTo(run.config().planLimits());
    }

    @Test
    void anAllowListAndTokenLimits_inTheConfig_areWhatTheBackendReads() {
        StackRun run = StackRun.of(EngineConfig.load("prod")
                .with("plans.standard.models", List.of("nova-micro"))
                .with("plans.standard.maxTokens", 512)
                .with("plans.standard.tokens", Map.of("perMinute", 20000,
                        "budget", Map.of("limit", 1000000, "period", "DAY")))).throwOnError();

        PlanLimits standard = entitlements(run).planOfKey("key-plans-key-demo").orElseThrow();

        assertThat(standard.models()).contains(Set.of("nova-micro"));
        assertThat(standard.maxTokens()).hasValue(512);
        assertThat(standard.tokensPerMinute()).hasValue(20000);
        assertThat(standard.budget().orElseThrow().limit()).isEqualTo(1_000_000);
        assertThat(entitlements(run).planOfKey("key-plans-key-acme").orElseThrow().models()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theStageAnnouncesTheItemsVersion_andWaitsForTheItems_asDoesEveryKeysPlanMembership(StackRun run) {
        String version = entitlements(run).version();
        assertThat(run.one(STAGE, "api-stage").inputs()).containsEntry("variables",
                Map.of(EntitlementItems.STAGE_VARIABLE, version));
        assertThat(run.outputValue("entitlementsVersion")).isEqualTo(version);
        List<String> itemUrns = run.requests(r -> r.type().equals(TABLE_ITEM)).stream().map(StackRun.Request::urn).toList();
        assertThat(itemUrns).hasSize(run.ofType(TABLE_ITEM).size()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(run.request(STAGE, "api-stage").dependencies()).containsAll(itemUrns);
        assertThat(run.requests(r -> r.type().equals(USAGE_PLAN_KEY)))
                .allSatisfy(key -> assertThat(key.dependencies()).containsAll(itemUrns));
    }

    @Test
    void changingAPlansTokenLimits_updatesTheItemsAndTheStageVariable_butNeitherTheApiNorTheDeployment() {
        StackRun dev = StackRuns.dev();
        StackRun changed = StackRun.of(EngineConfig.load("dev").with("plans.dev.tokens",
                Map.of("perMinute", 5000, "budget", Map.of("limit", 100000, "period", "DAY")))).throwOnError();

        assertThat(changed.one(DEPLOYMENT, "api-deployment").inputs()).isEqualTo(dev.one(DEPLOYMENT, "api-deployment").inputs());
        assertThat(changed.one(REST_API, "api-rest").inputs()).isEqualTo(dev.one(REST_API, "api-rest").inputs());
        assertThat(changed.one(TABLE, "tokens-table").inputs()).isEqualTo(dev.one(TABLE, "tokens-table").inputs());
        assertThat(entitlements(changed).version()).isNotEqualTo(entitlements(dev).version());
        assertThat(changed.one(STAGE, "api-stage").inputs().get("variables"))
                .isNotEqualTo(dev.one(STAGE, "api-stage").inputs().get("variables"));
        assertThat(entitlements(changed).plans().get("dev").tokensPerMinute()).hasValue(5000);
    }
}
