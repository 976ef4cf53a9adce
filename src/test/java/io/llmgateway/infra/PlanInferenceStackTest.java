package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.DEPLOYMENT;
import static io.llmgateway.infra.testing.AwsTypes.GUARDRAIL;
import static io.llmgateway.infra.testing.AwsTypes.GUARDRAIL_VERSION;
import static io.llmgateway.infra.testing.AwsTypes.INFERENCE_PROFILE;
import static io.llmgateway.infra.testing.AwsTypes.ROLE_POLICY;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Entitlements;
import io.llmgateway.common.Json;
import io.llmgateway.common.PlanGuardrail;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.config.GuardrailSpec;
import io.llmgateway.infra.testing.AwsMocks;
import io.llmgateway.infra.testing.AwsMocks.Registered;
import io.llmgateway.infra.testing.EngineConfig;
import io.llmgateway.infra.testing.ImportedApi;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * plans.*.costAllocation and plans.*.guardrail on the real prod stack file: premium gets an application
 * inference profile per model (copying the model or the cross-Region profile the model config names) and
 * a declared guardrail; standard names an existing guardrail. The role may invoke exactly the profiles
 * (their models only through them) and apply exactly those guardrails, and the entitlements name them.
 */
class PlanInferenceStackTest {

    private static final StackRun RUN = StackRuns.prodWithChargeback();
    private static final String CLAUDE_SOURCE =
            "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0";
    private static final String NOVA_SOURCE = "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0";

    private static Registered profile(StackRun run, String alias) {
        return run.one(INFERENCE_PROFILE, "plan-inference-premium-" + alias + "-profile");
    }

    private static String arn(Registered resource) {
        return (String) resource.state().get("arn");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(StackRun run) throws Exception {
        return (List<Map<String, Object>>) Json.readObject(run.one(ROLE_POLICY, "backend-bedrock-policy")
                .string("policy")).get("Statement");
    }

    private static Map<String, Object> statement(List<Map<String, Object>> statements, String sid) {
        return statements.stream().filter(s -> sid.equals(s.get("Sid"))).findFirst().orElseThrow(() ->
                new AssertionError("no statement " + sid + " in " + statements));
    }

    @Test
    void premiumGetsOneProfilePerModel_copyingTheSystemProfileOrTheFoundationModel_taggedForTheBill() {
        assertThat(RUN.ofType(INFERENCE_PROFILE)).extracting(Registered::name).containsExactlyInAnyOrder(
                "plan-inference-premium-claude-haiku-profile", "plan-inference-premium-nova-micro-profile");
        assertThat(profile(RUN, "claude-haiku").inputs().get("modelSource")).isEqualTo(Map.of("copyFrom", CLAUDE_SOURCE));
        assertThat(profile(RUN, "nova-micro").inputs().get("modelSource")).isEqualTo(Map.of("copyFrom", NOVA_SOURCE));
        assertThat(profile(RUN, "claude-haiku").inputs().get("tags")).isEqualTo(Map.of(
                "llm-gateway:plan", "premium", "llm-gateway:stack", "prod", "llm-gateway:model", "claude-haiku",
                "team", "acme", "cost-center", "cc-42"));
        assertThat(profile(RUN, "nova-micro").string("name")).isEqualTo("llm-gateway-prod-premium-nova-micro");
        // Children of the component, as every resource of the stack is.
        StackRun.Request request = RUN.request(INFERENCE_PROFILE, "plan-inference-premium-nova-micro-profile");
        assertThat(request.parent()).endsWith("llm-gateway:infra:PlanInference::plan-inference");
    }

    @Test
    void premiumsGuardrailIsDeclaredFromConfig_andVersionedWithItsConfigHash() {
        Registered guardrail = RUN.one(GUARDRAIL, "plan-inference-premium-guardrail");
        assertThat(guardrail.inputs())
                .containsEntry("name", "llm-gateway-prod-premium")
                .containsEntry("blockedInputMessaging", "Blocked by the premium policy.")
                .containsEntry("blockedOutputsMessaging", "Sorry, the answer was withheld under your plan's content policy.")
                .containsEntry("tags", Map.of("llm-gateway:plan", "premium", "llm-gateway:stack", "prod"));
        assertThat(guardrail.inputs().get("contentPolicyConfig")).isEqualTo(Map.of("filtersConfigs", List.of(
                Map.of("type", "HATE", "inputStrength", "HIGH", "outputStrength", "MEDIUM"),
                Map.of("type", "PROMPT_ATTACK", "inputStrength", "HIGH", "outputStrength", "NONE"))));
        assertThat(guardrail.inputs().get("topicPolicyConfig")).isEqualTo(Map.of("topicsConfigs", List.of(Map.of(
                "name", "Investment advice", "definition", "Recommendations on which stocks or funds to buy",
                "examples", List.of("Which stock should I buy?"), "type", "DENY"))));
        assertThat(guardrail.inputs().get("wordPolicyConfig")).isEqualTo(Map.of(
                "wordsConfigs", List.of(Map.of("text", "project-x")),
                "managedWordListsConfigs", List.of(Map.of("type", "PROFANITY"))));
        assertThat(guardrail.inputs().get("sensitiveInformationPolicyConfig")).isEqualTo(Map.of("piiEntitiesConfigs",
                List.of(Map.of("type", "EMAIL", "action", "ANONYMIZE"),
                        Map.of("type", "US_SOCIAL_SECURITY_NUMBER", "action", "BLOCK"))));

        Registered version = RUN.one(GUARDRAIL_VERSION, "plan-inference-premium-guardrail-version");
        assertThat(version.inputs()).containsEntry("guardrailArn", guardrail.state().get("guardrailArn"))
                .containsEntry("skipDestroy", true);
        assertThat(version.string("description")).matches("llm-gateway plan premium, config [0-9a-f]{12}");
        assertThat(RUN.ofType(GUARDRAIL)).hasSize(1); // standard's guardrail exists already
    }

    @Test
    void theVersionsDescriptionHoldsTheConfigsHash_whichAnyChangeOfTheConfigChanges() {
        GuardrailSpec.Declared premium = (GuardrailSpec.Declared) RUN.config().plans().get("premium").guardrail().orElseThrow();
        assertThat(RUN.one(GUARDRAIL_VERSION, "plan-inference-premium-guardrail-version").string("description"))
                .isEqualTo("llm-gateway plan premium, config " + PlanInference.configHash(premium));
        // Pulumi replaces the version when its description changes, whatever the provider's schema says.
        assertThat(RUN.request(GUARDRAIL_VERSION, "plan-inference-premium-guardrail-version").replaceOnChanges())
                .containsExactly("description");
        GuardrailSpec.Declared moreWords = new GuardrailSpec.Declared(premium.blockedInputMessage(),
                premium.blockedOutputMessage(), premium.contentFilters(), premium.deniedTopics(),
                List.of("project-x", "project-y"), premium.managedWordLists(), premium.pii(), premium.unitPrices());
        GuardrailSpec.Declared otherMessage = new GuardrailSpec.Declared("No.", premium.blockedOutputMessage(),
                premium.contentFilters(), premium.deniedTopics(), premium.words(), premium.managedWordLists(),
                premium.pii(), premium.unitPrices());
        GuardrailSpec.Declared otherPrices = new GuardrailSpec.Declared(premium.blockedInputMessage(),
                premium.blockedOutputMessage(), premium.contentFilters(), premium.deniedTopics(), premium.words(),
                premium.managedWordLists(), premium.pii(), Map.of());
        assertThat(PlanInference.configHash(moreWords)).isNotEqualTo(PlanInference.configHash(premium));
        assertThat(PlanInference.configHash(otherMessage)).isNotEqualTo(PlanInference.configHash(premium));
        // Prices are the gateway's, not the guardrail's: no new version for them.
        assertThat(PlanInference.configHash(otherPrices)).isEqualTo(PlanInference.configHash(premium));
    }

    @Test
    void theBackendsRoleMayInvokeExactlyTheProfiles_theirModelsOnlyThroughThem_andApplyExactlyTheGuardrails()
            throws Exception {
        List<Map<String, Object>> statements = statements(RUN);
        String claude = arn(profile(RUN, "claude-haiku"));
        String nova = arn(profile(RUN, "nova-micro"));
        assertThat(statement(statements, "InvokePlanProfiles").get("Resource"))
                .isEqualTo(Stream.of(claude, nova).sorted().toList());
        List<Map<String, Object>> through = statements.stream()
                .filter(s -> String.valueOf(s.get("Sid")).startsWith("InvokeThroughPlanProfile")).toList();
        assertThat(through).hasSize(2);
        assertThat(through).anySatisfy(s -> {
            assertThat(s.get("Resource")).isEqualTo(AwsMocks.US_PROFILE_REGIONS.stream().map(r ->
                    "arn:aws:bedrock:" + r + "::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0").toList());
            assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals", Map.of("bedrock:InferenceProfileArn", claude)));
        });
        assertThat(through).anySatisfy(s -> {
            assertThat(s.get("Resource")).isEqualTo(List.of(NOVA_SOURCE));
            assertThat(s.get("Condition")).isEqualTo(Map.of("StringEquals", Map.of("bedrock:InferenceProfileArn", nova)));
        });
        String declared = (String) RUN.one(GUARDRAIL, "plan-inference-premium-guardrail").state().get("guardrailArn");
        assertThat(statement(statements, "ApplyPlanGuardrails")).containsEntry("Action", List.of("bedrock:ApplyGuardrail"))
                .containsEntry("Resource", Stream.of(declared, AwsMocks.guardrailArn(StackRuns.EXISTING_GUARDRAIL_ID))
                        .sorted().toList());
        // standard still calls both models by their own ids; the profiles' sources are never granted bare.
        assertThat(statement(statements, "InvokeConfiguredModels").get("Resource")).isEqualTo(List.of(
                "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0",
                NOVA_SOURCE));
    }

    @Test
    void whenEveryPlanAllocatesCosts_theRoleMayCallNoChatModelUntagged() throws Exception {
        StackRun run = StackRun.of(EngineConfig.load("dev").with("plans.dev.costAllocation", Map.of())).throwOnError();
        String profile = (String) run.one(INFERENCE_PROFILE, "plan-inference-dev-nova-micro-profile").state().get("arn");
        List<Map<String, Object>> statements = statements(run);
        // The embedding model keeps its own id; the chat model is reachable only through the plan's profile.
        assertThat(statement(statements, "InvokeConfiguredModels").get("Resource"))
                .isEqualTo(List.of("arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0"));
        assertThat(statement(statements, "InvokePlanProfiles").get("Resource")).isEqualTo(List.of(profile));
        assertThat(TokenTableTest.entitlements(run).plans().get("dev").profileArns())
                .isEqualTo(Map.of("nova-micro", profile));
    }

    @Test
    void aGuardrailAlone_declaresNoProfile_andTheRoleAppliesItBesideTheModels() throws Exception {
        StackRun run = StackRun.of(EngineConfig.load("dev").with("plans.dev.guardrail", Map.of("words", List.of("x"))))
                .throwOnError();
        assertThat(run.ofType(INFERENCE_PROFILE)).isEmpty();
        String arn = (String) run.one(GUARDRAIL, "plan-inference-dev-guardrail").state().get("guardrailArn");
        List<Map<String, Object>> statements = statements(run);
        assertThat(statement(statements, "ApplyPlanGuardrails").get("Resource")).isEqualTo(List.of(arn));
        assertThat(statements).noneSatisfy(s -> assertThat(s.get("Sid")).isEqualTo("InvokePlanProfiles"));
        assertThat(TokenTableTest.entitlements(run).plans().get("dev").guardrail()).map(PlanGuardrail::version)
                .contains("1");
    }

    @Test
    void theEntitlementsNameEachPlansProfilesAndGuardrail() {
        Entitlements entitlements = TokenTableTest.entitlements(RUN);
        PlanLimits premium = entitlements.plans().get("premium");
        assertThat(premium.profileArns()).isEqualTo(Map.of(
                "claude-haiku", arn(profile(RUN, "claude-haiku")), "nova-micro", arn(profile(RUN, "nova-micro"))));
        Registered guardrail = RUN.one(GUARDRAIL, "plan-inference-premium-guardrail");
        assertThat(premium.guardrail()).map(PlanGuardrail::identifier).contains((String) guardrail.state().get("guardrailId"));
        assertThat(premium.guardrail()).map(PlanGuardrail::version).contains("1");
        PlanLimits standard = entitlements.plans().get("standard");
        assertThat(standard.profileArns()).isEmpty();
        assertThat(standard.guardrail()).map(PlanGuardrail::identifier).contains(StackRuns.EXISTING_GUARDRAIL_ID);
        assertThat(standard.guardrail()).map(PlanGuardrail::version).contains("3");
    }

    @Test
    void aReplacedGuardrailVersionReachesTheEntitlements() {
        StackRun replaced = StackRuns.prodWithChargebackAfterReplacing("plan-inference-premium-guardrail-version");
        assertThat(TokenTableTest.entitlements(replaced).plans().get("premium").guardrail())
                .map(PlanGuardrail::version).contains("2");
        assertThat(TokenTableTest.entitlements(replaced).version()).isNotEqualTo(TokenTableTest.entitlements(RUN).version());
    }

    @Test
    void turningThemOnNeverRedeploysTheApi() {
        assertThat(ImportedApi.of(RUN).json()).isEqualTo(ImportedApi.of(StackRuns.prod()).json());
        assertThat(RUN.one(DEPLOYMENT, "api-deployment").inputs().get("triggers"))
                .isEqualTo(StackRuns.prod().one(DEPLOYMENT, "api-deployment").inputs().get("triggers"));
    }

    @Test
    void withoutTheKeysNoStackDeclaresAnyOfThem() {
        for (StackRun run : List.of(StackRuns.dev(), StackRuns.prod())) {
            assertThat(run.ofType(INFERENCE_PROFILE)).isEmpty();
            assertThat(run.ofType(GUARDRAIL)).isEmpty();
            assertThat(run.ofType(GUARDRAIL_VERSION)).isEmpty();
            assertThat(run.ofType(PlanInference.TYPE)).isEmpty();
        }
    }
}
