package io.llmgateway.config;

import io.llmgateway.common.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A key path in the syntax of {@code pulumi config set --path}: {@code clients.acme.apiKey},
 * {@code plans.pro.methodThrottles["/v1/models/GET"]}, {@code list[0]}. Segments are map keys
 * ({@link String}) or list indices ({@link Integer}).
 */
record KeyPath(List<Object> segments) {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    KeyPath {
        segments = List.copyOf(segments);
        if (segments.isEmpty() || !(segments.get(0) instanceof String)) {
            throw new IllegalArgumentException("a key path starts with a top-level key");
        }
    }

    static KeyPath of(String topLevelKey) {
        return new KeyPath(List.of(topLevelKey));
    }

    KeyPath child(String key) {
        return append(key);
    }

    KeyPath element(int index) {
        return append(index);
    }

    private KeyPath append(Object segment) {
        List<Object> longer = new ArrayList<>(segments);
        longer.add(segment);
        return new KeyPath(longer);
    }

    /** The top-level key: what Pulumi marks secret or not as a whole. */
    String top() {
        return (String) segments.get(0);
    }

    /** The path in full, as {@code pulumi config set --path} takes it. */
    String full() {
        return render(false);
    }

    /** The path for a message: like {@link #full()}, with each key cut and escaped as {@link Text#printable} does. */
    @Override
    public String toString() {
        return render(true);
    }

    private String render(boolean bounded) {
        StringBuilder text = new StringBuilder();
        for (Object segment : segments) {
            if (segment instanceof Integer index) {
                text.append('[').append(index).append(']');
                continue;
            }
            String key = (String) segment;
            if (text.isEmpty()) {
                text.append(bounded ? Text.printable(key) : key);
            } else if (PLAIN.matcher(key).matches()) {
                text.append('.').append(bounded ? Text.printable(key) : key);
            } else {
                String quoted = key.replace("\\", "\\\\").replace("\"", "\\\"");
                text.append("[\"").append(bounded ? Text.printable(quoted) : quoted).append("\"]");
            }
        }
        return text.toString();
    }
}
