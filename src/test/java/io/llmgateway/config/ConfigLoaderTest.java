package io.llmgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per validation rule of {@link ConfigLoader}, each asserting the whole message: the key
 * path in {@code pulumi config set --path} syntax and what is allowed.
 */
class ConfigLoaderTest {

    /** A small valid config, as typed YAML values; each test breaks one thing. */
    private static Map<String, Object> valid() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("models", map("nova-micro", "amazon.nova-micro-v1:0"));
        config.put("plans", map("standard", map(
                "throttle", map("rateLimit", 10, "burstLimit", 20),
                "quota", map("limit", 1000, "period", "DAY", "offset", 0))));
        config.put("clients", map("acme", map("plan", "standard")));
        return config;
    }

    @Test
    void theValidConfigLoads() {
        GatewayConfig config = ConfigLoader.load(valid(), Set.of()).config();
        assertThat(config.plans().get("standard").throttle()).isEqualTo(new Throttle(10, 20));
        assertThat(config.clients().get("acme").key()).isInstanceOf(ClientKey.Generated.class);
    }

    @Test
    void bothStackFilesOfTheRepositoryAreValid() throws Exception {
        assertThatCode(() -> StackFile.read(Path.of("Pulumi.dev.yaml")).load()).doesNotThrowAnyException();
        assertThatCode(() -> StackFile.read(Path.of("Pulumi.prod.yaml")).load()).doesNotThrowAnyException();
    }

    // ---- throttles ---------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1"})
    void aRateLimitOfZeroOrLessIsRejected(String rate) {
        assertThat(problems(set(valid(), "plans.standard.throttle.rateLimit", Integer.parseInt(rate)))).containsExactly(
                "plans.standard.throttle.rateLimit: must be a number > 0 (requests per second, fractions allowed), got " + rate);
    }

    @Test
    void aRateLimitThatIsNotANumberIsRejected() {
        assertThat(problems(set(valid(), "plans.standard.throttle.rateLimit", "fast")))
                .containsExactly("plans.standard.throttle.rateLimit: must be a number, got 'fast'");
    }

    @Test
    void anInfiniteRateLimitIsRejectedAsAProblemNotACrash() {
        assertThat(problems(set(valid(), "plans.standard.throttle.rateLimit", "1e400"))).containsExactly(
                "plans.standard.throttle.rateLimit: must be a number > 0 (requests per second, fractions allowed), got Infinity");
    }

    @Test
    void aFractionalRateLimitIsAcceptedAsTheStringPulumiConfigSetStores() {
        GatewayConfig config = ConfigLoader.load(set(valid(), "plans.standard.throttle.rateLimit", "0.5"), Set.of()).config();
        assertThat(config.plans().get("standard").throttle().rateLimit()).isEqualTo(0.5);
    }

    @Test
    void aBurstLimitBelowOneIsRejected() {
        assertThat(problems(set(valid(), "plans.standard.throttle.burstLimit", 0)))
                .containsExactly("plans.standard.throttle.burstLimit: must be an integer >= 1, got 0");
    }

    @Test
    void aBurstLimitThatIsNotAnIntegerIsRejected() {
        assertThat(problems(set(valid(), "plans.standard.throttle.burstLimit", 2.5)))
                .containsExactly("plans.standard.throttle.burstLimit: must be an integer, got 2.5");
        assertThat(problems(set(valid(), "plans.standard.throttle.burstLimit", "lots")))
                .containsExactly("plans.standard.throttle.burstLimit: must be an integer, got 'lots'");
    }

    @Test
    void aThrottleNeedsBothRateAndBurstBecauseAnUnsetFieldAllowsNothing() {
        assertThat(problems(set(valid(), "plans.standard.throttle", map("rateLimit", 10)))).containsExactly(
                "plans.standard.throttle.burstLimit: required: the bucket size, an integer >= 1 "
                        + "(AWS reads an unset burst as 0, which allows nothing)");
    }

    // ---- quotas ------------------------------------------------------------------------------------

    @Test
    void aQuotaPeriodOtherThanDayWeekOrMonthIsRejected() {
        assertThat(problems(set(valid(), "plans.standard.quota.period", "YEAR")))
                .containsExactly("plans.standard.quota.period: 'YEAR' is not a quota period; use DAY, WEEK or MONTH");
    }

    @Test
    void aQuotaLimitOfZeroIsRejected() {
        assertThat(problems(set(valid(), "plans.standard.quota.limit", 0)))
                .containsExactly("plans.standard.quota.limit: must be an integer >= 1, got 0");
    }

    @ParameterizedTest
    @CsvSource({"DAY,1,must be 0", "DAY,-1,must be 0", "WEEK,7,must be 0-6", "MONTH,28,must be 0-27", "MONTH,-1,must be 0-27"})
    void aQuotaOffsetOutsideItsPeriodIsRejected(String period, int offset, String allowed) {
        Map<String, Object> config = set(set(valid(), "plans.standard.quota.period", period),
                "plans.standard.quota.offset", offset);
        assertThat(problems(config)).containsExactly("plans.standard.quota.offset: " + offset
                + " is out of range for period " + period + " (" + allowed + ")");
    }

    @ParameterizedTest
    @CsvSource({"DAY,0", "WEEK,6", "MONTH,27"})
    void theLastOffsetOfEachPeriodIsAccepted(String period, int offset) {
        Map<String, Object> config = set(set(valid(), "plans.standard.quota.period", period),
                "plans.standard.quota.offset", offset);
        assertThat(ConfigLoader.load(config, Set.of()).config().plans().get("standard").quota().orElseThrow().offset())
                .isEqualTo(offset);
    }

    // ---- method throttles --------------------------------------------------------------------------

    @Test
    void aMethodThrottleOnARouteTheApiDoesNotHaveIsRejected() {
        Map<String, Object> config = set(valid(), "plans.standard.methodThrottles",
                map("/v1/embeddings/POST", map("rateLimit", 1, "burstLimit", 1)));
        assertThat(problems(config)).containsExactly("plans.standard.methodThrottles[\"/v1/embeddings/POST\"]: the API has "
                + "no route '/v1/embeddings/POST'; routes: [/v1/chat/completions/POST, /v1/models/GET]");
    }

    @Test
    void aMisspelledMethodThrottleRouteGetsTheClosestRouteSuggested() {
        Map<String, Object> config = set(valid(), "plans.standard.methodThrottles",
                map("/v1/model/GET", map("rateLimit", 1, "burstLimit", 1)));
        assertThat(problems(config)).containsExactly("plans.standard.methodThrottles[\"/v1/model/GET\"]: the API has "
                + "no route '/v1/model/GET' (did you mean '/v1/models/GET'?); routes: [/v1/chat/completions/POST, /v1/models/GET]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "v1/models/GET", "/v1/models", "/v1/models/FETCH"})
    void aMethodThrottleNotInPathMethodFormIsRejected(String path) {
        Map<String, Object> config = set(valid(), "plans.standard.methodThrottles",
                map(path, map("rateLimit", 1, "burstLimit", 1)));
        assertThat(problems(config)).containsExactly("plans.standard.methodThrottles[\"" + path + "\"]: '" + path
                + "' is not in /path/METHOD form; use one of [/v1/chat/completions/POST, /v1/models/GET] "
                + "(AWS rejects */* in a usage plan)");
    }

    @Test
    void moreThanTwentyMethodThrottlesOnAStageAreRejected() {
        Map<String, Object> throttles = new LinkedHashMap<>();
        for (int i = 0; i < 21; i++) {
            throttles.put("/v1/r" + i + "/GET", map("rateLimit", 1, "burstLimit", 1));
        }
        assertThat(problems(set(valid(), "plans.standard.methodThrottles", throttles)))
                .contains("plans.standard.methodThrottles: 21 method throttles is more than the 20 AWS allows per stage");
    }

    @Test
    void methodThrottlesWithoutAPlanThrottleAreRejected() {
        Map<String, Object> config = set(set(valid(), "plans.standard.throttle", null), "plans.standard.methodThrottles",
                map("/v1/models/GET", map("rateLimit", 1, "burstLimit", 1)));
        assertThat(problems(config)).contains(
                "plans.standard.methodThrottles: method throttles need a plan-level throttle; add plans.standard.throttle");
    }

    // ---- clients -----------------------------------------------------------------------------------

    @Test
    void aClientNamingAnUnknownPlanIsRejectedWithTheClosestPlan() {
        assertThat(problems(set(valid(), "clients.acme.plan", "standrad")))
                .containsExactly("clients.acme.plan: unknown plan 'standrad' (did you mean 'standard'?); plans: standard");
    }

    @Test
    void aClientInTwoPlansIsRejected() {
        Map<String, Object> config = set(set(valid(), "plans.premium", map("throttle", map("rateLimit", 50, "burstLimit", 100))),
                "clients.acme.plan", List.of("standard", "premium"));
        assertThat(problems(config)).containsExactly(
                "clients.acme.plan: must name exactly one plan: AWS allows a key in only one usage plan per stage");
    }

    @Test
    void twoClientsWithTheSameSuppliedKeyAreRejectedWithoutEchoingIt() {
        String key = "sk-shared-0123456789-abcdefghij";
        Map<String, Object> config = set(set(valid(), "clients.acme.apiKey", key), "clients.globex",
                map("plan", "standard", "apiKey", key));
        List<String> problems = problems(config, Set.of("clients"));
        assertThat(problems).containsExactly("clients.globex.apiKey: has the same value as clients.acme.apiKey; one key "
                + "would be in two plans, and AWS allows a key in only one plan per stage");
        assertThat(String.join("\n", problems)).doesNotContain(key);
    }

    @Test
    void moreThanTenThousandKeysAreRejected() {
        Map<String, Object> clients = new LinkedHashMap<>();
        for (int i = 0; i <= 10_000; i++) {
            clients.put("c" + i, map("plan", "standard"));
        }
        assertThat(problems(set(valid(), "clients", clients))).containsExactly(
                "clients: 10001 clients is more than the 10000 API keys AWS allows per Region (a limit that cannot be raised)");
    }

    @Test
    void moreThanThreeHundredPlansAreRejected() {
        Map<String, Object> plans = new LinkedHashMap<>();
        for (int i = 0; i <= 300; i++) {
            plans.put(i == 0 ? "standard" : "p" + i, map("throttle", map("rateLimit", 1, "burstLimit", 1)));
        }
        assertThat(problems(set(valid(), "plans", plans)))
                .containsExactly("plans: 301 plans is more than the 300 usage plans AWS allows per Region");
    }

    @Test
    void aConfigWithoutPlansOrWithoutClientsIsRejected() {
        assertThat(problems(set(valid(), "plans", map()))).contains("plans: must not be empty: the usage-plan tiers, "
                + "e.g. {\"standard\": {\"throttle\": {\"rateLimit\": 10, \"burstLimit\": 20}}}");
        assertThat(problems(set(valid(), "clients", null)))
                .containsExactly("clients: required: the API clients, e.g. {\"acme\": {\"plan\": \"standard\"}}");
    }

    // ---- models, stage, Lambda ----------------------------------------------------------------------

    @Test
    void anEmptyModelMapIsRejected() {
        assertThat(problems(set(valid(), "models", map()))).containsExactly(
                "models: must not be empty: the public model aliases, e.g. {\"nova-micro\": \"amazon.nova-micro-v1:0\"}");
    }

    @Test
    void aModelIdThatIsNotABedrockIdIsRejected() {
        assertThat(problems(set(valid(), "models", map("gpt", "gpt-4o")))).containsExactly(
                "models.gpt: 'gpt-4o' does not look like a Bedrock model id or inference-profile id "
                        + "(expected e.g. amazon.nova-micro-v1:0 or us.anthropic.claude-3-5-haiku-20241022-v1:0)");
    }

    @Test
    void anInvalidStageNameIsRejected() {
        assertThat(problems(set(valid(), "stageName", "prod stage"))).containsExactly(
                "stageName: 'prod stage' is not a valid stage name: use 1-128 letters, digits, '-' or '_'");
    }

    @Test
    void aLambdaTimeoutAboveTheIntegrationTimeoutIsRejected() {
        Map<String, Object> config = set(set(valid(), "lambdaTimeoutSeconds", "30"), "integrationTimeoutMs", "29000");
        assertThat(problems(config)).containsExactly("lambdaTimeoutSeconds: 30 s is above integrationTimeoutMs (29000 ms): "
                + "API Gateway would give up first and send a bare 504. Use at most 29 s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127", "10241"})
    void lambdaMemoryOutside128To10240MbIsRejected(String memory) {
        assertThat(problems(set(valid(), "lambdaMemoryMb", memory)))
                .containsExactly("lambdaMemoryMb: " + memory + " is out of range; allowed: 128-10240");
    }

    // ---- unknown keys ------------------------------------------------------------------------------

    @Test
    void anUnknownTopLevelKeyIsRejectedWithTheClosestKey() {
        assertThat(problems(set(valid(), "stageNmae", "dev"))).singleElement().asString()
                .startsWith("llm-gateway:stageNmae: unknown key (did you mean 'stageName'?); valid keys: stageName, ");
    }

    @Test
    void anUnknownPlanKeyIsRejectedWithTheClosestKey() {
        assertThat(problems(set(valid(), "plans.standard.descripton", "x"))).containsExactly(
                "plans.standard.descripton: unknown key (did you mean 'description'?); "
                        + "valid keys here: description, throttle, quota, methodThrottles");
    }

    @Test
    void aMisspelledThrottleKeyNeverBecomesADefault() {
        Map<String, Object> config = set(valid(), "plans.standard.throttle", map("rateLimt", 10, "burstLimit", 20));
        assertThat(problems(config)).containsExactly(
                "plans.standard.throttle.rateLimt: unknown key (did you mean 'rateLimit'?); valid keys here: rateLimit, burstLimit",
                "plans.standard.throttle.rateLimit: required: requests per second, a number > 0 "
                        + "(AWS reads an unset rate as 0, which allows nothing)");
    }

    @Test
    void anUnknownMethodThrottleKeyIsRejectedWithTheClosestKey() {
        Map<String, Object> config = set(valid(), "plans.standard.methodThrottles",
                map("/v1/models/GET", map("rateLimit", 1, "burstLimt", 1)));
        assertThat(problems(config)).contains("plans.standard.methodThrottles[\"/v1/models/GET\"].burstLimt: unknown key "
                + "(did you mean 'burstLimit'?); valid keys here: rateLimit, burstLimit");
    }

    @Test
    void anUnknownQuotaKeyIsRejectedWithTheClosestKey() {
        assertThat(problems(set(valid(), "plans.standard.quota.ofset", 0))).containsExactly(
                "plans.standard.quota.ofset: unknown key (did you mean 'offset'?); valid keys here: limit, period, offset");
    }

    @Test
    void anUnknownClientKeyIsRejectedWithTheClosestKey() {
        assertThat(problems(set(valid(), "clients.acme.enabeld", false))).containsExactly(
                "clients.acme.enabeld: unknown key (did you mean 'enabled'?); valid keys here: plan, enabled, apiKey, description");
    }

    // ---- reporting ---------------------------------------------------------------------------------

    @Test
    void everyProblemIsReportedInOneError() {
        Map<String, Object> config = set(set(set(valid(), "stageName", "a b"), "lambdaMemoryMb", "64"),
                "plans.standard.quota.period", "YEAR");
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(config, Set.of()));
        assertThat(error.problems()).hasSize(3);
        assertThat(error.getMessage())
                .startsWith("Invalid stack config for 'llm-gateway' (3 problems); nothing was created:\n  - ")
                .contains("stageName: ", "lambdaMemoryMb: ", "plans.standard.quota.period: ");
    }

    @Test
    void aPlainTextApiKeyIsRejectedWithoutEchoingTheValue() {
        String key = "sk-plaintext-0123456789-abcdef";
        List<String> problems = problems(set(valid(), "clients.acme.apiKey", key), Set.of());
        assertThat(problems).containsExactly("clients.acme.apiKey: is stored in plain text; API keys must be secrets. "
                + "Remove it and run: pulumi config set --secret --path 'clients.acme.apiKey' <key>");
        assertThat(String.join("\n", problems)).doesNotContain(key);
    }

    @Test
    void aSecretApiKeyIsAccepted() {
        String key = "sk-secret-0123456789-abcdefgh";
        GatewayConfig config = ConfigLoader.load(set(valid(), "clients.acme.apiKey", key), Set.of("clients")).config();
        assertThat(config.clients().get("acme").key()).isEqualTo(new ClientKey.Supplied(new SecretValue(key)));
    }

    // ---- warnings ----------------------------------------------------------------------------------

    @Test
    void aBurstBelowTheRateIsAWarningNotAnError() {
        ConfigLoader.Result result = ConfigLoader.load(set(valid(), "plans.standard.throttle.burstLimit", 5), Set.of());
        assertThat(result.warnings()).containsExactly("plans.standard.throttle: burstLimit 5 is below rateLimit 10; "
                + "more than 5 requests arriving together are throttled even within the rate");
    }

    @Test
    void planRatesAboveTheAccountsTenThousandRpsAreAWarningNotAnError() {
        Map<String, Object> config = set(set(set(valid(), "plans.standard.throttle.rateLimit", 6000),
                "plans.standard.throttle.burstLimit", 5000), "clients.globex", map("plan", "standard"));
        config = set(config, "stageRateLimit", "10000");
        ConfigLoader.Result result = ConfigLoader.load(config, Set.of());
        assertThat(result.warnings()).contains("plans: the plans allow 12000 requests per second across their keys, "
                + "above the account's default 10000 rps per Region; AWS throttles at the account limit first");
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static List<String> problems(Map<String, Object> config) {
        return problems(config, Set.of());
    }

    private static List<String> problems(Map<String, Object> config, Set<String> secretKeys) {
        ConfigException error = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(config, secretKeys));
        assertThat(error).as("expected the config to be rejected").isNotNull();
        return error.problems();
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A deep copy with the value at a dotted path set (null removes it). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> set(Map<String, Object> config, String path, Object value) {
        Map<String, Object> copy = (Map<String, Object>) deepCopy(config);
        String[] keys = path.split("\\.");
        Map<String, Object> node = copy;
        for (int i = 0; i < keys.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(keys[i], k -> new LinkedHashMap<>());
        }
        if (value == null) {
            node.remove(keys[keys.length - 1]);
        } else {
            node.put(keys[keys.length - 1], value);
        }
        return copy;
    }

    private static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(ConfigLoaderTest::deepCopy).toList());
        }
        return value;
    }
}
