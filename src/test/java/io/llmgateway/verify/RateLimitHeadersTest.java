package io.llmgateway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {

    private static Seen ok(String route, Map<String, String> headers) {
        return seen(200, route, headers);
    }

    private static Seen seen(int status, String route, Map<String, String> headers) {
        Map<String, List<String>> multi = new java.util.LinkedHashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        return new Seen(Check.CHAT, route, status, multi);
    }

    @Test
    void wellFormedConsistentHeaders_haveNoProblems() {
        List<Seen> seen = List.of(
                ok("POST /v1/chat/completions", Map.of("X-RateLimit-Limit-Requests", "120", "x-ratelimit-remaining-requests",
                        "119", "x-ratelimit-reset-requests", "500ms", "x-ratelimit-limit-tokens", "40000",
                        "x-ratelimit-remaining-tokens", "39000", "x-ratelimit-reset-tokens", "6m0s")),
                ok("POST /v1/chat/completions", Map.of("x-ratelimit-limit-requests", "120", "x-ratelimit-reset-tokens", "1.5s")),
                seen(429, "POST /v1/chat/completions", Map.of("x-ratelimit-limit-requests", "garbage")));

        assertThat(RateLimitHeaders.problems(seen, Map.of("POST /v1/chat/completions", 120L))).isEmpty();
        assertThat(RateLimitHeaders.present(seen)).containsExactly(
                "x-ratelimit-limit-requests 120 on POST /v1/chat/completions",
                "x-ratelimit-limit-tokens 40000 on POST /v1/chat/completions",
                "x-ratelimit-remaining-requests 119 on POST /v1/chat/completions",
                "x-ratelimit-remaining-tokens 39000 on POST /v1/chat/completions",
                "x-ratelimit-reset-requests 500ms on POST /v1/chat/completions",
                "x-ratelimit-reset-tokens 1.5s on POST /v1/chat/completions",
                "x-ratelimit-reset-tokens 6m0s on POST /v1/chat/completions");
    }

    @Test
    void malformedInconsistentOrWrongHeaders_areEachNamed() {
        List<Seen> seen = List.of(
                ok("GET /v1/models", Map.of("x-ratelimit-limit-requests", "0", "x-ratelimit-remaining-tokens", "-3",
                        "x-ratelimit-reset-requests", "in a minute")),
                ok("POST /v1/chat/completions", Map.of("x-ratelimit-limit-tokens", "100", "x-ratelimit-remaining-tokens", "101")),
                ok("POST /v1/chat/completions", Map.of("x-ratelimit-limit-tokens", "200", "x-ratelimit-limit-requests", "60")));

        assertThat(RateLimitHeaders.problems(seen, Map.of("POST /v1/chat/completions", 120L))).containsExactlyInAnyOrder(
                "x-ratelimit-limit-requests: 0 on chat.completion 200 (GET /v1/models) is not a positive integer",
                "x-ratelimit-remaining-tokens: -3 on chat.completion 200 (GET /v1/models) is not a non-negative integer",
                "x-ratelimit-reset-requests: in a minute on chat.completion 200 (GET /v1/models) is not a duration like 1s, 6m0s or 20ms",
                "x-ratelimit-remaining-tokens: 101 on chat.completion 200 (POST /v1/chat/completions) is above x-ratelimit-limit-tokens 100",
                "x-ratelimit-limit-tokens: 200 on chat.completion 200 (POST /v1/chat/completions) differs from 100 earlier on the same route",
                "x-ratelimit-limit-requests: 60 on chat.completion 200 (POST /v1/chat/completions) does not match the plan: 120 requests per minute");
    }

    @Test
    void retryAfter_isSecondsOrAnHttpDate() {
        assertThat(RateLimitHeaders.retryAfterSeconds(" 3600 ")).hasValue(3600L);
        assertThat(RateLimitHeaders.retryAfterSeconds("1.5")).isEmpty();
        assertThat(RateLimitHeaders.validRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isTrue();
        assertThat(RateLimitHeaders.validRetryAfter("soon")).isFalse();
        assertThat(RateLimitHeaders.validRetryAfter("-1")).isFalse();

        List<Seen> seen = List.of(seen(429, "GET /v1/models", Map.of("Retry-After", "1")),
                seen(503, "POST /v1/chat/completions", Map.of()),
                seen(429, "GET /v1/models", Map.of("retry-after", "later")),
                seen(500, "GET /v1/models", Map.of()));
        assertThat(RateLimitHeaders.missingRetryAfter(seen)).containsExactly(
                "chat.completion 503 (POST /v1/chat/completions) has no Retry-After",
                "chat.completion 429 (GET /v1/models) has Retry-After 'later', neither seconds nor an HTTP date");
    }
}
