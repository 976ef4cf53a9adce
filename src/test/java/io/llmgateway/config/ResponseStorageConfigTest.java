package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;
import static io.llmgateway.config.Configs.problems;
import static io.llmgateway.config.Configs.set;
import static io.llmgateway.config.Configs.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.ResponseStoreSettings;
import io.llmgateway.contract.Route;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code responses.store}: off by default, what may be set, and what the stack and the backend learn of it. */
class ResponseStorageConfigTest {

    private static StackConfig load(Map<String, Object> config) {
        return ConfigLoader.load(config, Set.of()).config();
    }

    @Test
    void withoutTheSection_nothingIsStored_andTheStoredRoutesDoNotExist() {
        StackConfig config = load(valid());
        assertThat(config.responseStorage()).isEqualTo(ResponseStorage.OFF).isEqualTo(new ResponseStorage(false, 30));
        assertThat(config.routes()).doesNotContain(Route.RESPONSE_GET, Route.RESPONSE_DELETE, Route.RESPONSE_INPUT_ITEMS)
                .contains(Route.RESPONSES);
        assertThat(config.responseStoreSettings("gw-tokens")).isEmpty();
        assertThat(load(set(valid(), "responses", map("store", map("ttlDays", 7)))).responseStorage())
                .isEqualTo(new ResponseStorage(false, 7));
    }

    @Test
    void enabled_servesTheStoredRoutes_andTellsTheBackendTheDaysBesideTheTokenTable() {
        StackConfig config = load(set(valid(), "responses", map("store", map("enabled", "true", "ttlDays", "90"))));
        assertThat(config.responseStorage()).isEqualTo(new ResponseStorage(true, 90));
        assertThat(config.routes()).contains(Route.RESPONSE_GET, Route.RESPONSE_DELETE, Route.RESPONSE_INPUT_ITEMS);
        assertThat(config.responseStoreSettings("gw-tokens"))
                .isEqualTo(Optional.of(new ResponseStoreSettings("gw-tokens-responses", 90)));
        assertThat(config.responseStoreSettings("gw-tokens").orElseThrow().toEnvironment())
                .isEqualTo(Map.of(ResponseStoreSettings.ENV_DAYS, "90"));
        // The stored routes call no model: they add nothing to the plan rates in the environment.
        assertThat(config.backendSettings().planRatePerRoute()).doesNotContainKey(Route.RESPONSE_GET.throttlePath());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(map("store", map("ttlDays", 0)),
                        "responses.store.ttlDays: 0 is out of range; allowed: 1-3650 (days a stored response is kept "
                                + "before it expires)"),
                Arguments.of(map("store", map("ttlDays", 3651)),
                        "responses.store.ttlDays: 3651 is out of range; allowed: 1-3650 (days a stored response is "
                                + "kept before it expires)"),
                Arguments.of(map("store", map("enabled", "yes")), "responses.store.enabled: "),
                Arguments.of(map("store", map("enable", true)), "responses.store.enable: unknown key"),
                Arguments.of(map("storage", map("enabled", true)), "responses.storage: unknown key"),
                Arguments.of(map("store", true), "responses.store: must be an object, got true"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void badValues_areRefusedNamingTheKeyAndWhatIsAllowed(Map<String, Object> section, String expected) {
        assertThat(problems(set(valid(), "responses", section))).anySatisfy(p -> assertThat(p).startsWith(expected));
    }

    @Test
    void aThrottleOnAStoredRoute_needsStorageOn() {
        Map<String, Object> config = valid();
        @SuppressWarnings("unchecked")
        Map<String, Object> plans = (Map<String, Object>) config.get("plans");
        String plan = plans.keySet().iterator().next();
        @SuppressWarnings("unchecked")
        Map<String, Object> first = new java.util.LinkedHashMap<>((Map<String, Object>) plans.get(plan));
        first.put("methodThrottles", map(Route.RESPONSE_GET.throttlePath(), map("rateLimit", 5, "burstLimit", 10)));
        Map<String, Object> newPlans = new java.util.LinkedHashMap<>(plans);
        newPlans.put(plan, first);
        Map<String, Object> throttled = set(config, "plans", newPlans);
        assertThat(problems(throttled)).containsExactly("plans." + plan + ".methodThrottles[\"/v1/responses/{response_id}/GET\"]: "
                + "the route GET /v1/responses/{response_id} exists only with stored responses on "
                + "(responses.store.enabled: true); turn storage on or remove this throttle");
        assertThat(load(set(throttled, "responses", map("store", map("enabled", true)))).planOf(
                load(set(throttled, "responses", map("store", map("enabled", true)))).clients().values().iterator().next())
                .methodThrottles()).containsKey(Route.RESPONSE_GET);
    }
}
