package io.llmgateway.config;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.BedrockModelId.Geography;
import io.llmgateway.common.Json;
import io.llmgateway.common.ModelKind;
import io.llmgateway.common.PromptCaching;
import io.llmgateway.common.Text;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code models}: public alias to Bedrock model id or cross-Region inference-profile id, either as the
 * id itself or as {@code {id, kind}}. The kind (chat or embedding) follows from the id
 * ({@link ModelKind#of}); an operator may state it, and a stated kind that contradicts the id's family
 * is refused. An embedding model must be of a family the backend can call ({@link ModelKind.EmbeddingFamily}).
 */
final class ModelsReader {

    /**
     * Lambda's 4 KB limit on all environment variables together (Lambda developer guide, "Working with
     * Lambda environment variables"), less room for the others: the aliases travel as one JSON object.
     */
    static final int MAX_MODELS_JSON_BYTES = 2_950;

    /** {@code models.<alias>.promptCache}: the TTL of the automatic cache points, {@code 5m} or {@code 1h}. */
    static final String PROMPT_CACHE = "promptCache";

    private static final List<String> MODEL_KEYS = List.of("id", "kind", PROMPT_CACHE);

    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private final TypedValues typed;
    private final LoadReport report;
    private final Optional<StackRegion> region;

    private ModelsReader(TypedValues typed, LoadReport report, Optional<StackRegion> region) {
        this.typed = typed;
        this.report = report;
        this.region = region;
    }

    /**
     * @param region the stack's Region, already checked; empty when unknown, and then a profile's
     *               geography cannot be checked
     */
    static Map<String, BedrockModelId> read(Object node, Optional<StackRegion> region, TypedValues typed, LoadReport report) {
        return new ModelsReader(typed, report, region).read(node);
    }

    private Map<String, BedrockModelId> read(Object node) {
        KeyPath modelsPath = KeyPath.of(ConfigLoader.MODELS);
        Map<String, BedrockModelId> models = new LinkedHashMap<>();
        Map<String, Object> map = typed.requiredMap(modelsPath, node,
                "the public model aliases, e.g. {\"nova-micro\": \"amazon.nova-micro-v1:0\"}");
        if (map == null) {
            return models;
        }
        map.forEach((alias, value) -> {
            KeyPath path = modelsPath.child(alias);
            if (!ALIAS.matcher(alias).matches()) {
                report.problem(path, "alias " + Text.quote(alias)
                        + " is not allowed: use 1-64 letters, digits, '.', '_', ':' or '-'");
            }
            String id;
            KeyPath idPath = path;
            Optional<ModelKind> stated = Optional.empty();
            if (value instanceof Map<?, ?>) {
                Map<String, Object> fields = typed.object(path, value, MODEL_KEYS);
                if (fields == null) {
                    return;
                }
                idPath = path.child("id");
                if (fields.get("id") == null) {
                    report.problem(idPath, "required: the Bedrock model id or inference-profile id");
                    return;
                }
                id = typed.string(idPath, fields.get("id"));
                if (fields.get("kind") != null) {
                    stated = kind(path.child("kind"), fields.get("kind"));
                    if (stated.isEmpty()) {
                        return;
                    }
                }
            } else {
                id = typed.string(path, value);
            }
            if (id == null) {
                return;
            }
            if (!BedrockModelId.looksValid(id)) {
                report.problem(idPath, report.show(idPath, id) + " does not look like a Bedrock model id or inference-profile id "
                        + "(expected e.g. amazon.nova-micro-v1:0 or us.anthropic.claude-3-5-haiku-20241022-v1:0)");
                return;
            }
            BedrockModelId model = new BedrockModelId(id);
            if (region.isPresent() && !fitsRegion(idPath, model, region.get())) {
                return;
            }
            if (!kindFits(path, idPath, model, stated)) {
                return;
            }
            models.put(alias, model);
        });
        int size = Json.write(models.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().id(), (a, b) -> a, LinkedHashMap::new)))
                .getBytes(StandardCharsets.UTF_8).length
                // The automatic prompt-cache settings travel beside the aliases, in a variable of their own.
                + (map.values().stream().anyMatch(v -> v instanceof Map<?, ?> m && m.get(PROMPT_CACHE) != null)
                ? BackendSettings.ENV_PROMPT_CACHE.length() + Json.write(promptCacheOf(map))
                .getBytes(StandardCharsets.UTF_8).length : 0);
        if (size > MAX_MODELS_JSON_BYTES) {
            report.problem(modelsPath, "the aliases take " + size + " bytes, above the " + MAX_MODELS_JSON_BYTES
                    + " bytes the backend's 4 KB Lambda environment leaves for them; use fewer or shorter aliases");
        }
        return models;
    }

    /** Alias to the {@code promptCache} value as given, for its share of the environment. */
    private static Map<String, Object> promptCacheOf(Map<String, Object> models) {
        Map<String, Object> cache = new LinkedHashMap<>();
        models.forEach((alias, value) -> {
            if (value instanceof Map<?, ?> m && m.get(PROMPT_CACHE) != null) {
                cache.put(alias, m.get(PROMPT_CACHE));
            }
        });
        return cache;
    }

    /**
     * {@code models.<alias>.promptCache}: the aliases whose requests get automatic prompt-cache points
     * (after the tools and after the system prompt, where the prefix reaches the model's minimum), with
     * the TTL of those points. Only for a model that takes cache points, and {@code 1h} only where it
     * offers that TTL ({@link PromptCaching}): Bedrock refuses either otherwise.
     *
     * @param models the valid models, from {@link #read}
     */
    static Map<String, String> promptCache(Object node, Map<String, BedrockModelId> models, TypedValues typed,
                                           LoadReport report) {
        Map<String, String> cache = new LinkedHashMap<>();
        if (!(node instanceof Map<?, ?> map)) {
            return cache;
        }
        map.forEach((alias, value) -> {
            if (!(value instanceof Map<?, ?> fields) || fields.get(PROMPT_CACHE) == null
                    || !models.containsKey((String) alias)) {
                return;
            }
            KeyPath path = KeyPath.of(ConfigLoader.MODELS).child((String) alias).child(PROMPT_CACHE);
            String ttl = typed.string(path, fields.get(PROMPT_CACHE));
            if (ttl == null) {
                return;
            }
            if (!BackendSettings.PROMPT_CACHE_TTLS.contains(ttl)) {
                report.problem(path, report.show(path, ttl) + " is not allowed: use '5m' or '1h' (the TTL of the "
                        + "automatic cache points), or remove " + path + " for none");
                return;
            }
            BedrockModelId model = models.get((String) alias);
            Optional<PromptCaching> caching = PromptCaching.of(model.id());
            if (caching.isEmpty()) {
                report.problem(path, report.show(KeyPath.of(ConfigLoader.MODELS).child((String) alias), model.id())
                        + " takes no prompt-cache points (Bedrock's prompt caching page lists the Claude and Amazon "
                        + "Nova models that do; docs/prompt-caching.md); remove " + path);
                return;
            }
            if (ttl.equals("1h") && !caching.get().oneHour()) {
                report.problem(path, "'1h' is not offered for " + report.show(KeyPath.of(ConfigLoader.MODELS)
                        .child((String) alias), model.id()) + "; use '5m'");
                return;
            }
            cache.put((String) alias, ttl);
        });
        return cache;
    }

    private Optional<ModelKind> kind(KeyPath path, Object node) {
        String name = typed.string(path, node);
        if (name == null) {
            return Optional.empty();
        }
        Optional<ModelKind> kind = ModelKind.named(name);
        if (kind.isEmpty()) {
            report.problem(path, report.show(path, name) + " is not a model kind; use "
                    + Arrays.stream(ModelKind.values()).map(k -> "'" + k.configName() + "'").collect(Collectors.joining(" or ")));
        }
        return kind;
    }

    /**
     * The id decides the kind: a stated kind must agree with it, and an embedding model must be one
     * whose InvokeModel body the backend knows.
     */
    private boolean kindFits(KeyPath path, KeyPath idPath, BedrockModelId model, Optional<ModelKind> stated) {
        ModelKind inferred = ModelKind.of(model);
        String shown = report.show(idPath, model.id());
        if (stated.isPresent() && stated.get() != inferred) {
            report.problem(path.child("kind"), "'" + stated.get().configName() + "' contradicts " + shown + ", which is "
                    + (inferred == ModelKind.EMBEDDING ? "an embedding model (served by POST /v1/embeddings)"
                    : "a chat model (served by POST /v1/chat/completions)")
                    + "; drop 'kind' or set it to '" + inferred.configName() + "'");
            return false;
        }
        if (inferred == ModelKind.EMBEDDING && ModelKind.EmbeddingFamily.of(model).isEmpty()) {
            report.problem(idPath, shown + " is an embedding model this gateway cannot call; embeddings work with "
                    + ModelKind.EmbeddingFamily.supported());
            return false;
        }
        return true;
    }

    /**
     * A cross-Region inference profile is called from the stack's Region (its source Region) and is
     * offered only in the Regions of its geography (Bedrock user guide, "Supported Regions and models
     * for inference profiles"): a {@code us.} profile called from eu-west-1 fails on every request.
     */
    private boolean fitsRegion(KeyPath path, BedrockModelId model, StackRegion stackRegion) {
        Optional<Geography> geography = model.geography();
        String region = stackRegion.name();
        if (geography.isEmpty() || geography.get().servesFrom(region)) {
            return true;
        }
        Geography wrong = geography.get();
        boolean hidden = report.isSecret(path);
        List<Geography> fitting = Geography.servingFrom(region);
        String instead;
        if (fitting.isEmpty()) {
            instead = "No cross-Region inference profile can be called from " + region + "; use the model id without "
                    + "the geography prefix" + (hidden ? "" : " (" + model.foundationModelId() + ")");
        } else {
            instead = "Use a profile of " + region + "'s geography: "
                    + fitting.stream().map(g -> hidden ? "'" + g.prefix() + ".'" : "'" + g.prefix() + "." + model.foundationModelId() + "'")
                            .collect(Collectors.joining(" or "))
                    + " where Bedrock offers it";
        }
        report.problem(path, (hidden ? "the profile " + LoadReport.HIDDEN : report.show(path, model.id()))
                + " is a cross-Region inference profile of geography '" + wrong.prefix() + "', which can be called only from "
                + wrong.regions() + ", but the stack deploys to " + region + " (" + stackRegion.source() + "). "
                + instead + ", or set aws:region to one of " + wrong.regions() + ", such as " + wrong.exampleRegion());
        return false;
    }
}
