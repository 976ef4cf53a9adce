package io.llmgateway.config;

import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.Text;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads and validates the stack config, once, into a {@link StackConfig}. It reports every
 * problem in one {@link ConfigException}, each with its key path and what is allowed, and rejects
 * unknown keys at every level with the closest valid key, so a misspelled {@code rateLimt} can
 * never silently become a default. No message shows a value Pulumi holds as a secret, and none
 * echoes more than a bounded part of any value ({@link LoadReport}).
 *
 * <p>The sections, in the order they are read: the top-level keys, the Region, the scalars
 * ({@link ScalarSettings}), {@code models} ({@link ModelsReader}), {@code plans} ({@link PlansReader}),
 * {@code clients} ({@link ClientsReader}), {@code modelPrices} and what ties plans to models and prices
 * ({@link TokensReader}), how clients reach the API ({@link EdgeReader}), {@code alarms}
 * ({@link AlarmsReader}), {@code capacity} ({@link CapacityReader}), {@code streaming}
 * ({@link StreamingReader}), {@code responses} ({@link ResponseStorageReader}); then, for a valid config, the
 * warnings about risky limits ({@link RiskyLimits}) and the capacity report ({@link CapacityReport}).
 */
public final class ConfigLoader {

    /** The project name and config namespace. */
    public static final String NAMESPACE = "llm-gateway";
    public static final String MODELS = "models";
    public static final String PLANS = "plans";
    public static final String CLIENTS = "clients";
    /** Optional: USD prices per million tokens, per model alias, for USD budgets. */
    public static final String MODEL_PRICES = "modelPrices";
    public static final String ALARMS = "alarms";
    public static final String CAPACITY = "capacity";

    /**
     * A validated config, the warnings about settings that are allowed but risky, and what the config
     * can ask of the account ({@link CapacityReport}, with no secret value shown).
     */
    public record Result(StackConfig config, List<String> warnings, CapacityReport capacity) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private ConfigLoader() {
    }

    /** Every top-level key: the scalars of {@link Setting} and the objects. */
    public static List<String> topLevelKeys() {
        List<String> keys = Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toList());
        keys.addAll(objectKeys());
        return keys;
    }

    /** The top-level keys whose values are objects (Pulumi hands them to a program as JSON text). */
    public static List<String> objectKeys() {
        List<String> keys = new ArrayList<>(List.of(MODELS, PLANS, CLIENTS, MODEL_PRICES, GuardrailReader.PRICES_KEY));
        keys.addAll(EdgeReader.KEYS);
        keys.addAll(List.of(ALARMS, CAPACITY, StreamingReader.KEY, ResponseStorageReader.KEY));
        return keys;
    }

    /**
     * Validates values whose only secrecy information is Pulumi's top-level mark, with no Region known:
     * for configs built in code. Each supplied {@code apiKey} is then accepted on that mark alone, with
     * a warning.
     *
     * @param values     top-level keys without the namespace, to strings, numbers, booleans, maps,
     *                   lists or {@link EncryptedValue}
     * @param secretKeys top-level keys whose values Pulumi holds as secrets
     * @throws ConfigException listing every problem
     */
    public static Result load(Map<String, ?> values, Set<String> secretKeys) {
        return load(values, Secrets.withoutStackFile(secretKeys, "no stack file was given"), Optional.empty());
    }

    /**
     * @param values  top-level keys without the namespace
     * @param secrets which values are secret, from Pulumi and the stack file
     * @param region  the stack's AWS Region; when empty, which inference profiles fit it is not checked
     * @throws ConfigException listing every problem
     */
    public static Result load(Map<String, ?> values, Secrets secrets, Optional<StackRegion> region) {
        LoadReport report = new LoadReport(secrets);
        TypedValues typed = new TypedValues(report);

        unknownTopLevelKeys(values, report);
        Optional<StackRegion> checkedRegion = region.filter(r -> regionLooksValid(r, report));
        ScalarSettings.Scalars scalars = ScalarSettings.read(values, typed, report);
        Map<String, BedrockModelId> models = ModelsReader.read(values.get(MODELS), checkedRegion, typed, report);
        Map<String, String> promptCache = ModelsReader.promptCache(values.get(MODELS), models, typed, report);
        Map<String, Plan> plans = GuardrailReader.priced(PlansReader.read(values.get(PLANS), typed, report),
                GuardrailReader.globalPrices(values.get(GuardrailReader.PRICES_KEY), typed, report), report);
        PlanInferenceReport.checkSize(models, plans, report);
        Map<String, Client> clients = ClientsReader.read(values.get(CLIENTS),
                PlansReader.declaredNames(values.get(PLANS)), typed, report);
        Map<String, ModelPrice> prices = TokensReader.read(values.get(MODEL_PRICES), values.get(MODELS), models, plans,
                scalars.integer(Setting.MAX_TOKENS_CEILING), typed, report);
        Edge edge = EdgeReader.read(values, checkedRegion, typed, report);
        Alarms alarms = AlarmsReader.read(values.get(ALARMS), scalars.integer(Setting.INTEGRATION_TIMEOUT_MS), typed,
                report);
        Capacity capacity = CapacityReader.read(values.get(CAPACITY), models.keySet(), typed, report);
        Streaming streaming = StreamingReader.read(values.get(StreamingReader.KEY), typed, report);
        ResponseStorage responseStorage = ResponseStorageReader.read(values.get(ResponseStorageReader.KEY), typed, report);

        ResponseStorageReader.checkThrottles(plans, responseStorage, report);
        if (!report.problems().isEmpty()) {
            throw new ConfigException(report.problems());
        }
        ApiSettings api = scalars.api();
        RiskyLimits.warn(plans, api.stageThrottle(), report);
        StackConfig config = new StackConfig(scalars.string(Setting.STAGE_NAME), models, plans, clients, api,
                scalars.lambda(), scalars.limits(), scalars.logging(), scalars.tokenStore(prices), edge, alarms,
                capacity, streaming, promptCache, responseStorage);
        return new Result(config, report.warnings(), CapacityReport.of(config, report::isSecret));
    }

    private static void unknownTopLevelKeys(Map<String, ?> values, LoadReport report) {
        List<String> known = topLevelKeys();
        new TreeSet<>(values.keySet()).stream()
                .filter(key -> !known.contains(key))
                .forEach(key -> report.problem(NAMESPACE + ":" + Text.printable(key), "unknown key"
                        + Suggestions.didYouMean(key, known) + "; valid keys: " + String.join(", ", known)));
    }

    private static boolean regionLooksValid(StackRegion region, LoadReport report) {
        if (region.looksValid()) {
            return true;
        }
        report.problem(region.source(), Text.quote(region.name()) + " does not look like an AWS Region "
                + "(e.g. us-east-1, eu-west-1); set it with: pulumi config set aws:region <region>");
        return false;
    }
}
