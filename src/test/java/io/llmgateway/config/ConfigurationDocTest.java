package io.llmgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.ConfigPositions.Position;
import io.llmgateway.testing.Docs;
import io.llmgateway.testing.Docs.CodeBlock;
import io.llmgateway.testing.Docs.Page;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md cannot drift from the config model: its key tables list exactly the keys the
 * loader accepts (found by walking the configs that set every key, as ConfigPositionsTest keeps them),
 * the scalars with Setting's types and defaults; and every {@code pulumi config set} or
 * {@code pulumi config rm} the README and docs show leaves a committed stack that the loader accepts.
 */
class ConfigurationDocTest {

    private static final Page REFERENCE = Docs.read(Docs.DOCS.resolve("configuration.md"));
    private static final String UNKNOWN = "zzUnknownKey";
    /** Where a name of the user's choosing stands in a key path: a plan, a client, a model alias, a route. */
    private static final String NAME = "<>";

    @Test
    void theReferenceListsEveryKeyTheLoaderAccepts_andNoOther() {
        assertThat(mismatches(documentedKeys(), acceptedKeys())).isEmpty();
    }

    /** The comparison itself: a key left out, or one the loader does not take, is reported. */
    @Test
    void aMissingOrUnknownKey_isReported() {
        Accepted accepted = acceptedKeys();
        List<String> documented = new ArrayList<>(documentedKeys());
        documented.remove("plans.<>.tokens.budget.unit");
        documented.add("plans.<>.throttle.rateLimt");
        assertThat(mismatches(documented, accepted)).contains(
                "not in docs/configuration.md: plans.<>.tokens.budget.unit",
                "not a key the loader accepts: plans.<>.throttle.rateLimt");
    }

    @Test
    void theReferenceListsEverySettingWithItsTypeAndDefault() {
        for (Setting setting : Setting.values()) {
            assertThat(REFERENCE.text()).contains("| `" + setting.key() + "` | " + setting.kind().pulumiType() + " | `"
                    + setting.defaultValue() + "` |");
        }
    }

    /**
     * Each shell block's {@code pulumi config} commands, applied in order to the committed stack file they
     * name (the selected stack, dev, when they name none) as the CLI would store them, give a config the
     * loader accepts: the keys exist and the values are allowed.
     */
    @Test
    void everyPulumiConfigCommandInTheDocs_leavesAStackTheLoaderAccepts() throws IOException {
        int commands = 0;
        for (CodeBlock block : Docs.shellBlocks()) {
            Map<String, Map<String, Object>> stacks = new LinkedHashMap<>();
            for (String line : Docs.commands(block)) {
                List<String> words = Docs.words(line);
                if (words.size() >= 3 && words.subList(0, 2).equals(List.of("pulumi", "config"))) {
                    ConfigCommand.parse(words).applyTo(stacks);
                    commands++;
                }
            }
            for (Map.Entry<String, Map<String, Object>> stack : stacks.entrySet()) {
                assertThat(problems(stack.getKey(), stack.getValue())).as(block + " on " + stack.getKey()).isEmpty();
            }
        }
        assertThat(commands).isGreaterThan(50);
    }

    /** The replay itself: a misspelled key, or a value out of range, leaves a stack the loader refuses. */
    @Test
    void aCommandWithAMisspelledKeyOrBadValue_isCaught() throws IOException {
        Map<String, Map<String, Object>> stacks = new LinkedHashMap<>();
        ConfigCommand.parse(Docs.words("pulumi config set --path 'plans.dev.throttle.rateLimt' 5")).applyTo(stacks);
        assertThat(problems("dev", stacks.get("dev"))).singleElement().asString().contains("rateLimt");

        stacks.clear();
        ConfigCommand.parse(Docs.words("pulumi config set --stack prod stageRateLimit 0")).applyTo(stacks);
        assertThat(problems("prod", stacks.get("prod"))).singleElement().asString().contains("stageRateLimit");
    }

    /** What the loader takes, as key paths with {@value #NAME} for names: the leaves, and the objects above them. */
    record Accepted(Set<String> leaves, Set<String> objects) {
    }

    static Accepted acceptedKeys() {
        List<Position> positions = ConfigPositions.all();
        Map<KeyPath, Boolean> fixedKeys = new HashMap<>();
        for (Position position : positions) {
            if (position.value() instanceof Map<?, ?> map) {
                fixedKeys.put(position.path(), takesFixedKeys(position, map));
            }
        }
        Set<String> leaves = new TreeSet<>();
        Set<String> objects = new TreeSet<>();
        for (Position position : positions) {
            List<Object> segments = position.path().segments();
            if (segments.stream().anyMatch(s -> s instanceof Integer)) {
                continue; // an element of a list: the list is the key
            }
            StringBuilder key = new StringBuilder((String) segments.get(0));
            for (int i = 1; i < segments.size(); i++) {
                boolean fixed = fixedKeys.get(new KeyPath(segments.subList(0, i)));
                key.append('.').append(fixed ? segments.get(i) : NAME);
            }
            (position.value() instanceof Map<?, ?> ? objects : leaves).add(key.toString());
        }
        return new Accepted(leaves, objects);
    }

    /**
     * Whether the loader lists the keys this object takes (a record such as a plan) rather than taking
     * names of the user's choosing (a map such as plans): asked by adding an unknown key to it.
     */
    @SuppressWarnings("unchecked")
    private static boolean takesFixedKeys(Position position, Map<?, ?> map) {
        Map<String, Object> withUnknown = (Map<String, Object>) Configs.deepCopy(map);
        withUnknown.put(UNKNOWN, 1);
        String unknownKey = position.path().child(UNKNOWN) + ": unknown key";
        return ConfigPositions.problems(position.with(withUnknown)).stream().anyMatch(p -> p.startsWith(unknownKey));
    }

    /** The key column of every table headed "Key", with each {@code <name>} as {@value #NAME}. */
    static List<String> documentedKeys() {
        List<String> keys = new ArrayList<>();
        for (List<String> row : REFERENCE.tableRows("Key")) {
            keys.add(row.get(0).replace("`", "").replaceAll("\\[\"<[^>]*>\"]", "." + NAME).replaceAll("<[^>]*>", NAME));
        }
        return keys;
    }

    static List<String> mismatches(List<String> documented, Accepted accepted) {
        List<String> mismatches = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String key : documented) {
            if (!seen.add(key)) {
                mismatches.add("listed twice: " + key);
            } else if (!accepted.leaves().contains(key) && !accepted.objects().contains(key)
                    && !ConfigLoader.topLevelKeys().contains(key)) {
                mismatches.add("not a key the loader accepts: " + key);
            }
        }
        accepted.leaves().stream().filter(key -> !seen.contains(key))
                .forEach(key -> mismatches.add("not in docs/configuration.md: " + key));
        return mismatches;
    }

    /** The problems of the committed stack file {@code stack} with {@code values} in place of its own. */
    private static List<String> problems(String stack, Map<String, Object> values) throws IOException {
        StackFile file = StackFile.read(Path.of("Pulumi." + stack + ".yaml"));
        @SuppressWarnings("unchecked")
        Map<String, Object> other = (Map<String, Object>) values.getOrDefault(OTHER, file.other());
        Map<String, Object> own = new LinkedHashMap<>(values);
        own.remove(OTHER);
        try {
            new StackFile(file.source(), own, other).load();
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    /** Where {@link ConfigCommand} keeps a stack's keys of other namespaces ({@code aws:region}). */
    private static final String OTHER = "\0other";

    /**
     * One {@code pulumi config set|rm [--stack S] [--path] [--secret] [--type T] KEY [VALUE]}, stored as the
     * CLI stores it: without {@code --path} a string; with it, integers and {@code true}/{@code false} as
     * YAML numbers and booleans and anything else as a string; {@code --type} as that type; {@code --secret}
     * as a {@code secure:} leaf.
     */
    record ConfigCommand(boolean remove, String stack, boolean path, boolean secret, String type, String key,
                         String value) {

        private static final Pattern SEGMENT = Pattern.compile("\\.?([^.\\[]+)|\\[\"([^\"]*)\"]|\\[(\\d+)]");

        static ConfigCommand parse(List<String> words) {
            boolean remove = words.get(2).equals("rm");
            assertThat(words.get(2)).as(String.join(" ", words)).isIn("set", "rm");
            String stack = "dev";
            boolean path = false;
            boolean secret = false;
            String type = null;
            List<String> rest = new ArrayList<>();
            for (int i = 3; i < words.size(); i++) {
                switch (words.get(i)) {
                    case "--stack" -> stack = words.get(++i);
                    case "--path" -> path = true;
                    case "--secret" -> secret = true;
                    case "--type" -> type = words.get(++i);
                    default -> rest.add(words.get(i));
                }
            }
            assertThat(rest).as(String.join(" ", words)).hasSize(remove ? 1 : 2);
            return new ConfigCommand(remove, stack, path, secret, type, rest.get(0), remove ? null : rest.get(1));
        }

        @SuppressWarnings("unchecked")
        void applyTo(Map<String, Map<String, Object>> stacks) throws IOException {
            Map<String, Object> values = stacks.get(stack);
            if (values == null) {
                StackFile file = StackFile.read(Path.of("Pulumi." + stack + ".yaml"));
                values = (Map<String, Object>) Configs.deepCopy(file.values());
                values.put(OTHER, Configs.deepCopy(file.other()));
                stacks.put(stack, values);
            }
            List<Object> segments = path ? segments(key) : List.of(key);
            String top = (String) segments.get(0);
            Object container;
            if (top.contains(":") && !top.startsWith(ConfigLoader.NAMESPACE + ":")) {
                container = values.get(OTHER);
            } else {
                segments = new ArrayList<>(segments);
                segments.set(0, top.replaceFirst("^" + ConfigLoader.NAMESPACE + ":", ""));
                container = values;
            }
            for (int i = 0; i < segments.size() - 1; i++) {
                Object next = get(container, segments.get(i));
                if (next == null) {
                    next = segments.get(i + 1) instanceof Integer ? new ArrayList<>() : new LinkedHashMap<>();
                    put(container, segments.get(i), next);
                }
                container = next;
            }
            Object last = segments.get(segments.size() - 1);
            if (remove) {
                if (container instanceof Map<?, ?> map) {
                    map.remove(last);
                } else {
                    ((List<Object>) container).remove((int) (Integer) last);
                }
            } else {
                put(container, last, stored());
            }
        }

        private Object stored() {
            if (secret) {
                return EncryptedValue.INSTANCE;
            }
            if (type != null) {
                return switch (type) {
                    case "float" -> Double.valueOf(value);
                    case "int" -> Integer.valueOf(value);
                    case "bool" -> Boolean.valueOf(value);
                    default -> value;
                };
            }
            if (path && (value.equals("true") || value.equals("false"))) {
                return Boolean.valueOf(value);
            }
            if (path && value.matches("-?\\d{1,18}")) {
                long n = Long.parseLong(value);
                return n == (int) n ? (Object) (int) n : (Object) n;
            }
            return value;
        }

        private static List<Object> segments(String key) {
            List<Object> segments = new ArrayList<>();
            Matcher m = SEGMENT.matcher(key);
            int at = 0;
            while (m.lookingAt()) {
                segments.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : Integer.valueOf(m.group(3)));
                at = m.end();
                m.region(at, key.length());
            }
            assertThat(at).as("a --path key: " + key).isEqualTo(key.length());
            return segments;
        }

        private static Object get(Object container, Object segment) {
            if (container instanceof Map<?, ?> map) {
                return map.get(segment);
            }
            List<?> list = (List<?>) container;
            int index = (Integer) segment;
            return index < list.size() ? list.get(index) : null;
        }

        @SuppressWarnings("unchecked")
        private static void put(Object container, Object segment, Object value) {
            if (container instanceof Map<?, ?>) {
                ((Map<String, Object>) container).put((String) segment, value);
                return;
            }
            List<Object> list = (List<Object>) container;
            int index = (Integer) segment;
            if (index == list.size()) {
                list.add(value);
            } else {
                list.set(index, value);
            }
        }
    }
}
