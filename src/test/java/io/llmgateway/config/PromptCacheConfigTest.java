package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.TokenRates;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The prompt cache's settings: automatic cache points per model alias ({@code models.<alias>.promptCache}),
 * cache prices ({@code modelPrices.<alias>.cache*PerMillion}) and token-budget weights
 * ({@code plans.<plan>.tokens.cache*Weight}): what reaches the backend, and each refusal's message.
 */
class PromptCacheConfigTest {

    private static final String SONNET = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String SONNET_3_7 = "anthropic.claude-3-7-sonnet-20250219-v1:0";
    private static final String HAIKU_3 = "anthropic.claude-3-haiku-20240307-v1:0";

    private static Map<String, Object> withModel(String id, Object promptCache) {
        return set(valid(), "models", map("m", map("id", id, "promptCache", promptCache)));
    }

    @Test
    void promptCache_reachesTheBackendsEnvironment_perAlias() {
        StackConfig config = ConfigLoader.load(set(valid(), "models", map("sonnet", map("id", SONNET,
                "promptCache", "1h"), "nova", map("id", "amazon.nova-pro-v1:0", "promptCache", "5m"),
                "plain", "amazon.nova-micro-v1:0")), Set.of()).config();

        BackendSettings settings = config.backendSettings();
        assertThat(settings.promptCache()).isEqualTo(Map.of("sonnet", "1h", "nova", "5m"));
        assertThat(BackendSettings.fromEnvironment(settings.toEnvironment()).promptCache())
                .isEqualTo(settings.promptCache());
        assertThat(ConfigLoader.load(valid(), Set.of()).config().backendSettings().toEnvironment())
                .doesNotContainKey(BackendSettings.ENV_PROMPT_CACHE);
    }

    @Test
    void promptCache_isRefused_forABadTtl_aModelWithoutCaching_orAnHourWhereBedrockOffersNone() {
        assertThat(problems(withModel(SONNET, "2h"))).containsExactly("models.m.promptCache: '2h' is not allowed: "
                + "use '5m' or '1h' (the TTL of the automatic cache points), or remove models.m.promptCache for none");
        assertThat(problems(withModel(HAIKU_3, "5m"))).containsExactly("models.m.promptCache: '" + HAIKU_3
                + "' takes no prompt-cache points (Bedrock's prompt caching page lists the Claude and Amazon Nova "
                + "models that do; docs/prompt-caching.md); remove models.m.promptCache");
        assertThat(problems(withModel(SONNET_3_7, "1h")))
                .containsExactly("models.m.promptCache: '1h' is not offered for '" + SONNET_3_7 + "'; use '5m'");
        assertThat(ConfigLoader.load(withModel(SONNET_3_7, "5m"), Set.of()).config().promptCache())
                .isEqualTo(Map.of("m", "5m"));
    }

    @Test
    void cachePrices_setExplicitly_areChargedExactly_andTooManyDecimalsAreRefused() {
        Map<String, Object> config = set(valid(), "models", map("nova-micro", "amazon.nova-micro-v1:0"));
        config = set(config, "plans.standard.tokens", map("budget", map("limit", 10, "period", "DAY", "unit", "usd")));
        config = set(config, "modelPrices", map("nova-micro", map("inputPerMillion", new BigDecimal("0.035"),
                "outputPerMillion", new BigDecimal("0.14"), "cacheReadPerMillion", new BigDecimal("0.00875"),
                "cacheWritePerMillion", new BigDecimal("0.04"), "cacheWrite1hPerMillion", 0)));

        assertThat(ConfigLoader.load(config, Set.of()).config().planLimits().get("standard").budget().orElseThrow()
                .ratesFor("nova-micro")).isEqualTo(new TokenRates(35, 140, 8_750, 40_000, 0));
        assertThat(problems(set(config, "modelPrices.nova-micro.cacheReadPerMillion", "0.0000001")))
                .contains("modelPrices.nova-micro.cacheReadPerMillion: 0.0000001 has more than 6 decimals; "
                        + "budgets count cache tokens in whole thousandths of a nano-dollar per token (a price per "
                        + "million with 6 decimals)");
        assertThat(problems(set(config, "modelPrices.nova-micro.cacheWritePerMillion", -1))).contains(
                "modelPrices.nova-micro.cacheWritePerMillion: must be 0-10000 US dollars per million tokens, got -1");
    }

    @Test
    void cacheWeights_setExplicitly_reachTheBudget_andApplyToTokenBudgetsOnly() {
        Map<String, Object> config = set(valid(), "models", map("sonnet", SONNET));
        config = set(config, "plans.standard.tokens", map("budget", map("limit", 1000, "period", "DAY"),
                "inputWeight", 2, "cacheReadWeight", new BigDecimal("0.5"), "cacheWrite1hWeight", 3));

        assertThat(ConfigLoader.load(config, Set.of()).config().planLimits().get("standard").budget().orElseThrow()
                .ratesFor("sonnet")).as("an unset write weight follows Claude's 1.25 times inputWeight")
                .isEqualTo(new TokenRates(2, 1, 500, 2_500, 3_000));
        assertThat(problems(set(config, "plans.standard.tokens.cacheReadWeight", new BigDecimal("0.0001"))))
                .containsExactly("plans.standard.tokens.cacheReadWeight: 0.0001 has more than 3 decimals; allowed: "
                        + "0-1000 in steps of 0.001");
        assertThat(problems(set(config, "plans.standard.tokens", map("perMinute", 100, "cacheReadWeight", 1))))
                .containsExactly("plans.standard.tokens.cacheReadWeight: weights apply to a token budget, and this "
                        + "plan has none (perMinute counts raw tokens, as Bedrock's quotas do); add "
                        + "plans.standard.tokens.budget or remove plans.standard.tokens.cacheReadWeight");
    }
}
