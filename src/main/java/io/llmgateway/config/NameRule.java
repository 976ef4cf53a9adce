package io.llmgateway.config;

import io.llmgateway.common.Text;
import java.util.regex.Pattern;

/**
 * The names of plans and clients. They become parts of AWS resource names and logical names, so one
 * conservative rule covers both.
 */
final class NameRule {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    private NameRule() {
    }

    /** Reports {@code name} at {@code path} unless it follows the rule; {@code kind} is e.g. {@code plan}. */
    static void check(KeyPath path, String kind, String name, LoadReport report) {
        if (!NAME.matcher(name).matches()) {
            report.problem(path, kind + " name " + Text.quote(name)
                    + " is not allowed: use 1-64 letters, digits, '-' or '_', starting with a letter or digit");
        }
    }
}
