package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.ConfigPositions.Position;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The guarantee: <b>a value Pulumi holds as a secret never appears in a problem, a warning or the
 * capacity report</b>, however the program learns that it is secret ({@link HowSecret}), wherever it is
 * and whatever its shape. Garbage carrying {@link #MARK} (or the digits 987654321) is put at a position
 * and no message may contain it. Each test keeps part of the guarantee:
 * <ul>
 *   <li>{@link #garbageOfEveryShape_atAPositionOfEachKind}: every shape of garbage ({@link #GARBAGE}:
 *       text, key-like text, integers, fractions, numbers as text, a list, an object), known secret in
 *       either way, at one position of each kind ({@link #KINDS}: a top-level object, a map entry, a
 *       nested map entry, a list, a list element, a string, a number and a boolean in an object, a client
 *       key, a plan name, a model id, and top-level settings);</li>
 *   <li>{@link #garbageOfItsOwnType_atEveryPosition}: at every position of the complete configs
 *       ({@link ConfigPositions#all()}, so a key added to a reader is covered without a change here), the
 *       garbage of the position's own type, which is what reaches the checks of that position's reader,
 *       with the stack file marking exactly that value secure, the strictest case (every other value is
 *       plain text, so only the per-value decision hides it);</li>
 *   <li>{@link #theValidValuesOfSecretKeys_appearInNoWarningNorTheCapacityReport}: valid values, in
 *       warnings and the capacity report, which only a valid config reaches;</li>
 *   <li>the rest: numbers in warnings and in rules over two keys, a profile of the wrong geography, and
 *       that a value the stack file holds in plain text is still shown.</li>
 * </ul>
 * A secret in text the engine hands over that is not JSON is PulumiStackConfigTest's. Not covered: a
 * stack file's YAML syntax error, whose message quotes the offending line as SnakeYAML prints it.
 */
class SecretsNeverEchoedTest {

    private static final String MARK = "7f3a9c";
    private static final String TEXT = "GARBAGE-" + MARK;

    /** Garbage in every shape a value can take; each carries {@link #MARK} or the digits 987654321. */
    static final List<Object> GARBAGE = List.of(
            TEXT, "sk-" + MARK + "-0123456789abcdefghij", 987654321, -987654321, 98765.4321, "987654321",
            "-987654321.5", "1e987654321", List.of(TEXT), map("rateLimit", TEXT));

    /** How the program learns that a value is secret. */
    enum HowSecret {
        /** Pulumi marks the value's top-level key secret; there is no stack file to ask about the value. */
        TOP_LEVEL_MARK,
        /** The stack file holds the value as {@code {secure: ...}}; everything around it is plain text. */
        SECURE_IN_THE_STACK_FILE
    }

    /** One position of each kind. */
    static final List<String> KINDS = List.of(
            "plans", "plans.standard", "plans.standard.methodThrottles[\"/v1/models/GET\"]", "plans.standard.models",
            "plans.standard.models[0]", "plans.standard.quota.period", "plans.standard.throttle.rateLimit",
            "clients.acme.enabled", "clients.acme.apiKey", "clients.acme.plan", "models.nova-micro", "stageName",
            "integrationTimeoutMs", "metricsEnabled");

    static Stream<Arguments> kindsEitherWay() {
        List<Arguments> cases = new ArrayList<>();
        for (HowSecret how : HowSecret.values()) {
            KINDS.forEach(kind -> cases.add(Arguments.of(kind, how)));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("kindsEitherWay")
    void garbageOfEveryShape_atAPositionOfEachKind(String path, HowSecret how) {
        Position position = ConfigPositions.at(path);
        List<String> shown = new ArrayList<>();
        for (Object garbage : GARBAGE) {
            messages(position, garbage, how).stream().filter(SecretsNeverEchoedTest::showsGarbage)
                    .forEach(m -> shown.add(position + " = " + garbage + ": " + m));
        }
        assertThat(shown).isEmpty();
    }

    /**
     * With the stack file marking exactly the garbage secure: every other value is plain text, so only
     * the decision about this value's own path hides it (a top-level mark would hide a message that asks
     * about the wrong path too).
     */
    @Test
    void garbageOfItsOwnType_atEveryPosition() {
        List<String> shown = new ArrayList<>();
        for (Position position : ConfigPositions.all()) {
            for (Object garbage : ownType(position)) {
                messages(position, garbage, HowSecret.SECURE_IN_THE_STACK_FILE).stream().filter(SecretsNeverEchoedTest::showsGarbage)
                        .forEach(m -> shown.add(position + " = " + garbage + ": " + m));
            }
        }
        assertThat(shown).isEmpty();
    }

    /** The garbage that gets past a position's type check to the checks of its own reader. */
    private static List<Object> ownType(Position position) {
        Object value = position.value();
        if (value instanceof Number) {
            return List.of(987654321, 98765.4321, "1e987654321");
        }
        if (value instanceof List<?>) {
            return List.of(List.of(TEXT));
        }
        return List.of(TEXT);
    }

    @Test
    void theValidValuesOfSecretKeys_appearInNoWarningNorTheCapacityReport() {
        List<String> shown = new ArrayList<>();
        for (Map<String, Object> config : ConfigPositions.complete()) {
            shown.addAll(validValuesShown(config));
        }
        assertThat(shown).isEmpty();
    }

    @Test
    void aValidValueListedTwice_isNotShown() {
        List<String> shown = new ArrayList<>();
        for (Position list : ConfigPositions.all()) {
            if (list.value() instanceof List<?> values) {
                List<Object> twice = new ArrayList<>(values);
                twice.add(values.get(0));
                shown.addAll(validValuesShown(list.with(twice)));
            }
        }
        assertThat(shown).isEmpty();
    }

    /** The distinctive text values of {@code config} that its messages show when every key is secret. */
    private static List<String> validValuesShown(Map<String, Object> config) {
        List<String> messages = messages(config, Secrets.withoutStackFile(config.keySet(), "test"), Optional.empty());
        List<Position> distinctive = ConfigPositions.of(config).stream()
                .filter(p -> p.value() instanceof String value && distinctive(value)).toList();
        assertThat(distinctive).hasSizeGreaterThan(10);
        List<String> shown = new ArrayList<>();
        for (Position position : distinctive) {
            messages.stream().filter(m -> m.contains((String) position.value()))
                    .forEach(m -> shown.add(position + ": " + m));
        }
        return shown;
    }

    /** Text that no message holds by chance: a name, an id, an address, a range. */
    private static boolean distinctive(String value) {
        return value.length() >= 8 && value.matches(".*[0-9.@:/ ].*");
    }

    /**
     * A range in both lists is one value at two positions, hidden when either is secret; each endpoint id
     * in the private-API warning is hidden or shown by its own position.
     */
    @Test
    void aRangeInBothLists_andEndpointIds_areHiddenByTheStackFilesSecureLeaves() {
        KeyPath deny = KeyPath.of("waf").child("denyCidrs").element(1);
        KeyPath secondId = KeyPath.of("privateApi").child("vpcEndpointIds").element(1);
        Map<String, Object> config = set(set(valid(), "waf", map("allowCidrs", List.of("203.0.113.0/24"),
                "denyCidrs", List.of("198.51.100.0/24", "203.0.113.0/24"))), "privateApi",
                map("vpcEndpointIds", List.of("vpce-0123456789abcdef0", "vpce-1a2b3c4d")));
        Map<String, Object> file = ConfigPositions.set(ConfigPositions.set(ConfigPositions.stackFile(config), deny,
                EncryptedValue.INSTANCE), secondId, EncryptedValue.INSTANCE);
        Secrets secrets = Secrets.of(Set.of("waf", "privateApi"), new StackFile("Pulumi.test.yaml", file, Map.of()));
        List<String> messages = messages(config, secrets, Optional.empty());
        assertThat(messages).contains("waf.allowCidrs: [secret] is in both lists; the deny list is checked first, "
                + "so it is blocked");
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("privateApi: the API is PRIVATE: only requests "
                + "through vpce-0123456789abcdef0, [secret] reach it; "));
        assertThat(messages).noneMatch(m -> m.contains("203.0.113") || m.contains("1a2b3c4d"));

        Map<String, Object> twice = set(valid(), "privateApi", map("vpcEndpointIds", List.of("vpce-1a2b3c4d", "vpce-1a2b3c4d")));
        Secrets secondSecure = Secrets.of(Set.of("privateApi"), new StackFile("Pulumi.test.yaml",
                ConfigPositions.set(ConfigPositions.stackFile(twice), secondId, EncryptedValue.INSTANCE), Map.of()));
        assertThat(messages(twice, secondSecure, Optional.empty()))
                .containsExactly("privateApi.vpcEndpointIds[1]: [secret] is listed twice");
    }

    @Test
    void secretNumbersInWarningsAndInRulesOverTwoKeysAreNeverShown() {
        Map<String, Object> config = set(set(valid(), "plans.standard.throttle.rateLimit", 98765),
                "plans.standard.throttle.burstLimit", 4321);
        config = set(set(config, "integrationTimeoutMs", "1357"), "maxTokensDefault", "97531");
        List<String> messages = messages(config, Secrets.withoutStackFile(
                Set.of("plans", "integrationTimeoutMs", "maxTokensDefault"), "test"), Optional.empty());
        assertThat(messages).anySatisfy(m -> assertThat(m).startsWith("integrationTimeoutMs, lambdaTimeoutSeconds: "
                + "together they leave the model [secret]"));
        assertThat(messages).noneMatch(m -> m.contains("98765") || m.contains("4321") || m.contains("1357")
                || m.contains("357 ms") || m.contains("97531"));

        ConfigLoader.Result loaded = ConfigLoader.load(set(set(valid(), "plans.standard.throttle.rateLimit", 98765),
                        "plans.standard.throttle.burstLimit", 4321), Set.of("plans"));
        assertThat(loaded.warnings()).containsExactly(
                "plans.standard.throttle: burstLimit [secret] is below rateLimit [secret]; more than [secret] requests "
                        + "arriving together are throttled even within the rate",
                "plans.standard.throttle: rateLimit [secret] is above stageRateLimit 100; the stage-wide limit applies "
                        + "first, so the plan's rate is never reached");
        assertThat(loaded.capacity().warnings()).anySatisfy(w -> assertThat(w).startsWith(
                "capacity: the keys can send [secret] rps, above the account's 10,000 rps per Region"));
        assertThat(loaded.capacity().text()).contains("[secret]")
                .doesNotContain("98765", "98,765", "4321", "4,321", "197,530", "8,533,296,000");
    }

    @Test
    void aSecretProfileOfTheWrongGeographyIsRefusedWithoutShowingItOrTheIdsSuggested() {
        Map<String, Object> config = set(valid(), "models", map("m", "us.anthropic.garbage-" + MARK + "-v1:0"));
        List<String> messages = messages(config, Secrets.withoutStackFile(Set.of("models"), "test"),
                Optional.of(new StackRegion("eu-west-1", "aws:region")));
        assertThat(messages).containsExactly("models.m: the profile [secret] is a cross-Region inference profile of "
                + "geography 'us', which can be called only from us-* Regions other than GovCloud, but the stack deploys "
                + "to eu-west-1 (aws:region). Use a profile of eu-west-1's geography: 'eu.' or 'global.' where Bedrock "
                + "offers it, or set aws:region to one of us-* Regions other than GovCloud, such as us-east-1");
    }

    @Test
    void aValueTheStackFileHoldsInPlainTextIsStillShown_nextToSecretOnes() {
        // clients is secret as a whole (acme's key is), but its plan names are plain text in the file.
        Map<String, Object> config = set(set(valid(), "clients.acme.apiKey", "sk-" + MARK + "-0123456789abcdefghij"),
                "clients.acme.plan", "standrad");
        @SuppressWarnings("unchecked")
        Map<String, Object> file = set((Map<String, Object>) Configs.deepCopy(config), "clients.acme.apiKey",
                EncryptedValue.INSTANCE);
        List<String> messages = messages(config, Secrets.of(Set.of("clients"), new StackFile("Pulumi.test.yaml", file, Map.of())),
                Optional.empty());
        assertThat(messages).containsExactly("clients.acme.plan: unknown plan 'standrad' (did you mean 'standard'?); plans: standard");
        // Without the file, nothing under the secret key is shown.
        assertThat(messages(config, Secrets.withoutStackFile(Set.of("clients"), "test"), Optional.empty()))
                .containsExactly("clients.acme.plan: unknown plan [secret]; plans: standard");
    }

    /** The problems, or else the warnings and the capacity report, with {@code garbage} at {@code position}. */
    private static List<String> messages(Position position, Object garbage, HowSecret how) {
        Map<String, Object> config = position.with(garbage);
        Set<String> secretKeys = new HashSet<>(ConfigPositions.SECRET_KEYS);
        secretKeys.add(position.path().top());
        Secrets secrets = switch (how) {
            case TOP_LEVEL_MARK -> Secrets.withoutStackFile(secretKeys, "test");
            case SECURE_IN_THE_STACK_FILE -> Secrets.of(secretKeys, new StackFile("Pulumi.test.yaml",
                    ConfigPositions.set(ConfigPositions.stackFile(config), position.path(), EncryptedValue.INSTANCE), Map.of()));
        };
        return messages(config, secrets, Optional.empty());
    }

    /**
     * The problems, or else the warnings and the capacity report. An exception other than the loader's
     * own (a defect of its own, see OddNumbersTest) counts by its message, which must not show a secret either.
     */
    private static List<String> messages(Map<String, Object> config, Secrets secrets, Optional<StackRegion> region) {
        ConfigLoader.Result loaded;
        try {
            loaded = ConfigLoader.load(config, secrets, region);
        } catch (ConfigException e) {
            assertThat(e.getMessage()).doesNotContain(MARK).doesNotContain("987654321").doesNotContain("98765");
            return e.problems();
        } catch (RuntimeException e) {
            return List.of(String.valueOf(e));
        }
        List<String> messages = new ArrayList<>(loaded.warnings());
        messages.addAll(loaded.capacity().warnings());
        messages.add(loaded.capacity().text());
        return messages;
    }

    private static boolean showsGarbage(String message) {
        return message.contains(MARK) || message.contains("987654321") || message.contains("98765");
    }
}
