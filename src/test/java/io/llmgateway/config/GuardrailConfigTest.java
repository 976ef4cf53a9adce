package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.GuardrailPolicy;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** plans.*.costAllocation, plans.*.guardrail and guardrailPrices: what is read, and what is refused with which message. */
class GuardrailConfigTest {

    private static final String PLAN = "plans.standard";

    private static Plan plan(Map<String, Object> config) {
        return ConfigLoader.load(config, Set.of()).config().plans().get("standard");
    }

    @Test
    void aDeclaredGuardrail_isReadSorted_withTheDefaultsForItsMessages_andPricedOverTheGlobalPrices() {
        Map<String, Object> config = set(valid(), PLAN + ".guardrail", map(
                "contentFilters", map("PROMPT_ATTACK", map("input", "HIGH", "output", "NONE"),
                        "HATE", map("input", "LOW", "output", "MEDIUM")),
                "pii", map("US_PASSPORT_NUMBER", "BLOCK", "EMAIL", "ANONYMIZE"),
                "prices", map("contentPolicy", new BigDecimal("0.2"))));
        config = set(config, "guardrailPrices", map("contentPolicy", new BigDecimal("0.15"),
                "sensitiveInformationPolicy", new BigDecimal("0.1")));
        GuardrailSpec.Declared spec = (GuardrailSpec.Declared) plan(config).guardrail().orElseThrow();
        assertThat(spec.contentFilters()).containsExactly(new GuardrailSpec.ContentFilter("HATE", "LOW", "MEDIUM"),
                new GuardrailSpec.ContentFilter("PROMPT_ATTACK", "HIGH", "NONE"));
        assertThat(spec.pii()).containsExactly(Map.entry("EMAIL", "ANONYMIZE"), Map.entry("US_PASSPORT_NUMBER", "BLOCK"));
        assertThat(spec.blockedInputMessage()).isEqualTo(GuardrailReader.DEFAULT_BLOCKED_INPUT);
        // USD per 1,000 text units as nano-dollars per unit: the plan's own price wins.
        assertThat(spec.unitPrices()).isEqualTo(Map.of(GuardrailPolicy.CONTENT, 200_000L,
                GuardrailPolicy.SENSITIVE_INFORMATION, 100_000L));
    }

    @Test
    void costAllocation_isOnWhenSet_offWithEnabledFalse_andAbsentByDefault() {
        assertThat(plan(valid()).allocatesCosts()).isFalse();
        assertThat(plan(set(valid(), PLAN + ".costAllocation", map())).allocatesCosts()).isTrue();
        Plan off = plan(set(valid(), PLAN + ".costAllocation", map("enabled", "false", "tags", map("team", "a"))));
        assertThat(off.allocatesCosts()).isFalse();
        assertThat(off.costAllocation().orElseThrow().tags()).isEqualTo(Map.of("team", "a"));
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(PLAN + ".guardrail", map("contentFilters", map("HATE", map("input", "EXTREME", "output", "LOW"))),
                        "plans.standard.guardrail.contentFilters.HATE.input: 'EXTREME' is not a filter strength; "
                                + "use one of NONE, LOW, MEDIUM, HIGH"),
                Arguments.of(PLAN + ".guardrail", map("contentFilters", map("HATRED", map("input", "LOW", "output", "LOW"))),
                        "plans.standard.guardrail.contentFilters.HATRED: 'HATRED' is not a content filter type "
                                + "(did you mean 'HATE'?); use one of HATE, INSULTS, SEXUAL, VIOLENCE, MISCONDUCT, PROMPT_ATTACK"),
                Arguments.of(PLAN + ".guardrail", map("contentFilters", map("PROMPT_ATTACK", map("input", "HIGH", "output", "HIGH"))),
                        "plans.standard.guardrail.contentFilters.PROMPT_ATTACK.output: must be NONE: a prompt attack "
                                + "filter applies to prompts only, and Bedrock refuses any other output strength for it"),
                Arguments.of(PLAN + ".guardrail", map("pii", map("EMAIL", "REDACT")),
                        "plans.standard.guardrail.pii.EMAIL: 'REDACT' is not a PII action; use one of BLOCK, ANONYMIZE"),
                Arguments.of(PLAN + ".guardrail", map("pii", map("SSN", "BLOCK")),
                        "plans.standard.guardrail.pii.SSN: 'SSN' is not a PII entity type"),
                Arguments.of(PLAN + ".guardrail", map("id", "abc123"),
                        "plans.standard.guardrail.version: required with id"),
                Arguments.of(PLAN + ".guardrail", map("id", "Not-An-Id", "version", "1"),
                        "plans.standard.guardrail.id: 'Not-An-Id' is not a guardrail id or ARN"),
                Arguments.of(PLAN + ".guardrail", map("id", "abc123", "version", "0"),
                        "plans.standard.guardrail.version: '0' is not a guardrail version; use a number from 1 to 99999999, or DRAFT"),
                Arguments.of(PLAN + ".guardrail", map("id", "abc123", "version", "1", "words", List.of("x")),
                        "plans.standard.guardrail: either name an existing guardrail (id, version) or declare one"),
                Arguments.of(PLAN + ".guardrail", map("blockedInputMessage", "No."),
                        "plans.standard.guardrail: set id and version of an existing guardrail, or declare one"),
                Arguments.of(PLAN + ".guardrail", map("deniedTopics", List.of(map("name", "a/b", "definition", "x"))),
                        "plans.standard.guardrail.deniedTopics[0].name: 'a/b' is not allowed"),
                Arguments.of(PLAN + ".guardrail", map("words", List.of("x"), "managedWordLists", List.of("SLURS")),
                        "plans.standard.guardrail.managedWordLists[0]: 'SLURS' is not a value here; use one of PROFANITY"),
                Arguments.of(PLAN + ".guardrail", map("words", List.of("x"), "prices", map("wordPolicy", "0.0000001")),
                        "plans.standard.guardrail.prices.wordPolicy: 0.0000001 has more than 6 decimals"),
                Arguments.of(PLAN + ".guardrail", map("words", List.of("x"), "prices", map("contentPolcy", 1)),
                        "plans.standard.guardrail.prices.contentPolcy: 'contentPolcy' is not a guardrail policy (did you mean 'contentPolicy'?)"),
                Arguments.of(PLAN + ".costAllocation", map("tags", map("aws:team", "a")),
                        "plans.standard.costAllocation.tags[\"aws:team\"]: tag key 'aws:team' is reserved"),
                Arguments.of(PLAN + ".costAllocation", map("tags", map("team", "a;b")),
                        "plans.standard.costAllocation.tags.team: the tag's value 'a;b' is not allowed"),
                Arguments.of(PLAN + ".costAllocation", map("enabled", "yes"),
                        "plans.standard.costAllocation.enabled: must be true or false"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void aBadValueIsRefused_namingItsKeyAndWhatIsAllowed(String path, Object value, String message) {
        assertThat(problems(set(valid(), path, value))).anySatisfy(p -> assertThat(p).startsWith(message));
    }

    @Test
    void aUsdBudgetWithAGuardrail_needsPricesForWhatTheGuardrailBills() {
        Map<String, Object> config = set(valid(), "modelPrices", map("nova-micro",
                map("inputPerMillion", 1, "outputPerMillion", 1)));
        config = set(config, PLAN + ".tokens", map("budget", map("limit", 5, "period", "DAY", "unit", "usd")));
        config = set(config, PLAN + ".guardrail", map("words", List.of("x"), "deniedTopics",
                List.of(map("name", "Stocks", "definition", "Which stocks to buy"))));
        assertThat(problems(config)).containsExactly("plans.standard.guardrail.prices: the plan has a USD budget and a "
                + "guardrail, so its guardrail's text units need prices (USD per 1,000 text units) for topicPolicy; set "
                + "them here or in guardrailPrices, e.g. pulumi config set --path 'guardrailPrices.topicPolicy' 0.15");
        // Word filters are free: only the topic policy needs a price.
        assertThat(plan(set(config, "guardrailPrices", map("topicPolicy", new BigDecimal("0.15")))).guardrail()
                .orElseThrow().unitPrices()).isEqualTo(Map.of(GuardrailPolicy.TOPIC, 150_000L));
    }

    @Test
    void theCapacityReportMentionsTheGuardrailsTextUnits_andTheProfiles() {
        Map<String, Object> config = set(valid(), PLAN + ".guardrail", map("words", List.of("x"),
                "prices", map("topicPolicy", new BigDecimal("0.15"), "contentPolicy", new BigDecimal("0.15"))));
        config = set(config, PLAN + ".costAllocation", map());
        List<String> lines = ConfigLoader.load(config, Set.of()).capacity().lines().stream()
                .map(CapacityReport.Line::text).toList();
        assertThat(lines).contains("Guardrail, plan standard: every call also bills guardrail text units (1,000 "
                + "characters of prompt and of answer each, per policy), $0.3 per 1,000 units at the configured "
                + "prices; not in the daily cost above.");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("Cost allocation: 1 application inference profile "));
        assertThat(ConfigLoader.load(valid(), Set.of()).capacity().lines()).noneSatisfy(l ->
                assertThat(l.text()).startsWith("Guardrail").startsWith("Cost allocation"));
    }

    @Test
    void profilesThatWouldNotFitTheEntitlementsPlansItem_areRefused() {
        Map<String, Object> models = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            models.put("m".repeat(60) + String.format("%03d", i), "amazon.nova-micro-v1:0");
        }
        Map<String, Object> plans = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            plans.put("p" + i, map("throttle", map("rateLimit", 1, "burstLimit", 1), "costAllocation", map()));
        }
        Map<String, Object> config = set(set(valid(), "models", models), "plans", plans);
        config = set(config, "clients", map("acme", map("plan", "p0")));
        assertThat(problems(config)).anySatisfy(p -> assertThat(p).startsWith(
                "plans: 2000 application inference profiles would take about 326 KB of the entitlements' plans item"));
        plans.keySet().removeIf(p -> !p.matches("p[0-9]"));
        assertThat(ConfigLoader.load(set(config, "plans", plans), Set.of()).config().plans()).hasSize(10);
    }
}
