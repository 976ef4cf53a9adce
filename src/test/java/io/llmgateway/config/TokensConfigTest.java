package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.BudgetUnit;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.TokenStoreSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Token limits per plan ({@code plans.<plan>.tokens}, {@code models}, {@code maxTokens}), model prices
 * and the token store's scalars: each rule with its whole message, and what the backend is told.
 */
class TokensConfigTest {

    private static Map<String, Object> withModels() {
        Map<String, Object> config = set(valid(), "models", map("nova-micro", "amazon.nova-micro-v1:0",
                "haiku", "anthropic.claude-3-haiku-20240307-v1:0"));
        return config;
    }

    private static StackConfig load(Map<String, Object> config) {
        return ConfigLoader.load(config, Set.of()).config();
    }

    @Test
    void aPlanWithoutTokenSettings_isUnlimited_andTheStoreDefaultsToRefuseWithoutPitr() {
        StackConfig config = load(valid());

        assertThat(config.planLimits().get("standard")).isEqualTo(PlanLimits.unlimited("standard"));
        assertThat(config.tokenStore().failureMode()).isEqualTo(TokenStoreSettings.FailureMode.REFUSE);
        assertThat(config.tokenStore().pointInTimeRecovery()).isFalse();
    }

    @Test
    void aTokenBudgetWithWeights_perMinute_models_andMaxTokens_reachTheBackendsLimits() {
        Map<String, Object> config = set(withModels(), "plans.standard.tokens", map("perMinute", 20000,
                "budget", map("limit", 1000000, "period", "WEEK"), "inputWeight", 1, "outputWeight", 4));
        config = set(config, "plans.standard.models", List.of("nova-micro"));
        config = set(config, "plans.standard.maxTokens", 512);

        PlanLimits limits = load(config).planLimits().get("standard");

        assertThat(limits.models()).contains(Set.of("nova-micro"));
        assertThat(limits.maxTokens()).hasValue(512);
        assertThat(limits.tokensPerMinute()).hasValue(20000);
        assertThat(limits.budget()).hasValueSatisfying(budget -> {
            assertThat(budget.limit()).isEqualTo(1_000_000);
            assertThat(budget.period()).isEqualTo(BudgetPeriod.WEEK);
            assertThat(budget.unit()).isEqualTo(BudgetUnit.TOKENS);
            // Nova's cache reads at a quarter of input, writes as input (PromptCaching.Family), in thousandths.
            assertThat(budget.ratesFor("nova-micro")).isEqualTo(new TokenRates(1, 4, 250, 1000, 1000));
        });
    }

    @Test
    void aUsdBudget_countsNanoDollars_withEachAllowedModelsPrice() {
        Map<String, Object> config = set(withModels(), "plans.standard.tokens",
                map("budget", map("limit", "25.5", "period", "MONTH", "unit", "usd")));
        config = set(config, "modelPrices", map("nova-micro", map("inputPerMillion", 0.035, "outputPerMillion", "0.14"),
                "haiku", map("inputPerMillion", 0.25, "outputPerMillion", 1.25)));

        PlanLimits limits = load(config).planLimits().get("standard");

        assertThat(limits.budget()).hasValueSatisfying(budget -> {
            assertThat(budget.unit()).isEqualTo(BudgetUnit.USD);
            assertThat(budget.limit()).isEqualTo(25_500_000_000L);
            // Unset cache prices follow the family's ratios, in thousandths of a nano-dollar per token.
            assertThat(budget.ratesFor("nova-micro")).isEqualTo(new TokenRates(35, 140, 8_750, 35_000, 35_000));
            assertThat(budget.ratesFor("haiku")).isEqualTo(new TokenRates(250, 1250, 25_000, 312_500, 500_000));
        });
    }

    @Test
    void aUsdBudget_withoutAPriceForAModelThePlanMayCall_isRefused_namingTheModelAndTheFix() {
        Map<String, Object> config = set(withModels(), "plans.standard.tokens",
                map("budget", map("limit", 10, "period", "DAY", "unit", "usd")));
        config = set(config, "modelPrices", map("nova-micro", map("inputPerMillion", 0.035, "outputPerMillion", 0.14)));

        assertThat(problems(config)).containsExactly("plans.standard.tokens.budget.unit: a USD budget needs a price for "
                + "every model the plan may call; no modelPrices for haiku. Set e.g. pulumi config set --path "
                + "'modelPrices.haiku.inputPerMillion' 0.035 (and outputPerMillion), or limit the plan with plans.standard.models");
        assertThat(load(set(config, "plans.standard.models", List.of("nova-micro"))).planLimits().get("standard").budget())
                .isPresent();
    }

    @Test
    void anAllowListNamingAnUnknownModel_isRefusedWithTheClosestAlias() {
        assertThat(problems(set(withModels(), "plans.standard.models", List.of("nova-mikro"))))
                .containsExactly("plans.standard.models[0]: no model 'nova-mikro' in models (did you mean 'nova-micro'?); "
                        + "models: nova-micro, haiku");
    }

    @Test
    void anEmptyOrRepeatingAllowList_isRefused() {
        assertThat(problems(set(withModels(), "plans.standard.models", List.of()))).containsExactly(
                "plans.standard.models: must not be empty: a plan with no model could call nothing; remove it to allow every model");
        assertThat(problems(set(withModels(), "plans.standard.models", List.of("haiku", "haiku"))))
                .containsExactly("plans.standard.models[1]: 'haiku' is listed twice");
        assertThat(problems(set(withModels(), "plans.standard.models", "haiku")))
                .containsExactly("plans.standard.models: must be a list of model aliases, e.g. [\"nova-micro\"], got 'haiku'");
    }

    @Test
    void aPlansMaxTokensAboveTheStacksCeiling_isRefused() {
        assertThat(problems(set(valid(), "plans.standard.maxTokens", 5000))).containsExactly(
                "plans.standard.maxTokens: 5000 is above maxTokensCeiling (4096); a plan's ceiling can only be lower than the stack's");
        assertThat(problems(set(valid(), "plans.standard.maxTokens", 0)))
                .containsExactly("plans.standard.maxTokens: 0 is out of range; allowed: 1-200000");
    }

    @Test
    void tokensWithNeitherLimit_badNumbers_andUnknownKeys_areRefusedByPath() {
        assertThat(problems(set(valid(), "plans.standard.tokens", map())))
                .containsExactly("plans.standard.tokens: set perMinute, budget or both (or remove plans.standard.tokens)");
        assertThat(problems(set(valid(), "plans.standard.tokens", map("perMinute", 0))))
                .containsExactly("plans.standard.tokens.perMinute: 0 is out of range; allowed: 1-1000000000 input plus "
                        + "output tokens per key and minute");
        assertThat(problems(set(valid(), "plans.standard.tokens", map("perMinit", 10)))).containsExactly(
                "plans.standard.tokens.perMinit: unknown key (did you mean 'perMinute'?); valid keys here: perMinute, budget, "
                        + "inputWeight, outputWeight, cacheReadWeight, cacheWriteWeight, cacheWrite1hWeight",
                "plans.standard.tokens: set perMinute, budget or both (or remove plans.standard.tokens)");
        assertThat(problems(set(valid(), "plans.standard.tokens", map("budget", map("limit", 10, "period", "YEAR")))))
                .containsExactly("plans.standard.tokens.budget.period: 'YEAR' is not a budget period; use DAY, WEEK or MONTH");
        assertThat(problems(set(valid(), "plans.standard.tokens", map("budget", map("limit", 10, "period", "DAY", "unit", "eur")))))
                .containsExactly("plans.standard.tokens.budget.unit: 'eur' is not a budget unit; use tokens or usd");
        assertThat(problems(set(valid(), "plans.standard.tokens", map("budget", map("limit", 2.5, "period", "DAY")))))
                .containsExactly("plans.standard.tokens.budget.limit: must be an integer, got 2.5");
    }

    @Test
    void weights_applyToATokenBudgetOnly() {
        assertThat(problems(set(valid(), "plans.standard.tokens", map("perMinute", 100, "outputWeight", 4))))
                .containsExactly("plans.standard.tokens.outputWeight: weights apply to a token budget, and this plan has "
                        + "none (perMinute counts raw tokens, as Bedrock's quotas do); add plans.standard.tokens.budget "
                        + "or remove plans.standard.tokens.outputWeight");
        Map<String, Object> usd = set(valid(), "plans.standard.tokens", map("inputWeight", 2,
                "budget", map("limit", 10, "period", "DAY", "unit", "usd")));
        usd = set(usd, "modelPrices", map("nova-micro", map("inputPerMillion", 0.035, "outputPerMillion", 0.14)));
        assertThat(problems(usd)).containsExactly("plans.standard.tokens.inputWeight: weights apply to a token budget; "
                + "a USD budget counts each model's modelPrices instead: remove plans.standard.tokens.inputWeight");
        assertThat(problems(set(valid(), "plans.standard.tokens", map("inputWeight", 0, "outputWeight", 0,
                "budget", map("limit", 10, "period", "DAY"))))).containsExactly(
                "plans.standard.tokens: inputWeight and outputWeight are both 0: the budget would count nothing");
    }

    @Test
    void prices_needAConfiguredModel_andAtMostThreeDecimals() {
        assertThat(problems(set(valid(), "modelPrices", map("nova-mikro", map("inputPerMillion", 1, "outputPerMillion", 1)))))
                .containsExactly("modelPrices.nova-mikro: no model 'nova-mikro' in models (did you mean 'nova-micro'?); models: nova-micro");
        assertThat(problems(set(valid(), "modelPrices", map("nova-micro", map("inputPerMillion", 0.0351, "outputPerMillion", 1)))))
                .containsExactly("modelPrices.nova-micro.inputPerMillion: 0.0351 has more than 3 decimals; budgets count "
                        + "whole nano-dollars per token (a price per million with 3 decimals)");
        assertThat(problems(set(valid(), "modelPrices", map("nova-micro", map("inputPerMillion", -1, "outputPerMillion", 1)))))
                .containsExactly("modelPrices.nova-micro.inputPerMillion: must be 0-10000 US dollars per million tokens, got -1");
        assertThat(problems(set(valid(), "modelPrices", map("nova-micro", map("inputPerMillion", 1)))))
                .containsExactly("modelPrices.nova-micro.outputPerMillion: required: US dollars per million tokens, e.g. 0.035");
    }

    @Test
    void theStoreScalars_areChecked() {
        assertThat(problems(set(valid(), "tokenStoreFailureMode", "ignore"))).containsExactly(
                "tokenStoreFailureMode: 'ignore' is not allowed; use refuse (503 with Retry-After) or serve (answer uncounted)");
        StackConfig config = load(set(set(valid(), "tokenStoreFailureMode", "serve"), "tokenTablePointInTimeRecovery", "true"));
        assertThat(config.tokenStore().failureMode()).isEqualTo(TokenStoreSettings.FailureMode.SERVE);
        assertThat(config.tokenStore().pointInTimeRecovery()).isTrue();
    }
}
