package io.llmgateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.ConfigPositions.Position;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The complete configs are what OddNumbersTest and SecretsNeverEchoedTest walk, so they must be valid and
 * set every key the loader knows; this asks the loader which keys each object takes.
 */
class ConfigPositionsTest {

    private static final String UNKNOWN = "zzUnknownKey";
    private static final String VALID_KEYS = "; valid keys here: ";

    @Test
    void eachCompleteConfigLoads() {
        for (Map<String, Object> config : ConfigPositions.complete()) {
            assertThat(ConfigPositions.problems(config)).isEmpty();
        }
    }

    @Test
    void theCompleteConfigsSetEveryTopLevelKey() {
        Set<String> set = new HashSet<>();
        ConfigPositions.complete().forEach(config -> set.addAll(config.keySet()));
        assertThat(set).containsExactlyInAnyOrderElementsOf(ConfigLoader.topLevelKeys());
    }

    /**
     * Each object's unknown-key problem lists the keys it takes: the complete configs set them all, in
     * one entry or another of the same map (plans.standard and plans.priced share the keys of a plan).
     */
    @Test
    @SuppressWarnings("unchecked")
    void theCompleteConfigsSetEveryKeyOfEveryObject() {
        Map<List<String>, Set<String>> setByKind = new LinkedHashMap<>();
        for (Position position : ConfigPositions.all()) {
            if (!(position.value() instanceof Map<?, ?> map)) {
                continue;
            }
            Map<String, Object> withUnknown = (Map<String, Object>) Configs.deepCopy(map);
            withUnknown.put(UNKNOWN, 1);
            String prefix = position.path().child(UNKNOWN) + ": unknown key";
            ConfigPositions.problems(position.with(withUnknown)).stream()
                    .filter(p -> p.startsWith(prefix) && p.contains(VALID_KEYS))
                    .map(p -> List.of(p.substring(p.indexOf(VALID_KEYS) + VALID_KEYS.length()).split(", ")))
                    .forEach(takes -> setByKind.computeIfAbsent(takes, k -> new HashSet<>())
                            .addAll((Set<String>) map.keySet()));
        }
        setByKind.forEach((takes, set) -> assertThat(set).containsAll(takes));
        // Plans, quotas, throttles, tokens, budgets, prices, clients, models, alarms, capacity, the edge...
        assertThat(setByKind).hasSizeGreaterThan(12);
    }
}
