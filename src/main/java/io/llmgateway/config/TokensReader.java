package io.llmgateway.config;

import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.BudgetUnit;
import io.llmgateway.common.PromptCaching;
import io.llmgateway.common.Text;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code modelPrices}, and the rules that tie the plans' token settings to the models: an allow-list
 * names configured aliases, a plan's {@code maxTokens} is within {@code maxTokensCeiling}, and a USD
 * budget has a price for every model its plan may call.
 */
final class TokensReader {

    private static final List<String> PRICE_KEYS = List.of("inputPerMillion", "outputPerMillion",
            "cacheReadPerMillion", "cacheWritePerMillion", "cacheWrite1hPerMillion");
    /** Dollars per million tokens: far above any Bedrock price, and small enough for a long of nano-dollars. */
    static final int MAX_PRICE_PER_MILLION = 10_000;

    private final TypedValues typed;
    private final LoadReport report;

    private TokensReader(TypedValues typed, LoadReport report) {
        this.typed = typed;
        this.report = report;
    }

    /**
     * @param modelsNode    {@code models} as given, to tell a price for a declared alias with problems
     *                      from one for an unknown alias
     * @param models        the valid models
     * @param plans         the valid plans
     * @param ceiling       {@code maxTokensCeiling}, null when it was refused
     * @return the valid prices
     */
    static Map<String, ModelPrice> read(Object node, Object modelsNode, Map<String, BedrockModelId> models,
                                        Map<String, Plan> plans, Integer ceiling, TypedValues typed, LoadReport report) {
        TokensReader reader = new TokensReader(typed, report);
        Set<String> declared = PlansReader.declaredNames(modelsNode);
        Map<String, ModelPrice> prices = reader.prices(node, declared, models);
        plans.values().forEach(plan -> reader.plan(plan, declared, prices, ceiling));
        return prices;
    }

    private Map<String, ModelPrice> prices(Object node, Set<String> declared, Map<String, BedrockModelId> models) {
        Map<String, ModelPrice> prices = new TreeMap<>();
        if (node == null) {
            return prices;
        }
        KeyPath pricesPath = KeyPath.of(ConfigLoader.MODEL_PRICES);
        Map<String, Object> map = typed.object(pricesPath, node, null);
        if (map == null) {
            return prices;
        }
        map.forEach((alias, value) -> {
            KeyPath path = pricesPath.child(alias);
            if (!declared.contains(alias)) {
                report.problem(path, "no model " + Text.quote(alias) + " in " + ConfigLoader.MODELS
                        + Suggestions.didYouMean(alias, declared) + "; models: " + String.join(", ", declared));
                return;
            }
            Map<String, Object> price = typed.object(path, value, PRICE_KEYS);
            if (price == null) {
                return;
            }
            Long input = perToken(path.child("inputPerMillion"), price.get("inputPerMillion"));
            Long output = perToken(path.child("outputPerMillion"), price.get("outputPerMillion"));
            if (input == null || output == null) {
                return;
            }
            // Unset cache prices follow the model family's ratios to its input price (PromptCaching.Family).
            PromptCaching.Family family = models.containsKey(alias)
                    ? PromptCaching.Family.of(models.get(alias).id()) : PromptCaching.Family.OTHER;
            Long read = cachePerToken(path.child("cacheReadPerMillion"), price.get("cacheReadPerMillion"),
                    input * family.readThousandths());
            Long write = cachePerToken(path.child("cacheWritePerMillion"), price.get("cacheWritePerMillion"),
                    input * family.writeThousandths());
            Long writeLong = cachePerToken(path.child("cacheWrite1hPerMillion"), price.get("cacheWrite1hPerMillion"),
                    input * family.writeLongThousandths());
            if (read != null && write != null && writeLong != null) {
                prices.put(alias, new ModelPrice(input, output, read, write, writeLong));
            }
        });
        return prices;
    }

    /** US dollars per million tokens, to nano-dollars per token (times 1,000): at most three decimals. */
    private Long perToken(KeyPath path, Object node) {
        if (node == null) {
            report.problem(path, "required: US dollars per million tokens, e.g. 0.035");
            return null;
        }
        return scaled(path, node, 3, "budgets count whole nano-dollars per token "
                + "(a price per million with 3 decimals)");
    }

    /**
     * A prompt-cache price, US dollars per million tokens, to thousandths of a nano-dollar per token
     * (times 1,000,000): at most six decimals.
     *
     * @param otherwise the price when none is set, in the same unit
     */
    private Long cachePerToken(KeyPath path, Object node, long otherwise) {
        if (node == null) {
            return otherwise;
        }
        return scaled(path, node, 6, "budgets count cache tokens in whole thousandths of a nano-dollar per token "
                + "(a price per million with 6 decimals)");
    }

    /**
     * A set price, US dollars per million tokens (0 to {@value #MAX_PRICE_PER_MILLION}), times
     * 10^{@code decimals}; null when it is refused.
     *
     * @param why why no more decimals are taken, for the error
     */
    private Long scaled(KeyPath path, Object node, int decimals, String why) {
        TypedValues.Num n = typed.number(path, node);
        if (n == null) {
            return null;
        }
        if (n.value().signum() < 0 || n.value().compareTo(BigDecimal.valueOf(MAX_PRICE_PER_MILLION)) > 0) {
            report.problem(path, "must be 0-" + MAX_PRICE_PER_MILLION + " US dollars per million tokens, got " + n.shown());
            return null;
        }
        BigDecimal scaled = n.value().movePointRight(decimals);
        if (!Numbers.isWhole(scaled)) {
            report.problem(path, n.shown() + " has more than " + decimals + " decimals; " + why);
            return null;
        }
        return scaled.longValueExact();
    }

    private void plan(Plan plan, Set<String> declared, Map<String, ModelPrice> prices, Integer ceiling) {
        KeyPath planPath = KeyPath.of(ConfigLoader.PLANS).child(plan.name());
        plan.models().ifPresent(models -> {
            for (int i = 0; i < models.size(); i++) {
                String alias = models.get(i);
                if (!declared.contains(alias)) {
                    KeyPath path = planPath.child("models").element(i);
                    report.problem(path, "no model " + report.show(path, alias) + " in " + ConfigLoader.MODELS
                            + (report.isSecret(path) ? "" : Suggestions.didYouMean(alias, declared))
                            + "; models: " + String.join(", ", declared));
                }
            }
        });
        if (plan.maxTokens().isPresent() && ceiling != null && plan.maxTokens().getAsInt() > ceiling) {
            KeyPath path = planPath.child("maxTokens");
            report.problem(path, report.showNumber(path, plan.maxTokens().getAsInt()) + " is above maxTokensCeiling ("
                    + report.showNumber(KeyPath.of(Setting.MAX_TOKENS_CEILING.key()), ceiling)
                    + "); a plan's ceiling can only be lower than the stack's");
        }
        boolean usd = plan.tokens().flatMap(PlanTokens::budget).map(b -> b.unit() == BudgetUnit.USD).orElse(false);
        if (usd) {
            List<String> unpriced = new ArrayList<>();
            for (String alias : plan.models().orElse(List.copyOf(declared))) {
                if (declared.contains(alias) && !prices.containsKey(alias)) {
                    unpriced.add(alias);
                }
            }
            if (!unpriced.isEmpty()) {
                KeyPath path = planPath.child("tokens").child("budget").child("unit");
                report.problem(path, "a USD budget needs a price for every model the plan may call; no "
                        + ConfigLoader.MODEL_PRICES + " for " + String.join(", ", unpriced) + ". Set e.g. "
                        + "pulumi config set --path '" + KeyPath.of(ConfigLoader.MODEL_PRICES).child(unpriced.get(0))
                        .child("inputPerMillion") + "' 0.035 (and outputPerMillion)"
                        + (plan.models().isEmpty() ? ", or limit the plan with " + planPath.child("models") : ""));
            }
        }
    }
}
