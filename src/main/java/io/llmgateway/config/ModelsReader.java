package io.llmgateway.config;

import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.BedrockModelId.Geography;
import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code models}: public alias to Bedrock model id or cross-Region inference-profile id. */
final class ModelsReader {

    /**
     * Lambda's 4 KB limit on all environment variables together (Lambda developer guide, "Working with
     * Lambda environment variables"), less room for the others: the aliases travel as one JSON object.
     */
    static final int MAX_MODELS_JSON_BYTES = 3_000;

    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private final TypedValues typed;
    private final Report report;
    private final Optional<StackRegion> region;

    private ModelsReader(TypedValues typed, Report report, Optional<StackRegion> region) {
        this.typed = typed;
        this.report = report;
        this.region = region;
    }

    /**
     * @param region the stack's Region, already checked; empty when unknown, and then a profile's
     *               geography cannot be checked
     */
    static Map<String, BedrockModelId> read(Object node, Optional<StackRegion> region, TypedValues typed, Report report) {
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
            String id = typed.string(path, value);
            if (id == null) {
                return;
            }
            if (!BedrockModelId.looksValid(id)) {
                report.problem(path, report.show(path, id) + " does not look like a Bedrock model id or inference-profile id "
                        + "(expected e.g. amazon.nova-micro-v1:0 or us.anthropic.claude-3-5-haiku-20241022-v1:0)");
                return;
            }
            BedrockModelId model = new BedrockModelId(id);
            if (region.isPresent() && !fitsRegion(path, model, region.get())) {
                return;
            }
            models.put(alias, model);
        });
        int size = Json.write(models.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, e -> e.getValue().id(), (a, b) -> a, LinkedHashMap::new)))
                .getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_MODELS_JSON_BYTES) {
            report.problem(modelsPath, "the aliases take " + size + " bytes, above the " + MAX_MODELS_JSON_BYTES
                    + " bytes the backend's 4 KB Lambda environment leaves for them; use fewer or shorter aliases");
        }
        return models;
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
        report.problem(path, (hidden ? "the profile " + Report.HIDDEN : report.show(path, model.id()))
                + " is a cross-Region inference profile of geography '" + wrong.prefix() + "', which can be called only from "
                + wrong.regions() + ", but the stack deploys to " + region + " (" + stackRegion.source() + "). "
                + instead + ", or set aws:region to one of " + wrong.regions() + ", such as " + wrong.exampleRegion());
        return false;
    }
}
