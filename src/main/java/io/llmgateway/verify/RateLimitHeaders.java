package io.llmgateway.verify;

import io.llmgateway.common.Text;
import io.llmgateway.contract.Headers;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for {@code Retry-After} and OpenAI's {@code x-ratelimit-*} headers, as pure functions.
 *
 * <p>OpenAI's rate-limit headers ("Rate limits", OpenAI API guide, https://platform.openai.com/docs/guides/rate-limits):
 * {@code x-ratelimit-limit-requests|tokens} (integers), {@code x-ratelimit-remaining-requests|tokens}
 * (integers, at most the limit) and {@code x-ratelimit-reset-requests|tokens} (a duration such as
 * {@code 1s}, {@code 6m0s} or {@code 20ms}). The gateway sends a header only where it is true for
 * every caller, so each is checked only where present.
 */
final class RateLimitHeaders {

    private static final Pattern NAME = Pattern.compile("x-ratelimit-(limit|remaining|reset)-(requests|tokens)");
    private static final Pattern INTEGER = Pattern.compile("\\d{1,18}");
    private static final Pattern DURATION = Pattern.compile("(\\d+(\\.\\d+)?(h|ms|m|s))+|\\d+(\\.\\d+)?");

    private RateLimitHeaders() {
    }

    /** Retry-After in delay-seconds, when it is that form (RFC 9110, section 10.2.3). */
    static Optional<Long> retryAfterSeconds(String value) {
        String v = value.trim();
        return INTEGER.matcher(v).matches() ? Optional.of(Long.parseLong(v)) : Optional.empty();
    }

    /** True for delay-seconds or an HTTP-date, the two forms RFC 9110 allows. */
    static boolean validRetryAfter(String value) {
        if (retryAfterSeconds(value).isPresent()) {
            return true;
        }
        try {
            DateTimeFormatter.RFC_1123_DATE_TIME.parse(value.trim());
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Every x-ratelimit-* header value of the successful answers, with the routes it came on, sorted. */
    static List<String> present(List<Seen> seen) {
        Map<String, List<String>> routes = new LinkedHashMap<>();
        for (Seen answer : successes(seen)) {
            answer.headers().forEach((name, values) -> {
                if (NAME.matcher(name).matches() && !values.isEmpty()) {
                    List<String> on = routes.computeIfAbsent(name + " " + Text.truncate(values.get(0).trim()),
                            k -> new ArrayList<>());
                    if (!on.contains(answer.route())) {
                        on.add(answer.route());
                    }
                }
            });
        }
        List<String> found = new ArrayList<>();
        routes.forEach((header, on) -> found.add(header + " on " + String.join(", ", on)));
        found.sort(null);
        return found;
    }

    /**
     * What is wrong with the x-ratelimit-* headers of the successful answers.
     *
     * @param seen                  every answer
     * @param planRequestsPerMinute per route ({@code GET /v1/models}), the plan's rate in requests per
     *                              minute when the caller's plan is known; the header must say the same
     */
    static List<String> problems(List<Seen> seen, Map<String, Long> planRequestsPerMinute) {
        List<String> problems = new ArrayList<>();
        Map<String, String> firstLimit = new HashMap<>();
        for (Seen answer : successes(seen)) {
            for (Map.Entry<String, List<String>> header : answer.headers().entrySet()) {
                Matcher m = NAME.matcher(header.getKey());
                if (!m.matches() || header.getValue().isEmpty()) {
                    continue;
                }
                String name = header.getKey();
                String value = header.getValue().get(0).trim();
                String where = name + ": " + Text.truncate(value) + " on " + answer.describe();
                switch (m.group(1)) {
                    case "limit" -> {
                        if (!INTEGER.matcher(value).matches() || Long.parseLong(value) == 0) {
                            problems.add(where + " is not a positive integer");
                            continue;
                        }
                        String previous = firstLimit.putIfAbsent(name + " " + answer.route(), value);
                        if (previous != null && !previous.equals(value)) {
                            problems.add(where + " differs from " + previous + " earlier on the same route");
                        }
                        Long plan = planRequestsPerMinute.get(answer.route());
                        if (m.group(2).equals("requests") && plan != null && plan != Long.parseLong(value)) {
                            problems.add(where + " does not match the plan: " + plan + " requests per minute");
                        }
                    }
                    case "remaining" -> {
                        if (!INTEGER.matcher(value).matches()) {
                            problems.add(where + " is not a non-negative integer");
                            continue;
                        }
                        Optional<String> limit = answer.header("x-ratelimit-limit-" + m.group(2));
                        if (limit.isPresent() && INTEGER.matcher(limit.get().trim()).matches()
                                && Long.parseLong(value) > Long.parseLong(limit.get().trim())) {
                            problems.add(where + " is above x-ratelimit-limit-" + m.group(2) + " " + limit.get().trim());
                        }
                    }
                    default -> {
                        if (!DURATION.matcher(value).matches()) {
                            problems.add(where + " is not a duration like 1s, 6m0s or 20ms");
                        }
                    }
                }
            }
        }
        return problems;
    }

    /** The 429 and 503 answers without a valid Retry-After, described. */
    static List<String> missingRetryAfter(List<Seen> seen) {
        List<String> missing = new ArrayList<>();
        for (Seen answer : seen) {
            if (answer.status() != 429 && answer.status() != 503) {
                continue;
            }
            Optional<String> value = answer.header(Headers.RETRY_AFTER);
            if (value.isEmpty()) {
                missing.add(answer.describe() + " has no Retry-After");
            } else if (!validRetryAfter(value.get())) {
                missing.add(answer.describe() + " has Retry-After " + Text.quote(value.get()) + ", neither seconds nor an HTTP date");
            }
        }
        return missing;
    }

    private static List<Seen> successes(List<Seen> seen) {
        return seen.stream().filter(s -> s.status() >= 200 && s.status() < 300).toList();
    }
}
