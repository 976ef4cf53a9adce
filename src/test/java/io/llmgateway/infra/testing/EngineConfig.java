package io.llmgateway.infra.testing;

import io.llmgateway.common.Json;
import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.EncryptedValue;
import io.llmgateway.config.Setting;
import io.llmgateway.config.StackFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A stack's config as the engine hands it to the program: a real {@code Pulumi.<stack>.yaml}, merged
 * with Pulumi.yaml's defaults (as the engine does), optionally changed by a test.
 *
 * @param stack      the stack name, e.g. {@code dev}
 * @param values     this project's keys without the namespace, as nested maps
 * @param secretKeys this project's keys Pulumi holds as secrets
 * @param other      other namespaces, e.g. {@code aws:region}
 */
public record EngineConfig(String stack, Map<String, Object> values, Set<String> secretKeys, Map<String, Object> other) {

    public static EngineConfig load(String stack) {
        try {
            StackFile file = StackFile.read(Path.of("Pulumi." + stack + ".yaml"));
            return new EngineConfig(stack, deepCopy(file.values()), new LinkedHashSet<>(file.secretKeys()),
                    deepCopy(file.other()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy with the value at a dotted path set, e.g. {@code plans.dev.throttle.burstLimit}. */
    public EngineConfig with(String dottedPath, Object value) {
        return with(Arrays.asList(dottedPath.split("\\.")), value);
    }

    /** A copy with the value at a path set; a null value removes the key. */
    @SuppressWarnings("unchecked")
    public EngineConfig with(List<String> path, Object value) {
        Map<String, Object> copy = deepCopy(values);
        Map<String, Object> node = copy;
        for (String key : path.subList(0, path.size() - 1)) {
            node = (Map<String, Object>) node.computeIfAbsent(key, k -> new LinkedHashMap<>());
        }
        String last = path.get(path.size() - 1);
        if (value == null) {
            node.remove(last);
        } else {
            node.put(last, value);
        }
        return new EngineConfig(stack, copy, secretKeys, other);
    }

    /** A copy in which Pulumi holds this top-level key as a secret. */
    public EngineConfig secret(String topLevelKey) {
        Set<String> secrets = new LinkedHashSet<>(secretKeys);
        secrets.add(topLevelKey);
        return new EngineConfig(stack, values, secrets, other);
    }

    /** The keys the engine would list in PULUMI_CONFIG for this project, defaults included. */
    public Set<String> presentKeys() {
        return withProjectDefaults().keySet();
    }

    /**
     * {@code namespace:key} to string, exactly what the engine passes: scalars as text, objects as JSON
     * text. Encrypted values cannot be represented (only the Pulumi CLI decrypts them) and are refused.
     */
    public Map<String, String> engineConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        withProjectDefaults().forEach((k, v) -> config.put(ConfigLoader.NAMESPACE + ":" + k, engineText(k, v)));
        other.forEach((k, v) -> config.put(k, engineText(k, v)));
        return config;
    }

    private static String engineText(String key, Object value) {
        if (containsEncrypted(value)) {
            throw new IllegalStateException(key + " is encrypted; only the Pulumi CLI can decrypt it");
        }
        return value instanceof Map<?, ?> || value instanceof List<?> ? Json.write(value) : String.valueOf(value);
    }

    private static boolean containsEncrypted(Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(EngineConfig::containsEncrypted);
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(EngineConfig::containsEncrypted);
        }
        return value instanceof EncryptedValue;
    }

    /** The engine's full secret key names. */
    public Set<String> engineSecretKeys() {
        Set<String> keys = new LinkedHashSet<>();
        secretKeys.forEach(k -> keys.add(ConfigLoader.NAMESPACE + ":" + k));
        return keys;
    }

    /**
     * Pulumi.yaml's defaults (equal to {@link Setting}'s, see PulumiProjectFileTest) for the keys the
     * stack does not set, rendered as the engine renders them ({@code %v}).
     */
    private Map<String, Object> withProjectDefaults() {
        Map<String, Object> merged = new LinkedHashMap<>(values);
        for (Setting setting : Setting.values()) {
            merged.putIfAbsent(setting.key(), String.valueOf(setting.defaultValue()));
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), deepCopy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(deepCopy(v)));
            return (T) copy;
        }
        return value;
    }
}
