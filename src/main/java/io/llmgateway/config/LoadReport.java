package io.llmgateway.config;

import io.llmgateway.common.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The problems and warnings of one load, and the one place that decides how a value appears in them:
 * cut to a bounded length, and never shown at all when Pulumi holds it as a secret (see
 * {@link Secrets#isSecret}). Every reader writes through here, so no message can echo a secret or a
 * runaway value.
 */
final class LoadReport {

    /** What a message shows instead of a secret value. */
    static final String HIDDEN = "[secret]";

    private final Secrets secrets;
    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();

    LoadReport(Secrets secrets) {
        this.secrets = secrets;
    }

    Secrets secrets() {
        return secrets;
    }

    void problem(KeyPath path, String message) {
        problem(path.toString(), message);
    }

    /** For what is not a key path of this project, such as {@code llm-gateway:stageNmae} or {@code aws:region}. */
    void problem(String where, String message) {
        problems.add(where + ": " + message);
    }

    void warn(KeyPath path, String message) {
        warnings.add(path + ": " + message);
    }

    boolean isSecret(KeyPath path) {
        return secrets.isSecret(path);
    }

    /**
     * A scalar value as a message shows it: a string quoted ({@code 'fast'}), a number as written
     * ({@code 2.5}), each bounded; {@value #HIDDEN} when it is secret.
     */
    String show(KeyPath path, Object value) {
        return isSecret(path) ? HIDDEN : plain(value);
    }

    /**
     * A value that parsed as a number, as written and unquoted even when it arrived as a string
     * ({@code 1e999999999}, bounded); {@value #HIDDEN} when it is secret.
     */
    String showNumber(KeyPath path, Object value) {
        if (isSecret(path)) {
            return HIDDEN;
        }
        return value instanceof String s ? Text.truncate(s.strip()) : plain(value);
    }

    /**
     * Text a reader has checked and prints as it is, unquoted (a canonical range, an endpoint id),
     * bounded; {@value #HIDDEN} when the value at any of {@code paths} is secret (one value found at
     * two positions is hidden when either holds it as a secret).
     */
    String showChecked(String text, KeyPath... paths) {
        for (KeyPath path : paths) {
            if (isSecret(path)) {
                return HIDDEN;
            }
        }
        return Text.truncate(text);
    }

    /** What was found where something else was expected: {@code 'fast'}, {@code an object}, {@code a string [secret]}. */
    String describe(KeyPath path, Object node) {
        if (node == null) {
            return "nothing";
        }
        if (node instanceof Map<?, ?>) {
            return "an object";
        }
        if (node instanceof List<?>) {
            return "a list";
        }
        if (node == EncryptedValue.INSTANCE) {
            return "an encrypted value";
        }
        if (!isSecret(path)) {
            return plain(node);
        }
        String kind = node instanceof String ? "a string" : node instanceof Number ? "a number"
                : node instanceof Boolean ? "a boolean" : "a value";
        return kind + " " + HIDDEN;
    }

    private static String plain(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof String s) {
            return Text.quote(s);
        }
        if (value instanceof Number n) {
            return Numbers.show(n);
        }
        return Text.truncate(String.valueOf(value));
    }

    List<String> problems() {
        return problems;
    }

    List<String> warnings() {
        return warnings;
    }
}
