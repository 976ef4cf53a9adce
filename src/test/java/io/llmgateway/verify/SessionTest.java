package io.llmgateway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retry rule: as OpenAI's SDKs, but every answer is seen. */
class SessionTest {

    private static Seen answer(int status, Map<String, String> headers) {
        Map<String, List<String>> multi = new java.util.LinkedHashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        return new Seen(Check.CHAT, "POST /v1/chat/completions", status, multi);
    }

    private static ApiError error(int status, String code) {
        return new ApiError(status, code, null, null, null);
    }

    @Test
    void throttlingAndUnavailability_areRetriedAfterRetryAfter() {
        assertThat(Session.retryWait(answer(429, Map.of("Retry-After", "2")), error(429, "rate_limit_exceeded"), 0, 3))
                .hasValue(Duration.ofSeconds(2));
        assertThat(Session.retryWait(answer(503, Map.of("Retry-After", "5")), error(503, "service_unavailable"), 2, 3))
                .hasValue(Duration.ofSeconds(5));
    }

    @Test
    void withoutRetryAfter_backOffDoubles() {
        Seen bare = answer(429, Map.of());
        assertThat(List.of(0, 1, 2).stream().map(attempt -> Session.retryWait(bare, error(429, null), attempt, 3).orElseThrow()))
                .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void quotaRefusals_longWaits_otherErrorsAndExhaustedRetries_areNotRetried() {
        assertThat(Session.retryWait(answer(429, Map.of("Retry-After", "3600", "x-should-retry", "false")),
                error(429, "rate_limit_exceeded"), 0, 3)).isEmpty();
        assertThat(Session.retryWait(answer(429, Map.of("Retry-After", "1")), error(429, "insufficient_quota"), 0, 3)).isEmpty();
        assertThat(Session.retryWait(answer(429, Map.of("Retry-After", "61")), error(429, "rate_limit_exceeded"), 0, 3)).isEmpty();
        assertThat(Session.retryWait(answer(500, Map.of("Retry-After", "1")), error(500, "internal_error"), 0, 3)).isEmpty();
        assertThat(Session.retryWait(answer(429, Map.of("Retry-After", "1")), error(429, "rate_limit_exceeded"), 3, 3)).isEmpty();
    }

    @Test
    void route_isNamedAsOpenAiNamesIt() {
        assertThat(Session.route("get", "/models/x")).isEqualTo("GET /v1/models/x");
    }
}
