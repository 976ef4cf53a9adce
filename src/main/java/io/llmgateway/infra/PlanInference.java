package io.llmgateway.infra;

import com.pulumi.aws.bedrock.Guardrail;
import com.pulumi.aws.bedrock.GuardrailArgs;
import com.pulumi.aws.bedrock.GuardrailVersion;
import com.pulumi.aws.bedrock.GuardrailVersionArgs;
import com.pulumi.aws.bedrock.InferenceProfile;
import com.pulumi.aws.bedrock.InferenceProfileArgs;
import com.pulumi.aws.bedrock.inputs.GuardrailContentPolicyConfigArgs;
import com.pulumi.aws.bedrock.inputs.GuardrailContentPolicyConfigFiltersConfigArgs;
import com.pulumi.aws.bedrock.inputs.GuardrailSensitiveInformationPolicyConfigArgs;
import com.pulumi.aws.bedrock.inputs.GuardrailSensitiveInformationPolicyConfigPiiEntitiesConfigArgs;
import com.pulumi.aws.bedrock.inputs.GuardrailTopicPolicyConfigArgs;
import com.pulumi.aws.bedrock.inputs.GuardrailTopicPolicyConfigTopicsConfigArgs;
import com.pulumi.aws.bedrock.inputs.GuardrailWordPolicyConfigArgs;
import com.pulumi.aws.bedrock.inputs.GuardrailWordPolicyConfigManagedWordListsConfigArgs;
import com.pulumi.aws.bedrock.inputs.GuardrailWordPolicyConfigWordsConfigArgs;
import com.pulumi.aws.bedrock.inputs.InferenceProfileModelSourceArgs;
import com.pulumi.aws.bedrock.outputs.InferenceProfileModel;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.Json;
import io.llmgateway.common.ModelKind;
import io.llmgateway.common.PlanGuardrail;
import io.llmgateway.config.GuardrailSpec;
import io.llmgateway.config.Plan;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The plans' own Bedrock resources: for a plan with {@code costAllocation}, one application inference
 * profile per chat model it may use, copying the model (or the cross-Region profile the model config
 * names) and tagged with the plan, the stack, the model alias and the operator's tags, so Bedrock bills
 * the plan's calls under those tags (Bedrock user guide, "Create an application inference profile",
 * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-create.html); for a plan that
 * declares a {@code guardrail}, the guardrail and a version of it, replaced whenever its config changes.
 * Declared only when some plan asks for either, so other stacks declare nothing new.
 *
 * <p>Children: {@code <name>-<plan>-<alias>-profile}, {@code <name>-<plan>-guardrail},
 * {@code <name>-<plan>-guardrail-version}.
 */
public final class PlanInference extends ComponentResource {

    public static final String TYPE = "llm-gateway:infra:PlanInference";
    /** The stack's own tags on every profile and guardrail. */
    public static final String PLAN_TAG = "llm-gateway:plan";
    public static final String STACK_TAG = "llm-gateway:stack";
    public static final String MODEL_TAG = "llm-gateway:model";
    /** CreateInferenceProfile's inferenceProfileName: 1-64 characters. */
    static final int MAX_PROFILE_NAME = 64;
    /** CreateGuardrail's name: 1-50 of {@code [0-9a-zA-Z-_]}. */
    static final int MAX_GUARDRAIL_NAME = 50;

    /**
     * @param prefix    the stack's resource-name prefix, e.g. {@code llm-gateway-prod}
     * @param stackName the Pulumi stack, for the stack tag
     * @param models    the configured models by alias
     * @param plans     the plans, in config order
     * @param aws       partition, Region and account, for the ARNs the stack builds itself
     */
    public record Args(String prefix, String stackName, Map<String, BedrockModelId> models, List<Plan> plans,
                       AwsEnvironment aws) {
        public Args {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(stackName, "stackName");
            models = Map.copyOf(models);
            plans = List.copyOf(plans);
            Objects.requireNonNull(aws, "aws");
        }

        /** True when some plan needs this component. */
        public boolean needed() {
            return plans.stream().anyMatch(p -> p.allocatesCosts() || p.guardrail().isPresent());
        }
    }

    private record Profile(String plan, String alias, String arn, List<String> modelArns) {
    }

    private record Guarded(String plan, PlanGuardrail guardrail, String arn) {
    }

    private final Output<PlanRouting> routing;

    public PlanInference(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
        List<Output<Profile>> profiles = new ArrayList<>();
        List<Output<Guarded>> guardrails = new ArrayList<>();
        for (Plan plan : args.plans()) {
            if (plan.allocatesCosts()) {
                for (String alias : profiledAliases(plan, args.models())) {
                    profiles.add(profile(name, args, plan, alias, child));
                }
            }
            plan.guardrail().ifPresent(spec -> guardrails.add(guardrail(name, args, plan, spec)));
        }
        this.routing = Output.tuple(Output.all(profiles), Output.all(guardrails)).applyValue(t -> {
            Map<String, Map<String, String>> arns = new LinkedHashMap<>();
            List<IamPolicies.ProfileGrant> grants = new ArrayList<>();
            for (Profile p : t.t1) {
                arns.computeIfAbsent(p.plan(), k -> new LinkedHashMap<>()).put(p.alias(), p.arn());
                grants.add(new IamPolicies.ProfileGrant(p.arn(), p.modelArns()));
            }
            Map<String, PlanGuardrail> byPlan = new LinkedHashMap<>();
            Set<String> guardrailArns = new TreeSet<>();
            for (Guarded g : t.t2) {
                byPlan.put(g.plan(), g.guardrail());
                guardrailArns.add(g.arn());
            }
            return new PlanRouting(arns, byPlan, grants, List.copyOf(guardrailArns));
        });
        registerOutputs(Map.of("routing", routing.applyValue(Json::write)));
    }

    /** What the plans' calls go through, once AWS created it. */
    public Output<PlanRouting> routing() {
        return routing;
    }

    /**
     * The chat models a plan with cost allocation calls through profiles: those it may use. Embedding
     * models keep their model id (docs/cost-allocation-and-guardrails.md).
     */
    public static List<String> profiledAliases(Plan plan, Map<String, BedrockModelId> models) {
        List<String> aliases = new ArrayList<>();
        models.forEach((alias, id) -> {
            if (ModelKind.of(id) == ModelKind.CHAT && plan.models().map(m -> m.contains(alias)).orElse(true)) {
                aliases.add(alias);
            }
        });
        return aliases;
    }

    /**
     * The models the backend still calls by their own id: every model some plan may call without a profile
     * of its own (and any no plan may call, as before), so a stack where every plan allocates costs grants
     * no untagged call of a chat model.
     */
    public static List<BedrockModelId> directModels(Map<String, BedrockModelId> models, List<Plan> plans) {
        List<BedrockModelId> direct = new ArrayList<>();
        models.forEach((alias, id) -> {
            boolean anyPlan = false;
            boolean untagged = false;
            for (Plan plan : plans) {
                if (plan.models().map(m -> m.contains(alias)).orElse(true)) {
                    anyPlan = true;
                    untagged |= !(plan.allocatesCosts() && profiledAliases(plan, models).contains(alias));
                }
            }
            if (untagged || !anyPlan) {
                direct.add(id);
            }
        });
        return direct;
    }

    private Output<Profile> profile(String name, Args args, Plan plan, String alias, CustomResourceOptions child) {
        BedrockModelId model = args.models().get(alias);
        Map<String, String> tags = new LinkedHashMap<>(plan.costAllocation().orElseThrow().tags());
        tags.put(PLAN_TAG, plan.name());
        tags.put(STACK_TAG, args.stackName());
        tags.put(MODEL_TAG, alias);
        AwsEnvironment aws = args.aws();
        Output<String> source = Output.tuple(aws.partition(), aws.region(), aws.accountId())
                .applyValue(t -> IamPolicies.profileSourceArn(model, t.t1, t.t2, t.t3));
        InferenceProfile profile = new InferenceProfile(Names.child(name, plan.name() + "-" + Names.kebab(alias) + "-profile"),
                InferenceProfileArgs.builder()
                        .name(fitted(args.prefix() + "-" + plan.name() + "-" + alias, MAX_PROFILE_NAME))
                        .description("llm-gateway plan " + plan.name() + ", model " + alias)
                        .modelSource(InferenceProfileModelSourceArgs.builder().copyFrom(source).build())
                        .tags(tags)
                        .build(), child);
        return Output.tuple(profile.arn(), profile.models()).applyValue(t -> new Profile(plan.name(), alias, t.t1,
                t.t2.stream().map(InferenceProfileModel::modelArn).filter(Objects::nonNull).toList()));
    }

    private Output<Guarded> guardrail(String name, Args args, Plan plan, GuardrailSpec spec) {
        AwsEnvironment aws = args.aws();
        if (spec instanceof GuardrailSpec.Existing existing) {
            PlanGuardrail ref = new PlanGuardrail(existing.id(), existing.version(), existing.unitPrices());
            return Output.tuple(aws.partition(), aws.region(), aws.accountId()).applyValue(t ->
                    new Guarded(plan.name(), ref, IamPolicies.guardrailArn(existing.id(), t.t1, t.t2, t.t3)));
        }
        GuardrailSpec.Declared declared = (GuardrailSpec.Declared) spec;
        GuardrailArgs guardrailArgs = guardrailArgs(declared, fitted(args.prefix() + "-" + plan.name(), MAX_GUARDRAIL_NAME)
                .replaceAll("[^0-9a-zA-Z_-]", "-"), Map.of(PLAN_TAG, plan.name(), STACK_TAG, args.stackName()));
        Guardrail guardrail = new Guardrail(Names.child(name, plan.name() + "-guardrail"), guardrailArgs,
                CustomResourceOptions.builder().parent(this).build());
        // A version is a snapshot: updating the guardrail changes only its DRAFT. The config's hash in the
        // description replaces the version whenever the config changes; the old one is kept (skipDestroy)
        // for calls still in flight with it.
        GuardrailVersion version = new GuardrailVersion(Names.child(name, plan.name() + "-guardrail-version"),
                GuardrailVersionArgs.builder()
                        .guardrailArn(guardrail.guardrailArn())
                        .description("llm-gateway plan " + plan.name() + ", config " + configHash(declared))
                        .skipDestroy(true)
                        .build(),
                CustomResourceOptions.builder().parent(this).replaceOnChanges("description").build());
        return Output.tuple(guardrail.guardrailId(), version.version(), guardrail.guardrailArn()).applyValue(t ->
                new Guarded(plan.name(), new PlanGuardrail(t.t1, t.t2, declared.unitPrices()), t.t3));
    }

    static GuardrailArgs guardrailArgs(GuardrailSpec.Declared spec, String guardrailName, Map<String, String> tags) {
        GuardrailArgs.Builder args = GuardrailArgs.builder()
                .name(guardrailName)
                .description("llm-gateway guardrail for one plan")
                .blockedInputMessaging(spec.blockedInputMessage())
                .blockedOutputsMessaging(spec.blockedOutputMessage())
                .tags(tags);
        if (!spec.contentFilters().isEmpty()) {
            args.contentPolicyConfig(GuardrailContentPolicyConfigArgs.builder().filtersConfigs(spec.contentFilters()
                    .stream().map(f -> GuardrailContentPolicyConfigFiltersConfigArgs.builder()
                            .type(f.type()).inputStrength(f.inputStrength()).outputStrength(f.outputStrength()).build())
                    .toList()).build());
        }
        if (!spec.deniedTopics().isEmpty()) {
            args.topicPolicyConfig(GuardrailTopicPolicyConfigArgs.builder().topicsConfigs(spec.deniedTopics().stream()
                    .map(t -> GuardrailTopicPolicyConfigTopicsConfigArgs.builder()
                            .name(t.name()).definition(t.definition()).examples(t.examples()).type("DENY").build())
                    .toList()).build());
        }
        if (!spec.words().isEmpty() || !spec.managedWordLists().isEmpty()) {
            GuardrailWordPolicyConfigArgs.Builder words = GuardrailWordPolicyConfigArgs.builder();
            if (!spec.words().isEmpty()) {
                words.wordsConfigs(spec.words().stream()
                        .map(w -> GuardrailWordPolicyConfigWordsConfigArgs.builder().text(w).build()).toList());
            }
            if (!spec.managedWordLists().isEmpty()) {
                words.managedWordListsConfigs(spec.managedWordLists().stream()
                        .map(l -> GuardrailWordPolicyConfigManagedWordListsConfigArgs.builder().type(l).build()).toList());
            }
            args.wordPolicyConfig(words.build());
        }
        if (!spec.pii().isEmpty()) {
            List<GuardrailSensitiveInformationPolicyConfigPiiEntitiesConfigArgs> entities = new ArrayList<>();
            spec.pii().forEach((type, action) -> entities.add(GuardrailSensitiveInformationPolicyConfigPiiEntitiesConfigArgs
                    .builder().type(type).action(action).build()));
            args.sensitiveInformationPolicyConfig(GuardrailSensitiveInformationPolicyConfigArgs.builder()
                    .piiEntitiesConfigs(entities).build());
        }
        return args.build();
    }

    /** The first 12 hex digits of the SHA-256 of what the guardrail filters (not its prices). */
    static String configHash(GuardrailSpec.Declared spec) {
        Map<String, Object> filtered = new LinkedHashMap<>();
        filtered.put("blockedInput", spec.blockedInputMessage());
        filtered.put("blockedOutput", spec.blockedOutputMessage());
        filtered.put("contentFilters", spec.contentFilters().stream()
                .map(f -> List.of(f.type(), f.inputStrength(), f.outputStrength())).toList());
        filtered.put("deniedTopics", spec.deniedTopics().stream()
                .map(t -> List.of(t.name(), t.definition(), t.examples())).toList());
        filtered.put("words", spec.words());
        filtered.put("managedWordLists", spec.managedWordLists());
        filtered.put("pii", spec.pii());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Json.write(filtered).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /**
     * A name within AWS's length: as it is when it fits, else cut and ended with a hash of the whole,
     * so two long names stay apart. Characters the profile name pattern refuses become '-'.
     */
    static String fitted(String name, int max) {
        String clean = name.replaceAll("[^0-9a-zA-Z:._-]", "-").replaceAll("[_-]{2,}", "-");
        if (clean.length() <= max) {
            return clean;
        }
        String hash = Integer.toHexString(name.hashCode() & 0x7fffffff);
        return clean.substring(0, max - hash.length() - 1) + "-" + hash;
    }
}
