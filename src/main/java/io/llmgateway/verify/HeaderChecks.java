package io.llmgateway.verify;

import io.llmgateway.common.Text;
import io.llmgateway.contract.Headers;
import java.util.List;
import java.util.Map;

/** The checks that judge every answer of the run together, after the others sent their requests. */
final class HeaderChecks {

    private HeaderChecks() {
    }

    static List<CheckResult> all(List<Seen> seen, Map<String, Long> planRequestsPerMinute) {
        return List.of(requestIds(seen), retryAfter(seen), rateLimits(seen, planRequestsPerMinute));
    }

    /** Every answer carries x-request-id, or API Gateway's x-amzn-RequestId where it cannot send that one. */
    static CheckResult requestIds(List<Seen> seen) {
        Check check = Check.HEADER_REQUEST_ID;
        if (seen.isEmpty()) {
            return CheckResult.skip(check, "no answers to judge");
        }
        List<Seen> without = seen.stream().filter(s -> s.requestId() == null).toList();
        if (!without.isEmpty()) {
            return CheckResult.fail(check, 0, without.size() + " of " + seen.size() + " answers without a request id",
                    Headers.X_REQUEST_ID + " or " + Seen.X_AMZN_REQUEST_ID + " on every answer",
                    "none on " + Text.truncate(String.join(", ", without.stream().map(Seen::describe).distinct().toList())),
                    null);
        }
        long backend = seen.stream().filter(s -> s.header(Headers.X_REQUEST_ID).isPresent()).count();
        String detail = seen.size() + " answers: " + backend + " with " + Headers.X_REQUEST_ID;
        if (backend < seen.size()) {
            detail += ", " + (seen.size() - backend) + " with " + Seen.X_AMZN_REQUEST_ID + " only (API Gateway's own)";
        }
        return CheckResult.pass(check, 0, detail, seen.get(0).requestId());
    }

    /** Every 429 and 503 says when to retry (docs/openai-compatibility.md, "Errors: one contract"). */
    static CheckResult retryAfter(List<Seen> seen) {
        Check check = Check.HEADER_RETRY_AFTER;
        List<Seen> refusals = seen.stream().filter(s -> s.status() == 429 || s.status() == 503).toList();
        if (refusals.isEmpty()) {
            return CheckResult.skip(check, "no 429 or 503 seen (--probe-limits provokes 429s)");
        }
        List<String> missing = RateLimitHeaders.missingRetryAfter(seen);
        if (!missing.isEmpty()) {
            Seen first = refusals.stream().filter(s -> missing.get(0).startsWith(s.describe())).findFirst()
                    .orElse(refusals.get(0));
            return CheckResult.fail(check, 0, Text.truncate(missing.get(0)), "Retry-After (seconds or an HTTP date)"
                    + " on every 429 and 503", missing.size() + " of " + refusals.size() + ": "
                    + String.join("; ", missing.stream().distinct().limit(3).toList()), first.requestId());
        }
        List<String> values = refusals.stream().map(s -> s.status() + " Retry-After "
                + s.header(Headers.RETRY_AFTER).orElse("").trim()).distinct().limit(3).toList();
        return CheckResult.pass(check, 0, refusals.size() + " seen: " + String.join(", ", values),
                refusals.get(0).requestId());
    }

    /** x-ratelimit-* headers, where sent, are well-formed, agree with each other and with the plan. */
    static CheckResult rateLimits(List<Seen> seen, Map<String, Long> planRequestsPerMinute) {
        Check check = Check.HEADER_RATE_LIMIT;
        List<String> present = RateLimitHeaders.present(seen);
        if (present.isEmpty()) {
            return CheckResult.skip(check, "no x-ratelimit-* header sent (the gateway sends "
                    + Headers.X_RATELIMIT_LIMIT_REQUESTS + " only when every plan gives a route the same rate)");
        }
        List<String> problems = RateLimitHeaders.problems(seen, planRequestsPerMinute);
        if (!problems.isEmpty()) {
            return CheckResult.fail(check, 0, Text.truncate(problems.get(0)), "integer limits, remaining <= limit,"
                    + " durations like 1s for resets, one value per route"
                    + (planRequestsPerMinute.isEmpty() ? "" : ", requests per minute as the plan says"),
                    String.join("; ", problems.stream().distinct().limit(3).toList()), null);
        }
        return CheckResult.pass(check, 0, String.join("; ", present)
                + (planRequestsPerMinute.isEmpty() ? "" : " (as the plan says)"), null);
    }
}
