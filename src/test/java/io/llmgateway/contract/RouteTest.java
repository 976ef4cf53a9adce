package io.llmgateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void usagePlanThrottlePath_isPathSlashMethod() {
        assertThat(Route.CHAT_COMPLETIONS.throttlePath()).isEqualTo("/v1/chat/completions/POST");
        assertThat(Route.byThrottlePath("/v1/models/GET")).contains(Route.MODELS);
        assertThat(Route.byThrottlePath("*/*")).isEmpty();
    }

    @Test
    void stageMethodSettingsPath_escapesSlashesAndDropsTheLeadingOne() {
        assertThat(Route.CHAT_COMPLETIONS.methodSettingsPath()).isEqualTo("~1v1~1chat~1completions/POST");
    }

    @Test
    void find_matchesTheMethodInAnyCase_andThePathExactly() {
        assertThat(Route.find("post", "/v1/chat/completions")).contains(Route.CHAT_COMPLETIONS);
        assertThat(Route.find("GET", "/v1/chat/completions")).isEmpty();
        assertThat(Route.find("GET", "/v1/models/")).isEmpty();
        assertThat(Route.hasPath("/v1/chat/completions")).isTrue();
        assertThat(Route.hasPath("/v1")).isFalse();
    }

    @Test
    void methodsFor_listsWhatEachRouteOnThatPathServes() {
        assertThat(Route.methodsFor("/v1/chat/completions")).containsExactly("POST");
        assertThat(Route.methodsFor("/v1/models")).containsExactly("GET");
        assertThat(Route.methodsFor("/v1")).isEmpty();
    }

    @Test
    void summary_listsEveryRouteOnce() {
        String summary = Route.summary();
        for (Route route : Route.values()) {
            assertThat(summary).containsOnlyOnce(route.method() + " " + route.path());
        }
    }
}
