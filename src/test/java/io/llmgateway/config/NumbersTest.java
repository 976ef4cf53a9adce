package io.llmgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.testing.Gen;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Numbers#toDouble}: the double {@link BigDecimal#doubleValue()} gives, without printing the digits. */
class NumbersTest {

    /** Up to 60 digits, either sign, exponents well past the double's range both ways. */
    private static final Gen<BigDecimal> DECIMALS = random -> {
        BigInteger unscaled = new BigInteger(1 + random.nextInt(200), random);
        return new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), random.nextInt(800) - 400);
    };

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("io.llmgateway.testing.Gen#seeds")
    void toDouble_isDoubleValue(long seed) {
        Gen.forAll(seed, 5000, DECIMALS, value -> assertThat(Numbers.toDouble(value)).isEqualTo(value.doubleValue()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0", "0e999999999", "0e-999999999", "1.7976931348623157e308", "1.7976931348623158e308",
            "1.8e308", "-1.8e308", "9.99e308", "1e309", "4.9e-324", "2.4703282292062328e-324", "2.47e-324", "1e-324",
            "-1e-325", "1e-326", "123.456"})
    void toDouble_isDoubleValue_atTheEdgesOfTheRange(String text) {
        BigDecimal value = new BigDecimal(text);
        assertThat(Numbers.toDouble(value)).isEqualTo(value.doubleValue());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"1e999999999", "-1E+2147483647", "1e-999999999", "-1e-2147483647"})
    void toDouble_ofAHugeExponent_isInfiniteOrZero_withItsSign(String text) {
        BigDecimal value = new BigDecimal(text);
        assertThat(Numbers.toDouble(value)).isEqualTo(value.doubleValue())
                .isEqualTo(value.scale() < 0 ? value.signum() * Double.POSITIVE_INFINITY : value.signum() * 0.0);
    }

    @ParameterizedTest(name = "10^{0}")
    @ValueSource(ints = {308, 309, 310, 100_000})
    void toDouble_ofALongInteger(int power) {
        BigInteger integer = BigInteger.TEN.pow(power);
        assertThat(Numbers.toDouble(new BigDecimal(integer))).isEqualTo(power > 308 ? Double.POSITIVE_INFINITY : 1e308);
        assertThat(Numbers.toDouble(new BigDecimal(integer.negate()))).isEqualTo(power > 308 ? Double.NEGATIVE_INFINITY : -1e308);
    }
}
