package io.llmgateway.config;

import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.ConfigPositions.Position;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Numbers as a typo or a hostile file can hold them. The guarantee: <b>no odd number is accepted
 * anywhere the loader reads a number</b>, and each gives a short problem naming its key path, never a
 * billion-character message, an exception or an OutOfMemoryError.
 *
 * <p>The odd values come in four families ({@link #ODD}): huge exponents, tiny exponents, long digit
 * strings and huge integers, and values that are not finite. Each test keeps part of the guarantee:
 * <ul>
 *   <li>{@link #everyOddValue_atAPositionOfEachKind}: every odd value, at one position of each kind of
 *       position ({@link #KINDS}: a setting, a rate, an integer limit, a price, a duration, a nested map
 *       entry, a list element...), each of which its reader checks with code of its own;</li>
 *   <li>{@link #theWorstOfEachFamily_atEveryNumericPosition}: at every position where the complete
 *       configs hold a number ({@link ConfigPositions#numbers()}, so a key added to a reader is covered
 *       without a change here), the worst value of each family;</li>
 *   <li>the last two: the problem shows the value as written, cut, and YAML's own infinities are named.</li>
 * </ul>
 */
class OddNumbersTest {

    /** Longer than any real problem, far shorter than a number written out in full. */
    private static final int SHORT = 400;

    /** An odd value and how a failure names it (a million nines are not printed). */
    record Odd(String name, Object value) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String FORTY_NINES = "9".repeat(Numbers.MAX_TEXT);
    private static final Odd HUGE = new Odd("1e999999999", "1e999999999");
    private static final Odd HUGE_NEGATIVE = new Odd("-1e999999999", "-1e999999999");
    private static final Odd LARGEST_EXPONENT = new Odd("1E+2147483647", "1E+2147483647");
    private static final Odd HUGE_DECIMAL = new Odd("1e999999999 as a BigDecimal", new BigDecimal("1e999999999"));
    private static final Odd TINY = new Odd("1e-999999999", "1e-999999999");
    private static final Odd MILLION_NINES = new Odd("a million nines as text", "9".repeat(1_000_000));
    /** Far beyond any bound on a message, and too long to print or convert to a double cheaply. */
    private static final BigInteger TEN_TO_100000 = BigInteger.TEN.pow(100_000);
    private static final Odd HUGE_INTEGER = new Odd("10^100000 as YAML types it", TEN_TO_100000);
    private static final Odd NAN = new Odd("NaN as YAML types it", Double.NaN);

    /** Every odd value, by family. */
    static final List<Odd> ODD = List.of(
            // huge exponents: 1e999999999 is a billion digits in plain notation
            HUGE, HUGE_NEGATIVE, LARGEST_EXPONENT, HUGE_DECIMAL,
            // tiny exponents: zero as a double, a billion decimals in plain notation
            TINY, new Odd("-1e-999999999", "-1e-999999999"), new Odd("1e-2147483647", "1e-2147483647"),
            // long digits: forty nines are still read (and are a finite rate), longer text never is
            new Odd("forty nines as text", FORTY_NINES), MILLION_NINES, HUGE_INTEGER,
            new Odd("-10^100000 as YAML types it", TEN_TO_100000.negate()),
            // not finite
            new Odd("+infinity", Double.POSITIVE_INFINITY), new Odd("-infinity", Double.NEGATIVE_INFINITY), NAN,
            new Odd("Infinity as text", "Infinity"), new Odd("NaN as text", "NaN"));

    /** The worst of each family: what every numeric position gets. */
    static final List<Odd> WORST = List.of(HUGE, HUGE_NEGATIVE, TINY, MILLION_NINES, HUGE_INTEGER, NAN);

    /** One position of each kind, each read by code of its own. */
    static final List<Arguments> KINDS = List.of(
            Arguments.of("an integer setting, from Pulumi as text", "lambdaMemoryMb"),
            Arguments.of("a duration in a rule over two settings", "integrationTimeoutMs"),
            Arguments.of("a setting from a list of allowed values", "logRetentionDays"),
            Arguments.of("a rate (fractions allowed)", "plans.standard.throttle.rateLimit"),
            Arguments.of("an integer limit", "plans.standard.throttle.burstLimit"),
            Arguments.of("an integer whose range depends on another key", "plans.standard.quota.offset"),
            Arguments.of("a limit beyond an int (tokens)", "plans.standard.tokens.budget.limit"),
            Arguments.of("a price (three decimals)", "modelPrices.nova-micro.inputPerMillion"),
            Arguments.of("dollars (nine decimals)", "plans.priced.tokens.budget.limit"),
            Arguments.of("a duration bounded by a setting", "alarms.latency.threshold"),
            Arguments.of("a share (fractions allowed)", "alarms.serverErrors.threshold"),
            Arguments.of("a nested map entry", "plans.standard.methodThrottles[\"/v1/models/GET\"].rateLimit"),
            Arguments.of("a map entry named by the operator", "capacity.bedrockTokensPerMinute.nova-micro"),
            Arguments.of("a list element (a string is expected)", "waf.allowCidrs[0]"));

    static Stream<Arguments> kinds() {
        return KINDS.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("kinds")
    void everyOddValue_atAPositionOfEachKind(String kind, String path) {
        Position position = ConfigPositions.at(path);
        assertThat(misreadings(List.of(position), ODD)).isEmpty();
    }

    static Stream<Odd> worst() {
        return WORST.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("worst")
    void theWorstOfEachFamily_atEveryNumericPosition(Odd odd) {
        List<Position> numbers = ConfigPositions.numbers();
        assertThat(numbers).hasSizeGreaterThan(40);
        assertThat(misreadings(numbers, List.of(odd))).isEmpty();
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
        Position dollars = ConfigPositions.at("plans.priced.tokens.budget.limit");
        for (String huge : List.of("1e999999999", "-1e999999999", "1E+2147483647")) {
            assertThat(ConfigPositions.problems(dollars.with(huge))).containsExactly("plans.priced.tokens.budget.limit: "
                    + "must be more than 0 and at most 1000000000 US dollars, got " + huge);
        }
        assertThat(problems(at("lambdaMemoryMb", "1e-999999999")))
                .containsExactly("lambdaMemoryMb: must be an integer, got '1e-999999999'");
        assertThat(problems(at("lambdaMemoryMb", TEN_TO_100000)))
                .containsExactly("lambdaMemoryMb: an integer of about 100000 digits is out of range; allowed: 128-10240");
        assertThat(problems(at("plans.standard.quota.offset", FORTY_NINES))).containsExactly(
                "plans.standard.quota.offset: " + FORTY_NINES + " is out of range for period DAY (must be 0)");
        assertThat(problems(at("lambdaMemoryMb", "9".repeat(1_000_000)))).singleElement().asString()
                .startsWith("lambdaMemoryMb: must be an integer, got '" + "9".repeat(80) + "...'");
    }

    /** Read as a double by its size, not its digits: refused at once, with the message any huge number gets. */
    @Test
    void aHugeIntegerAtARateOrAnAlarmThreshold_isRefusedByItsSize() {
        for (String rate : List.of("plans.standard.throttle.rateLimit",
                "plans.standard.methodThrottles[\"/v1/models/GET\"].rateLimit")) {
            assertThat(ConfigPositions.problems(ConfigPositions.at(rate).with(TEN_TO_100000))).containsExactly(rate
                    + ": must be a number > 0 (requests per second, fractions allowed), got an integer of about 100000 digits");
        }
        assertThat(ConfigPositions.problems(ConfigPositions.at("alarms.latency.threshold").with(TEN_TO_100000))).containsExactly(
                "alarms.latency.threshold: an integer of about 100000 digits is out of range for p99 latency in ms "
                        + "(default 90% of integrationTimeoutMs); allowed: 1-300000");
        assertThat(ConfigPositions.problems(ConfigPositions.at("alarms.serverErrors.threshold").with(TEN_TO_100000.negate())))
                .containsExactly("alarms.serverErrors.threshold: a negative integer of about 100000 digits is out of "
                        + "range for percent of requests answered with a 5xx; allowed: 0.01-100");
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

    /**
     * What went wrong, for each odd value at each position: accepted, thrown, a long problem, or no
     * problem naming the position. Empty when the loader answered each with a short problem naming it.
     */
    private static List<String> misreadings(List<Position> positions, List<Odd> odds) {
        List<String> wrong = new ArrayList<>();
        for (Position position : positions) {
            for (Odd odd : odds) {
                String where = position + " = " + odd + ": ";
                List<String> problems;
                try {
                    problems = ConfigPositions.problems(position.with(odd.value()));
                } catch (RuntimeException e) {
                    wrong.add(where + "threw " + e);
                    continue;
                }
                if (problems.isEmpty()) {
                    // Forty nines are a finite number, and a rate has no upper bound but infinity.
                    if (!(odd.value().equals(FORTY_NINES) && position.path().toString().endsWith("rateLimit"))) {
                        wrong.add(where + "accepted");
                    }
                } else if (problems.stream().anyMatch(p -> p.length() >= SHORT)) {
                    wrong.add(where + "a problem of " + problems.stream().mapToInt(String::length).max().orElse(0) + " characters");
                } else if (problems.stream().noneMatch(p -> p.startsWith(position + ": "))) {
                    wrong.add(where + "no problem names it: " + problems);
                }
            }
        }
        return wrong;
    }

    private static Map<String, Object> at(String path, Object value) {
        return set(valid(), path, value);
    }
}
