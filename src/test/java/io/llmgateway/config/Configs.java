package io.llmgateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Stack configs for the loader's tests, written as the maps a stack file holds; each test breaks one thing. */
final class Configs {
    private Configs() {
    }

    /** A small valid config, as typed YAML values. */
    static Map<String, Object> valid() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("models", map("nova-micro", "amazon.nova-micro-v1:0"));
        config.put("plans", map("standard", map(
                "throttle", map("rateLimit", 10, "burstLimit", 20),
                "quota", map("limit", 1000, "period", "DAY", "offset", 0))));
        config.put("clients", map("acme", map("plan", "standard")));
        return config;
    }

    static List<String> problems(Map<String, Object> config) {
        return problems(config, Set.of());
    }

    static List<String> problems(Map<String, Object> config, Set<String> secretKeys) {
        return problems(() -> ConfigLoader.load(config, secretKeys));
    }

    static List<String> problems(Map<String, Object> config, Secrets secrets, Optional<StackRegion> region) {
        return problems(() -> ConfigLoader.load(config, secrets, region));
    }

    private static List<String> problems(Runnable load) {
        ConfigException error = catchThrowableOfType(ConfigException.class, load::run);
        assertThat(error).as("expected the config to be rejected").isNotNull();
        return error.problems();
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** A deep copy with the value at a dotted path set (null removes it). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> set(Map<String, Object> config, String path, Object value) {
        Map<String, Object> copy = (Map<String, Object>) deepCopy(config);
        String[] keys = path.split("\\.");
        Map<String, Object> node = copy;
        for (int i = 0; i < keys.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(keys[i], k -> new LinkedHashMap<>());
        }
        if (value == null) {
            node.remove(keys[keys.length - 1]);
        } else {
            node.put(keys[keys.length - 1], value);
        }
        return copy;
    }

    static Object deepCopy(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, deepCopy(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(Configs::deepCopy).toList());
        }
        return value;
    }
}
