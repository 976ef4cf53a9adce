package io.llmgateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextTest {

    @Test
    void truncate_keepsShortTextAndCutsLongText() {
        assertThat(Text.truncate("short")).isEqualTo("short");
        String exactly = "x".repeat(Text.MAX_ECHO);
        assertThat(Text.truncate(exactly)).isEqualTo(exactly);
        assertThat(Text.truncate(exactly + "y")).isEqualTo(exactly + "...");
    }

    @Test
    void quote_isSingleQuotedAndCut() {
        assertThat(Text.quote("rateLimt")).isEqualTo("'rateLimt'");
        assertThat(Text.quote("z".repeat(1_000_000))).hasSize(Text.MAX_ECHO + 5);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"2.0, 2", "0.5, 0.5", "-3.0, -3", "1.0E20, 1.0E20", "12345.678, 12345.678"})
    void number_dropsATrailingPointZeroOnly(double value, String shown) {
        assertThat(Text.number(value)).isEqualTo(shown);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {"10000.0; 10,000", "2.5; 2.5", "1234.567; 1,234.57", "0.004; 0",
            "86400000.0; 86,400,000", "-1500.0; -1,500", "1.0E20; 1.0E20"})
    void grouped_groupsThousands_andKeepsAtMostTwoDecimals(double value, String shown) {
        assertThat(Text.grouped(value)).isEqualTo(shown);
    }
}
