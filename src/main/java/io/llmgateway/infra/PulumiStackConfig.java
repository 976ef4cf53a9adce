package io.llmgateway.infra;

import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.Secrets;
import io.llmgateway.config.Setting;
import io.llmgateway.config.StackFile;
import io.llmgateway.config.StackRegion;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The edge between Pulumi's config and {@link ConfigLoader}: reads this project's keys once and hands
 * them over as plain values, with what the loader needs to know besides: which values are secret, and
 * the stack's AWS Region. Pulumi gives a program scalars as strings and objects as JSON text (secret
 * leaves decrypted, the whole key marked secret); the loader accepts numbers and booleans as strings,
 * so only objects are parsed here.
 *
 * <p>{@link com.pulumi.Config} cannot list its keys, and the loader must see every key to reject a
 * misspelled one. The names therefore come from the two variables the Java SDK itself reads:
 * {@value #CONFIG_VARIABLE} (a JSON object of {@code namespace:key} to string) and
 * {@value #SECRET_KEYS_VARIABLE} (a JSON array of keys); the values come through {@code ctx.config()}.
 *
 * <p>Which single values are secret is written only in the stack file, so this reads it too (see
 * {@link #secrets}).
 */
public final class PulumiStackConfig {

    static final String CONFIG_VARIABLE = "PULUMI_CONFIG";
    static final String SECRET_KEYS_VARIABLE = "PULUMI_CONFIG_SECRET_KEYS";
    private static final String PREFIX = ConfigLoader.NAMESPACE + ":";
    /** The old {@code project:config:key} form, which the SDK still accepts. */
    private static final Pattern LEGACY_KEY = Pattern.compile("([^:]+):config:(.+)");
    private static final Set<String> OBJECT_KEYS = Set.copyOf(ConfigLoader.objectKeys());
    /**
     * Where the AWS provider finds its Region when {@code aws:region} is not set: pulumi-aws 6.83.0's
     * own {@code com.pulumi.aws.Config.region()} reads {@code aws:region}, then these, in this order.
     */
    private static final List<String> REGION_VARIABLES = List.of("AWS_REGION", "AWS_DEFAULT_REGION");

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
     * Reads the keys through {@code config} and validates them, as {@code pulumi up} runs the program:
     * in the project directory, with the AWS provider's environment.
     *
     * @param config    this project's config ({@code ctx.config()})
     * @param aws       the {@code aws} namespace ({@code ctx.config("aws")}), for {@code aws:region}
     * @param stackName the stack's name ({@code ctx.stackName()}), short or {@code org/project/stack}
     * @throws io.llmgateway.config.ConfigException listing every problem
     */
    public static ConfigLoader.Result load(com.pulumi.Config config, com.pulumi.Config aws, Keys keys, String stackName) {
        return load(config, aws, keys, stackName, Path.of(""), System.getenv());
    }

    static ConfigLoader.Result load(com.pulumi.Config config, com.pulumi.Config aws, Keys keys, String stackName,
                                    Path projectDir, Map<String, String> environment) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String key : keys.present()) {
            config.get(key).ifPresent(text -> values.put(key, decode(key, text)));
        }
        return ConfigLoader.load(values, secrets(keys, stackName, projectDir), region(aws, environment));
    }

    /**
     * The stack's Region as the AWS provider finds it. When none is set, the provider may still take one
     * from the profile in the shared AWS config file, which this program does not read: the Region is
     * then unknown here, and which inference profiles fit it is not checked.
     */
    static Optional<StackRegion> region(com.pulumi.Config aws, Map<String, String> environment) {
        Optional<String> configured = aws.get("region");
        if (configured.isPresent()) {
            return Optional.of(new StackRegion(configured.get(), "aws:region"));
        }
        for (String variable : REGION_VARIABLES) {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                return Optional.of(new StackRegion(value, variable));
            }
        }
        return Optional.empty();
    }

    /**
     * The engine marks only whole top-level keys secret; which leaf was set with {@code --secret} is
     * written only in the stack file. The Pulumi CLI runs the program in the project directory and
     * reads {@code Pulumi.<stack>.yaml} (the short stack name, the last segment of
     * {@code org/project/stack}; the project file's extension) from the directory {@code stackConfigDir}
     * in Pulumi.yaml names, or the project directory (pulumi/pulumi, {@code pkg/workspace/paths.go},
     * {@code DetectProjectStackPath}). When that file is not there or is not the one the engine read
     * ({@code pulumi up --config-file}, values from Pulumi ESC), only the top-level marks are known, and
     * the loader says so in a warning.
     */
    static Secrets secrets(Keys keys, String stackName, Path projectDir) {
        Path projectFile = projectDir.resolve("Pulumi.yaml");
        if (!Files.isRegularFile(projectFile)) {
            projectFile = projectDir.resolve("Pulumi.yml");
        }
        if (!Files.isRegularFile(projectFile)) {
            return Secrets.withoutStackFile(keys.secret(), "there is no Pulumi.yaml in the working directory "
                    + Text.truncate(projectDir.toAbsolutePath().toString()));
        }
        String extension = projectFile.getFileName().toString().endsWith(".yml") ? ".yml" : ".yaml";
        String shortName = stackName.substring(stackName.lastIndexOf('/') + 1);
        Path stackFile;
        try {
            stackFile = projectDir.resolve(stackConfigDir(projectFile)).resolve("Pulumi." + shortName + extension);
        } catch (IOException | RuntimeException e) {
            return Secrets.withoutStackFile(keys.secret(), "cannot read stackConfigDir from " + projectFile.getFileName()
                    + ": " + Text.truncate(String.valueOf(e.getMessage())));
        }
        if (!Files.isRegularFile(stackFile)) {
            return Secrets.withoutStackFile(keys.secret(), stackFile + " was not found (pulumi up --config-file, "
                    + "or values from Pulumi ESC?)");
        }
        StackFile file;
        try {
            file = StackFile.read(stackFile);
        } catch (IOException e) {
            return Secrets.withoutStackFile(keys.secret(), "cannot read " + stackFile + ": " + Text.truncate(e.getMessage()));
        }
        Set<String> unknownToEngine = new TreeSet<>(file.values().keySet());
        unknownToEngine.removeAll(keys.present());
        if (!unknownToEngine.isEmpty()) {
            return Secrets.withoutStackFile(keys.secret(), stackFile + " sets keys the engine did not pass ("
                    + Text.truncate(String.join(", ", unknownToEngine)) + "), so it is not the file the config came from "
                    + "(pulumi up --config-file?)");
        }
        return Secrets.of(keys.secret(), file);
    }

    /** Pulumi.yaml's {@code stackConfigDir}, or the empty path. */
    private static String stackConfigDir(Path projectFile) throws IOException {
        try (Reader reader = Files.newBufferedReader(projectFile, StandardCharsets.UTF_8)) {
            Object project = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            Object dir = project instanceof Map<?, ?> map ? map.get("stackConfigDir") : null;
            if (dir != null && !(dir instanceof String)) {
                throw new IOException("stackConfigDir is not a string");
            }
            return dir == null ? "" : (String) dir;
        }
    }

    /**
     * A scalar stays a string (the loader parses and range-checks it, naming the key). An object is
     * parsed; text that is not JSON stays text, which the loader refuses without showing it when the
     * key is secret.
     */
    static Object decode(String key, String text) {
        boolean objectKey = OBJECT_KEYS.contains(key);
        boolean unknownKey = Setting.byKey(key).isEmpty() && !objectKey;
        String trimmed = text.strip();
        if (objectKey || (unknownKey && (trimmed.startsWith("{") || trimmed.startsWith("[")))) {
            try {
                return Json.read(trimmed);
            } catch (IOException e) {
                return text;
            }
        }
        return text;
    }
}
