package io.llmgateway.config;

import java.util.regex.Pattern;

/** Key paths in the syntax of {@code pulumi config set --path}: {@code plans.pro.methodThrottles["/v1/models/GET"]}. */
final class KeyPath {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private KeyPath() {
    }

    static String child(String parent, String key) {
        if (PLAIN.matcher(key).matches()) {
            return parent.isEmpty() ? key : parent + "." + key;
        }
        return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }
}
