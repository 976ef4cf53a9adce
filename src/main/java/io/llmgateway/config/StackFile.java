package io.llmgateway.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.DuplicateKeyException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A {@code Pulumi.<stack>.yaml} read straight from disk. It is where Pulumi keeps the truth about
 * which values were set with {@code --secret}: a secure leaf is {@code {secure: <ciphertext>}}, which
 * becomes {@link EncryptedValue} here (only the Pulumi CLI can decrypt it). A Pulumi program is handed
 * decrypted values and only learns which top-level keys hold a secret somewhere, so the per-value
 * rules (an {@code apiKey} must itself be secret) read this file: the local gateway directly, and
 * {@code pulumi up} through infra.PulumiStackConfig.
 *
 * @param source where it was read, for messages, e.g. {@code Pulumi.dev.yaml}
 * @param values this project's keys, without the namespace
 * @param other  keys of other namespaces, e.g. {@code aws:region}, with their namespace
 */
public record StackFile(String source, Map<String, Object> values, Map<String, Object> other) {

    /** What a stack file says about one value. */
    enum Held {
        /** The value, or one that contains it, is a {@code secure:} leaf. */
        SECURE,
        /** The value is in the file in plain text (as a leaf, or inside a plain JSON text). */
        PLAIN,
        /** The file does not set it: it comes from elsewhere (project defaults, Pulumi ESC). */
        ABSENT
    }

    private static final String AWS_REGION = "aws:region";

    public StackFile {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        other = Collections.unmodifiableMap(new LinkedHashMap<>(other));
    }

    public static StackFile read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return of(yaml().load(reader), file.toString());
        } catch (YAMLException e) {
            throw notYaml(file.toString(), e);
        }
    }

    /** A stack file's text, as {@link #read} reads a file. */
    static StackFile parse(String text, String source) throws IOException {
        try {
            return of(yaml().load(text), source);
        } catch (YAMLException e) {
            throw notYaml(source, e);
        }
    }

    /**
     * Duplicate keys are refused anywhere in the file: SnakeYAML would otherwise keep the last one, so
     * a plain-text {@code apiKey} followed by {@code apiKey: {secure: ...}} would pass while the plain
     * key stays in the file.
     */
    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new PulumiYamlResolver());
    }

    /**
     * Where the YAML went wrong, and what SnakeYAML found, but never its own message: that quotes the
     * offending line, and a line of a stack file can hold a key in plain text. The cause is left off
     * for the same reason.
     */
    static IOException notYaml(String source, YAMLException e) {
        if (e instanceof DuplicateKeyException duplicate) {
            Mark at = duplicate.getProblemMark();
            String key = duplicate.getProblem().replaceFirst("^found duplicate key ", "");
            return new IOException(source + ": duplicate key '" + key + "' at " + position(at)
                    + "; a key may appear only once in a mapping (remove one; `pulumi config set` rewrites the value)");
        }
        if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            return new IOException(source + " is not valid YAML at " + position(marked.getProblemMark()) + ": "
                    + marked.getProblem());
        }
        if (e instanceof ReaderException unreadable) {
            return new IOException(source + " is not valid YAML: character " + (unreadable.getPosition() + 1)
                    + " (U+" + String.format("%04X", unreadable.getCodePoint()) + ") is not allowed in YAML");
        }
        return new IOException(source + " is not valid YAML (" + e.getClass().getSimpleName() + ")");
    }

    private static String position(Mark mark) {
        return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    /**
     * Scalars resolved as the Pulumi CLI resolves them. The CLI reads stack files with a YAML 1.2 parser,
     * where only {@code true} and {@code false} are booleans; SnakeYAML follows YAML 1.1, where
     * {@code on}, {@code off}, {@code yes}, {@code no}, {@code y} and {@code n} are booleans too, so a
     * client named {@code no} or {@code enabled: yes} would mean something here that it does not mean to
     * {@code pulumi up}. Timestamps stay text for the same reason: a description "2026-01-01" is a string.
     */
    private static final class PulumiYamlResolver extends Resolver {
        private static final Pattern YAML_1_2_BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, YAML_1_2_BOOL, "tTfF", 10);
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+.0123456789");
            addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
            addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
            addImplicitResolver(Tag.YAML, YAML, "!&*", 10);
        }
    }

    static StackFile of(Object root, String source) throws IOException {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> other = new LinkedHashMap<>();
        if (root == null) {
            return new StackFile(source, values, other);
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw new IOException(source + ": expected a mapping at the top level");
        }
        Object config = top.get("config");
        if (config == null) {
            return new StackFile(source, values, other);
        }
        if (!(config instanceof Map<?, ?> entries)) {
            throw new IOException(source + ": 'config' must be a mapping");
        }
        String prefix = ConfigLoader.NAMESPACE + ":";
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = unwrap(entry.getValue());
            if (key.startsWith(prefix)) {
                values.put(key.substring(prefix.length()), value);
            } else {
                other.put(key, value);
            }
        }
        return new StackFile(source, values, other);
    }

    private static Object unwrap(Object node) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1 && map.containsKey("secure")) {
                return EncryptedValue.INSTANCE;
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(String.valueOf(k), unwrap(v)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(unwrap(v)));
            return copy;
        }
        return node;
    }

    /** This project's top-level keys that hold a {@code secure:} value somewhere: what Pulumi marks secret. */
    public Set<String> secretKeys() {
        Set<String> keys = new LinkedHashSet<>();
        securePathList().forEach(path -> keys.add(path.top()));
        return keys;
    }

    /**
     * Every {@code secure:} leaf of this project, in {@code pulumi config set --path} syntax, e.g.
     * {@code clients.acme.apiKey}.
     */
    Set<String> securePaths() {
        Set<String> paths = new LinkedHashSet<>();
        securePathList().forEach(path -> paths.add(path.full()));
        return paths;
    }

    private List<KeyPath> securePathList() {
        List<KeyPath> paths = new ArrayList<>();
        values.forEach((key, value) -> collectSecure(KeyPath.of(key), value, paths));
        return paths;
    }

    private static void collectSecure(KeyPath path, Object node, List<KeyPath> into) {
        if (node == EncryptedValue.INSTANCE) {
            into.add(path);
        } else if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> collectSecure(path.child(String.valueOf(k)), v, into));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                collectSecure(path.element(i), list.get(i), into);
            }
        }
    }

    /** Whether this file sets the value at {@code path}, and how. */
    Held held(KeyPath path) {
        List<Object> segments = path.segments();
        if (!values.containsKey(path.top())) {
            return Held.ABSENT;
        }
        Object node = values.get(path.top());
        for (Object segment : segments.subList(1, segments.size())) {
            if (node == EncryptedValue.INSTANCE) {
                return Held.SECURE;
            }
            if (node instanceof String) {
                // `pulumi config set clients '{"acme": ...}'` keeps the whole object as one plain text.
                return Held.PLAIN;
            }
            if (node instanceof Map<?, ?> map && segment instanceof String key && map.containsKey(key)) {
                node = map.get(key);
            } else if (node instanceof List<?> list && segment instanceof Integer index && index < list.size()) {
                node = list.get(index);
            } else {
                return Held.ABSENT;
            }
        }
        return node == EncryptedValue.INSTANCE ? Held.SECURE : Held.PLAIN;
    }

    /** The stack's {@code aws:region}, when this file sets it in plain text. */
    public Optional<StackRegion> region() {
        Object region = other.get(AWS_REGION);
        if (region == null || region == EncryptedValue.INSTANCE) {
            return Optional.empty();
        }
        return Optional.of(new StackRegion(String.valueOf(region), AWS_REGION));
    }

    /** Validates this file's config for the project, with the secrets and Region this file holds. */
    public ConfigLoader.Result load() {
        return ConfigLoader.load(values, Secrets.of(this), region());
    }
}
