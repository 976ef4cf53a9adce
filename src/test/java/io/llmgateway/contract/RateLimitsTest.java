package io.llmgateway.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RateLimitsTest {

    @ParameterizedTest(name = "rate {0}/s -> Retry-After {1} s")
    @CsvSource({"100, 1", "1, 1", "0.5, 2", "0.25, 4", "0.3, 4", "0.001, 1000"})
    void throttledRetryAfter_isTheTimeOneTokenTakesAtTheSlowestRate_roundedUp(double rate, int seconds) {
        assertThat(RateLimits.throttledRetryAfterSeconds(rate)).isEqualTo(seconds);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, -1, Double.NaN})
    void throttledRetryAfter_needsAPositiveRate(double rate) {
        assertThatThrownBy(() -> RateLimits.throttledRetryAfterSeconds(rate)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}/s -> {1}/min")
    @CsvSource({"10, 600", "0.5, 30", "0.01, 0", "2.5, 150"})
    void requestsPerMinute_isOpenAisPerMinuteFigure_roundedDown(double perSecond, long perMinute) {
        assertThat(RateLimits.requestsPerMinute(perSecond)).isEqualTo(perMinute);
    }
}
