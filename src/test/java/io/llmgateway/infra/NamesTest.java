package io.llmgateway.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Logical names are part of the state: a changed name replaces the resource. */
class NamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"QUOTA_EXCEEDED, quota-exceeded", "DEFAULT_4XX, default-4xx", "/v1/chat/completions, v1-chat-completions",
            "serverErrors, server-errors", "GatewayThrottled, gateway-throttled", "ops@example.com, ops-example-com"})
    void kebab(String text, String expected) {
        assertThat(Names.kebab(text)).isEqualTo(expected);
    }
}
