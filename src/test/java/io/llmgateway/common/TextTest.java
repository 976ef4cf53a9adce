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

    @Test
    void quote_escapesControlCharacters_andNeverSplitsAnEscapeWhenItCuts() {
        assertThat(Text.quote("\u001b[31mred")).isEqualTo("'\\u001b[31mred'");
        assertThat(Text.quote("a\nb\rc\td\u0000e\u007ff\u009bg"))
                .isEqualTo("'a\\u000ab\\u000dc\\u0009d\\u0000e\\u007ff\\u009bg'");
        assertThat(Text.quote("caf\u00e9 \u00a0\u2603")).isEqualTo("'caf\u00e9 \u00a0\u2603'");
        String escapes = Text.quote("\u001b".repeat(1_000));
        assertThat(escapes).isEqualTo("'" + "\\u001b".repeat(Text.MAX_ECHO / 6 + 1) + "...'").doesNotContain("\u001b");
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
