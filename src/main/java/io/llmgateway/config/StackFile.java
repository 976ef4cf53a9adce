package io.llmgateway.config;

import io.llmgateway.common.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A {@code Pulumi.<stack>.yaml} read straight from disk, as the local gateway and the tests need
 * it. {@code secure:} leaves become {@link EncryptedValue}: only the Pulumi CLI can decrypt them.
 *
 * @param values     this project's keys, without the namespace
 * @param secretKeys this project's top-level keys that hold a {@code secure:} value somewhere
 * @param other      keys of other namespaces, e.g. {@code aws:region}, with their namespace
 */
public record StackFile(Map<String, Object> values, Set<String> secretKeys, Map<String, Object> other) {

    public StackFile {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        secretKeys = Set.copyOf(secretKeys);
        other = Collections.unmodifiableMap(new LinkedHashMap<>(other));
    }

    public static StackFile read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            return of(root, file.toString());
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new IOException(file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    static StackFile of(Object root, String source) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> other = new LinkedHashMap<>();
        Set<String> secrets = new HashSet<>();
        if (root == null) {
            return new StackFile(values, secrets, other);
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new IOException(source + ": expected a mapping at the top level");
        }
        Object config = top.get("config");
        if (config == null) {
            return new StackFile(values, secrets, other);
        }
        if (!(config instanceof Map<?, ?> entries)) {
            throw new IOException(source + ": 'config' must be a mapping");
        }
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            String key = String.valueOf(entry.getKey());
            boolean[] secret = {false};
            Object value = unwrap(entry.getValue(), secret);
            String prefix = ConfigLoader.NAMESPACE + ":";
            if (key.startsWith(prefix)) {
                String name = key.substring(prefix.length());
                values.put(name, value);
                if (secret[0]) {
                    secrets.add(name);
                }
            } else {
                other.put(key, value);
            }
        }
        return new StackFile(values, secrets, other);
    }

    private static Object unwrap(Object node, boolean[] secret) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("secure")) {
                secret[0] = true;
                return EncryptedValue.INSTANCE;
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), unwrap(v, secret)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(unwrap(v, secret)));
            return copy;
        }
        return node;
    }

    /** Validates this file's config for the project. */
    public ConfigLoader.Result load() {
        return ConfigLoader.load(values, secretKeys);
    }

    /**
     * The config as the Pulumi engine hands it to a program: namespaced keys, scalars as strings,
     * objects as JSON text. Encrypted values cannot be represented and are rejected.
     */
    public Map<String, String> asPulumiConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        values.forEach((k, v) -> config.put(ConfigLoader.NAMESPACE + ":" + k, engineText(k, v)));
        other.forEach((k, v) -> config.put(k, engineText(k, v)));
        return config;
    }

    private static String engineText(String key, Object value) {
        if (containsEncrypted(value)) {
            throw new IllegalStateException(key + " is encrypted; only the Pulumi CLI can decrypt it");
        }
        if (value instanceof Map<?, ?> || value instanceof List<?>) {
            return Json.write(value);
        }
        return String.valueOf(value);
    }

    private static boolean containsEncrypted(Object value) {
        if (value == EncryptedValue.INSTANCE) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            return map.values().stream().anyMatch(StackFile::containsEncrypted);
        }
        if (value instanceof List<?> list) {
            return list.stream().anyMatch(StackFile::containsEncrypted);
        }
        return false;
    }
}
