package io.llmgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CIDR ranges as AWS WAF IP sets take them, parsed without any name lookup. */
class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "203.0.113.0/24, 203.0.113.0/24, false",
            "198.51.100.7/32, 198.51.100.7/32, false",
            "10.0.0.0/8, 10.0.0.0/8, false",
            "2001:db8::/32, 2001:db8::/32, true",
            "2001:DB8:0:0:0:0:0:0/32, 2001:db8::/32, true",
            "::1/128, ::1/128, true",
            "fe80:0:0:0:0:0:0:0/10, fe80::/10, true",
            "2001:db8:0:1:0:0:0:0/64, 2001:db8:0:1::/64, true",
            "::ffff:192.0.2.0/120, ::ffff:c000:200/120, true",
            "1:2:3:4:5:6:7:8/128, 1:2:3:4:5:6:7:8/128, true"})
    void validRangesParseToTheirCanonicalForm(String text, String canonical, boolean ipv6) throws Exception {
        Cidr range = Cidr.parse(text);
        assertThat(range.toString()).isEqualTo(canonical);
        assertThat(range.ipv6()).isEqualTo(ipv6);
        assertThat(Cidr.parse(canonical)).isEqualTo(range);
    }

    @Test
    void hostBitsAreRefusedWithTheRangeMeant() {
        assertThatThrownBy(() -> Cidr.parse("203.0.113.7/24")).isInstanceOf(Cidr.Invalid.class)
                .hasMessage("has host bits set; the range starts at 203.0.113.0/24, write that");
        assertThatThrownBy(() -> Cidr.parse("2001:db8::1/64")).hasMessageContaining("2001:db8::/64");
    }

    @Test
    void slashZeroIsRefusedBecauseWafRefusesIt() {
        assertThatThrownBy(() -> Cidr.parse("0.0.0.0/0")).hasMessageContaining("/0 is every address");
        assertThatThrownBy(() -> Cidr.parse("::/0")).hasMessageContaining("/0 is every address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.0", "example.com/24", "localhost/32", "256.0.0.0/8", "01.2.3.0/24",
            "1.2.3.4/33", "2001:db8::/129", "2001:db8:::/32", "1::2::3/64", "12345::/16", "1.2.3.4::/64",
            "1:2:3:4:5:6:7:8:9/128", "1:2:3:4:5:6:7/112", "g::/16", "/24", "1.2.3.4/"})
    void anythingElseIsRefused(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(Cidr.Invalid.class);
    }
}
