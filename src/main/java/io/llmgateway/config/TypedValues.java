package io.llmgateway.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of config values, each reporting a value of the wrong type to the {@link LoadReport} and
 * returning null. Values arrive typed from a YAML stack file or JSON, or as strings (Pulumi hands
 * scalars to programs as strings, and {@code pulumi config set --path} stores {@code 0.5} as one), so
 * numbers and booleans are accepted in either form.
 */
final class TypedValues {

    /** A number as read, with how messages show it (bounded, or hidden when secret). */
    record Num(BigDecimal value, String shown) {
        boolean within(long min, long max) {
            return Numbers.within(value, min, max);
        }

        /** The value as an int; only for a value {@link #within} the int range. */
        int intValue() {
            return value.intValueExact();
        }

        /** The value as a double: infinite when too large, 0 when too small (see {@link Numbers#toDouble}). */
        double doubleValue() {
            return Numbers.toDouble(value);
        }
    }

    private final LoadReport report;

    TypedValues(LoadReport report) {
        this.report = report;
    }

    /** A map whose keys are all in {@code allowed} (any keys when {@code allowed} is null), or null. */
    Map<String, Object> object(KeyPath path, Object node, List<String> allowed) {
        return object(path, node, allowed, "");
    }

    /**
     * @param hint appended when {@code node} is not a map, e.g. the path the value probably belongs at
     */
    Map<String, Object> object(KeyPath path, Object node, List<String> allowed, String hint) {
        if (node == EncryptedValue.INSTANCE) {
            report.problem(path, "is encrypted in the stack file; only the Pulumi CLI can decrypt it. Encrypt single "
                    + "leaves instead (pulumi config set --secret --path ...)");
            return null;
        }
        if (!(node instanceof Map<?, ?> raw)) {
            report.problem(path, "must be an object, got " + report.describe(path, node) + hint);
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        raw.forEach((k, v) -> map.put(String.valueOf(k), v));
        if (allowed != null) {
            for (String key : map.keySet()) {
                if (!allowed.contains(key)) {
                    report.problem(path.child(key), "unknown key" + Suggestions.didYouMean(key, allowed)
                            + "; valid keys here: " + String.join(", ", allowed));
                }
            }
        }
        return map;
    }

    /** A map that must be present and not empty; {@code what} says what it holds, with an example. */
    Map<String, Object> requiredMap(KeyPath path, Object node, String what) {
        if (node == null) {
            report.problem(path, "required: " + what);
            return null;
        }
        Map<String, Object> map = object(path, node, null);
        if (map != null && map.isEmpty()) {
            report.problem(path, "must not be empty: " + what);
            return null;
        }
        return map;
    }

    /**
     * A list (what {@code pulumi config set --path 'key[0]' value} builds), or null. {@code what} says
     * what it holds, with an example, for the message when it is something else.
     */
    List<Object> list(KeyPath path, Object node, String what) {
        if (node instanceof List<?> raw) {
            return new ArrayList<>(raw);
        }
        report.problem(path, "must be a list, got " + report.describe(path, node) + ": " + what);
        return null;
    }

    String string(KeyPath path, Object node) {
        if (node instanceof String s) {
            return s;
        }
        report.problem(path, "must be a string, got " + report.describe(path, node));
        return null;
    }

    Boolean bool(KeyPath path, Object node) {
        if (node instanceof Boolean b) {
            return b;
        }
        if (node instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        report.problem(path, "must be true or false, got " + report.describe(path, node));
        return null;
    }

    /** Any finite number, fractions allowed. */
    Num number(KeyPath path, Object node) {
        BigDecimal value = Numbers.decimal(node);
        if (value == null) {
            report.problem(path, "must be " + (isNonFinite(node) ? "a finite number" : "a number") + ", got "
                    + report.describe(path, node));
            return null;
        }
        return new Num(value, report.showNumber(path, node));
    }

    /** A whole number of any size; the caller checks its range with {@link Num#within}. */
    Num integer(KeyPath path, Object node) {
        BigDecimal value = Numbers.decimal(node);
        if (value == null || !Numbers.isWhole(value)) {
            report.problem(path, "must be an integer, got " + report.describe(path, node));
            return null;
        }
        return new Num(value, report.showNumber(path, node));
    }

    /** An integer from {@code min} to {@code max}, as the scalar settings state their range. */
    Integer integer(KeyPath path, Object node, int min, int max) {
        Num n = integer(path, node);
        if (n == null) {
            return null;
        }
        if (!n.within(min, max)) {
            report.problem(path, n.shown() + " is out of range; allowed: " + min + "-" + max);
            return null;
        }
        return n.intValue();
    }

    private static boolean isNonFinite(Object node) {
        return (node instanceof Double d && !Double.isFinite(d)) || (node instanceof Float f && !Float.isFinite(f));
    }
}
