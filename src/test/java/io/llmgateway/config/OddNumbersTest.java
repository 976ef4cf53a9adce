package io.llmgateway.config;

import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Numbers as a typo or a hostile file can hold them, at every numeric key: each gives a short problem
 * naming the key, never a billion-character message or an OutOfMemoryError.
 */
class OddNumbersTest {

    /** Longer than any real problem, far shorter than a number written out in full. */
    private static final int SHORT = 400;

    private static final List<String> NUMERIC_PATHS = List.of(
            "integrationTimeoutMs", "lambdaMemoryMb", "lambdaTimeoutSeconds", "reservedConcurrency", "maxTokensDefault",
            "maxTokensCeiling", "maxRequestBytes", "maxEmbeddingInputs", "logRetentionDays", "authorizerCacheTtlSeconds", "stageRateLimit",
            "stageBurstLimit", "plans.standard.throttle.rateLimit", "plans.standard.throttle.burstLimit",
            "plans.standard.quota.limit", "plans.standard.quota.offset",
            "plans.standard.methodThrottles./v1/models/GET.rateLimit",
            "plans.standard.methodThrottles./v1/models/GET.burstLimit");

    private static final List<Object> ODD_VALUES = List.of(
            "1e999999999", "-1e999999999", "1e-999999999", "-1e-999999999", "1E+2147483647", "1e-2147483647",
            "9".repeat(Numbers.MAX_TEXT), "9".repeat(1_000_000), BigInteger.TEN.pow(100_000), BigInteger.TEN.pow(100_000).negate(),
            new BigDecimal("1e999999999"), Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, "Infinity", "NaN");

    static Stream<Arguments> everyOddValueAtEveryNumericKey() {
        List<Arguments> cases = new ArrayList<>();
        for (String path : NUMERIC_PATHS) {
            for (Object value : ODD_VALUES) {
                // Forty nines is a finite rate, and rates have no upper bound but infinity.
                if (!(path.endsWith("rateLimit") && value.equals("9".repeat(Numbers.MAX_TEXT)))) {
                    cases.add(Arguments.of(path, value));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("everyOddValueAtEveryNumericKey")
    void anOddNumberGivesAShortProblemNamingItsKey(String path, Object value) {
        List<String> problems = problems(at(path, value));
        String key = path.substring(path.lastIndexOf('.') + 1);
        assertThat(problems).isNotEmpty().allSatisfy(problem -> assertThat(problem).hasSizeLessThan(SHORT));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).contains(key + ": "));
    }

    @Test
    void theProblemShowsTheValueAsWritten_cut() {
        assertThat(problems(at("lambdaMemoryMb", "1e999999999")))
                .containsExactly("lambdaMemoryMb: 1e999999999 is out of range; allowed: 128-10240");
        assertThat(problems(at("plans.standard.throttle.burstLimit", "1e999999999"))).containsExactly(
                "plans.standard.throttle.burstLimit: must be an integer >= 1 and at most 2147483647, got 1e999999999");
        assertThat(problems(at("plans.standard.quota.limit", "-1e999999999")))
                .containsExactly("plans.standard.quota.limit: must be an integer >= 1, got -1e999999999");
        assertThat(problems(at("plans.standard.throttle.rateLimit", "1e-999999999"))).containsExactly(
                "plans.standard.throttle.rateLimit: must be a number > 0 (requests per second, fractions allowed), got 1e-999999999");
        assertThat(problems(at("lambdaMemoryMb", "1e-999999999")))
                .containsExactly("lambdaMemoryMb: must be an integer, got '1e-999999999'");
        assertThat(problems(at("lambdaMemoryMb", BigInteger.TEN.pow(100_000))))
                .containsExactly("lambdaMemoryMb: an integer of about 100000 digits is out of range; allowed: 128-10240");
        assertThat(problems(at("plans.standard.quota.offset", "9".repeat(Numbers.MAX_TEXT)))).containsExactly(
                "plans.standard.quota.offset: " + "9".repeat(Numbers.MAX_TEXT) + " is out of range for period DAY (must be 0)");
    }

    @Test
    void yamlInfinityAndNotANumberAreNamedAsSuch() {
        Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load("a: .inf\nb: .nan\nc: -.inf\n");
        assertThat(problems(at("lambdaMemoryMb", yaml.get("a"))))
                .containsExactly("lambdaMemoryMb: must be an integer, got infinity");
        assertThat(problems(at("plans.standard.throttle.rateLimit", yaml.get("b"))))
                .containsExactly("plans.standard.throttle.rateLimit: must be a finite number, got NaN");
        assertThat(problems(at("plans.standard.throttle.rateLimit", yaml.get("c"))))
                .containsExactly("plans.standard.throttle.rateLimit: must be a finite number, got -infinity");
    }

    private static Map<String, Object> at(String path, Object value) {
        Map<String, Object> config = valid();
        if (path.contains("methodThrottles")) {
            config = set(config, "plans.standard.methodThrottles./v1/models/GET", Configs.map("rateLimit", 1, "burstLimit", 1));
        }
        return set(config, path, value);
    }
}
