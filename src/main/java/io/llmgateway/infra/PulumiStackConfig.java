package io.llmgateway.infra;

import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.SecretValue;
import io.llmgateway.config.Setting;
import io.llmgateway.common.Json;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The edge between Pulumi's config and {@link ConfigLoader}: reads this project's keys once and hands
 * them over as plain values. Pulumi gives a program scalars as strings and objects as JSON text
 * (secret leaves decrypted, the whole key marked secret); the loader accepts numbers and booleans as
 * strings, so only objects are parsed here.
 *
 * <p>{@link com.pulumi.Config} cannot list its keys, and the loader must see every key to reject a
 * misspelled one. The names therefore come from the two variables the Java SDK itself reads:
 * {@value #CONFIG_VARIABLE} (a JSON object of {@code namespace:key} to string) and
 * {@value #SECRET_KEYS_VARIABLE} (a JSON array of keys); the values come through {@code ctx.config()}.
 */
public final class PulumiStackConfig {

    static final String CONFIG_VARIABLE = "PULUMI_CONFIG";
    static final String SECRET_KEYS_VARIABLE = "PULUMI_CONFIG_SECRET_KEYS";
    private static final String PREFIX = ConfigLoader.NAMESPACE + ":";
    /** The old {@code project:config:key} form, which the SDK still accepts. */
    private static final Pattern LEGACY_KEY = Pattern.compile("([^:]+):config:(.+)");
    private static final Set<String> OBJECT_KEYS = Set.of(ConfigLoader.MODELS, ConfigLoader.PLANS, ConfigLoader.CLIENTS);

    /**
     * This project's top-level keys in the stack, without the namespace.
     *
     * @param present every key the stack sets (project defaults included)
     * @param secret  the keys Pulumi holds as secrets
     */
    public record Keys(Set<String> present, Set<String> secret) {
        public Keys {
            present = Collections.unmodifiableSet(new TreeSet<>(present));
            secret = Collections.unmodifiableSet(new TreeSet<>(secret));
        }

        /** From {@value #CONFIG_VARIABLE} and {@value #SECRET_KEYS_VARIABLE} in this environment. */
        public static Keys fromEnvironment(Map<String, String> environment) {
            String config = environment.get(CONFIG_VARIABLE);
            String secrets = environment.get(SECRET_KEYS_VARIABLE);
            try {
                Set<String> present = config == null || config.isBlank()
                        ? Set.of() : projectKeys(Json.readObject(config).keySet());
                Set<String> secret = Set.of();
                if (secrets != null && !secrets.isBlank()) {
                    if (!(Json.read(secrets) instanceof List<?> list)) {
                        throw new IllegalStateException(SECRET_KEYS_VARIABLE + " is not a JSON array");
                    }
                    secret = projectKeys(list.stream().map(String::valueOf).toList());
                }
                return new Keys(present, secret);
            } catch (IOException e) {
                throw new IllegalStateException(CONFIG_VARIABLE + " or " + SECRET_KEYS_VARIABLE
                        + " is not the JSON the Pulumi engine sets: " + e.getMessage(), e);
            }
        }

        static Set<String> projectKeys(Iterable<String> fullKeys) {
            Set<String> keys = new TreeSet<>();
            for (String fullKey : fullKeys) {
                Matcher legacy = LEGACY_KEY.matcher(fullKey);
                String key = legacy.matches() ? legacy.group(1) + ":" + legacy.group(2) : fullKey;
                if (key.startsWith(PREFIX)) {
                    keys.add(key.substring(PREFIX.length()));
                }
            }
            return keys;
        }
    }

    private PulumiStackConfig() {
    }

    /**
     * Reads the keys through {@code config} and validates them.
     *
     * @throws io.llmgateway.config.ConfigException listing every problem
     */
    public static ConfigLoader.Result load(com.pulumi.Config config, Keys keys) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String key : keys.present()) {
            config.get(key).ifPresent(text -> values.put(key, decode(key, text, keys.secret().contains(key))));
        }
        return ConfigLoader.load(values, keys.secret());
    }

    /**
     * A scalar stays a string (the loader parses and range-checks it, naming the key). An object is
     * parsed; if a secret one cannot be, the loader is handed a placeholder so the value is never echoed.
     */
    static Object decode(String key, String text, boolean secret) {
        boolean objectKey = OBJECT_KEYS.contains(key);
        boolean unknownKey = Setting.byKey(key).isEmpty() && !objectKey;
        String trimmed = text.strip();
        if (objectKey || (unknownKey && (trimmed.startsWith("{") || trimmed.startsWith("[")))) {
            try {
                return Json.read(trimmed);
            } catch (IOException e) {
                return secret ? new SecretValue(text) : text;
            }
        }
        return text;
    }
}
