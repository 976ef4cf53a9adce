package io.llmgateway.config;

import io.llmgateway.common.Text;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Numbers as config values arrive: typed from YAML or JSON ({@link Integer}, {@link Long},
 * {@link BigInteger}, {@link Double}), or as the strings Pulumi stores ({@code "0.5"},
 * {@code "1e999999999"}). Every operation here is cheap and bounded whatever the exponent or the
 * number of digits: a typo the CLI stored as {@code 1e999999999} is a billion digits in plain notation,
 * which {@link BigDecimal#toPlainString()} would try to build.
 */
final class Numbers {

    /** The longest text read as a number: longer text is reported as not a number, never parsed. */
    static final int MAX_TEXT = 40;

    /** Integers with more bits than this are shown by their size, not their digits. */
    private static final int MAX_SHOWN_BITS = 1024;

    private Numbers() {
    }

    /** The exact value, or null when {@code node} is not a finite number (or is longer than {@link #MAX_TEXT}). */
    static BigDecimal decimal(Object node) {
        if (node instanceof Integer || node instanceof Long || node instanceof Short || node instanceof Byte) {
            return BigDecimal.valueOf(((Number) node).longValue());
        }
        if (node instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (node instanceof BigDecimal d) {
            return d;
        }
        if (node instanceof Double || node instanceof Float) {
            double d = ((Number) node).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (node instanceof String s && !s.isBlank() && s.strip().length() <= MAX_TEXT) {
            try {
                return new BigDecimal(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** True when {@code value} has no fractional part. */
    static boolean isWhole(BigDecimal value) {
        if (value.signum() == 0 || value.scale() <= 0) {
            return true;
        }
        // Strip only short values: stripping divides by ten once per trailing zero.
        return value.precision() <= MAX_TEXT && value.stripTrailingZeros().scale() <= 0;
    }

    /**
     * The value as a double: infinite when too large, 0 when too small, decided by the size of its
     * digits and its exponent before converting. {@link BigDecimal#doubleValue()} prints every digit to
     * parse them again, some 70 ms for 10^100000 as YAML types it; after this check an integer has at
     * most about 310 digits. (A fraction from {@link #decimal} has at most {@link #MAX_TEXT} characters
     * or a double's 17 digits: only a {@link BigDecimal} node, which neither YAML nor JSON produces,
     * could hold more.)
     */
    static double toDouble(BigDecimal value) {
        if (value.signum() == 0) {
            return 0;
        }
        int bits = value.unscaledValue().bitLength();
        // |value| lies in [2^(bits-1), 2^bits) times 10^-scale; log10(2) = 0.30103 is rounded down for the
        // lower bound and up for the upper, so each test errs on the side of converting.
        double lowest = (bits - 1) * 0.301 - value.scale();
        double highest = bits * 0.302 - value.scale();
        if (lowest > 309) {
            return value.signum() * Double.POSITIVE_INFINITY;
        }
        if (highest < -325) {
            return value.signum() * 0.0;
        }
        return value.doubleValue();
    }

    /** {@code min <= value <= max}, compared without expanding the exponent. */
    static boolean within(BigDecimal value, long min, long max) {
        return value.compareTo(BigDecimal.valueOf(min)) >= 0 && value.compareTo(BigDecimal.valueOf(max)) <= 0;
    }

    /** A typed number for a message, at most about {@link Text#MAX_ECHO} characters. */
    static String show(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d)) {
                return "NaN";
            }
            return Double.isInfinite(d) ? (d > 0 ? "infinity" : "-infinity") : Text.number(d);
        }
        if (n instanceof BigInteger b && b.bitLength() > MAX_SHOWN_BITS) {
            // Printing a huge literal costs time quadratic in its length; its size says enough.
            return (b.signum() < 0 ? "a negative integer" : "an integer") + " of about "
                    + (long) (b.bitLength() * Math.log10(2)) + " digits";
        }
        // BigDecimal.toString uses an exponent when the plain form would be long.
        return Text.truncate(n.toString());
    }
}
