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
    void chatCompletionsAndResponsesStream() {
        assertThat(Route.streaming()).containsExactly(Route.CHAT_COMPLETIONS, Route.RESPONSES);
        assertThat(Route.MODELS.streams()).isFalse();
        assertThat(Route.EMBEDDINGS.streams()).isFalse();
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
        assertThat(Route.summary()).isEqualTo("POST /v1/chat/completions, GET /v1/models, GET /v1/models/{model}, "
                + "POST /v1/embeddings and POST /v1/responses");
    }

    @Test
    void aPathParameterMatchesOneNonEmptySegment_andIsReturnedByName() {
        assertThat(Route.match("GET", "/v1/models/nova-micro")).contains(
                new Route.Match(Route.MODEL, java.util.Map.of("model", "nova-micro")));
        assertThat(Route.match("GET", "/v1/models")).contains(new Route.Match(Route.MODELS, java.util.Map.of()));
        assertThat(Route.find("GET", "/v1/models/a/b")).isEmpty();
        assertThat(Route.find("GET", "/v1/models//")).isEmpty();
        assertThat(Route.find("POST", "/v1/models/nova-micro")).isEmpty();
        assertThat(Route.hasPath("/v1/models/nova-micro")).isTrue();
        assertThat(Route.methodsFor("/v1/models/nova-micro")).containsExactly("GET");
        assertThat(Route.byResource("GET", "/v1/models/{model}")).contains(Route.MODEL);
        assertThat(Route.byResource("GET", "/v1/models/nova-micro")).isEmpty();
    }

    @Test
    void aPathParameterRouteKeepsItsTemplateInTheThrottleAndMethodSettingsPaths() {
        assertThat(Route.MODEL.throttlePath()).isEqualTo("/v1/models/{model}/GET");
        assertThat(Route.byThrottlePath("/v1/models/{model}/GET")).contains(Route.MODEL);
        assertThat(Route.MODEL.methodSettingsPath()).isEqualTo("~1v1~1models~1{model}/GET");
        assertThat(Route.EMBEDDINGS.throttlePath()).isEqualTo("/v1/embeddings/POST");
        assertThat(Route.EMBEDDINGS.methodSettingsPath()).isEqualTo("~1v1~1embeddings/POST");
    }
}
