package io.llmgateway.backend.metering;

import io.llmgateway.common.TokenBudget;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.contract.RateLimits;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a caller is told when its tokens do not fit ({@link TokenMetering}): which limit, whether a
 * retry can help and when (Retry-After), and the rate-limit headers OpenAI's clients read.
 */
final class TokenRefusals {

    private TokenRefusals() {
    }

    static Refusal perMinute(String alias, long limit, long used, long requested, Instant now) {
        long wait = untilNextMinute(now);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Headers.RETRY_AFTER, Long.toString(RateLimits.retryAfterSeconds(wait)));
        headers.put(Headers.X_RATELIMIT_LIMIT_TOKENS, Long.toString(limit));
        headers.put(Headers.X_RATELIMIT_REMAINING_TOKENS, Long.toString(Math.max(0, limit - used)));
        headers.put(Headers.X_RATELIMIT_RESET_TOKENS, RateLimits.resetDuration(wait));
        return refusal(OpenAiError.tokensPerMinuteExceeded(alias, limit, used, requested,
                RateLimits.retryAfterSeconds(wait)), headers, BackendLog.TOKEN_LIMIT_PER_MINUTE);
    }

    static Refusal budget(TokenBudget budget, Instant now) {
        long wait = budget.period().end(now).toEpochMilli() - now.toEpochMilli();
        long seconds = RateLimits.retryAfterSeconds(wait);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Headers.RETRY_AFTER, Long.toString(seconds));
        headers.put(Headers.X_SHOULD_RETRY, "false");
        return refusal(OpenAiError.budgetExhausted(budget.period().name().toLowerCase(Locale.ROOT), seconds),
                headers, BackendLog.TOKEN_LIMIT_BUDGET);
    }

    /**
     * The budget has room once calls in flight settle: a retryable 429 of type {@code tokens}, with
     * Retry-After at the earliest deadline by which enough of them will have settled or been charged
     * (never after the latest). {@code excess} is how much has to come back; 0 when unknown.
     */
    static Refusal inFlight(TokenBudget budget, CounterStore.Counts counts, long excess, Instant now) {
        long nowMs = now.toEpochMilli();
        long freed = 0;
        long at = Math.floorDiv(nowMs, 1000L) + 1;
        for (Map.Entry<Long, Long> bucket : counts.inFlight().tailMap(at).entrySet()) {
            freed += bucket.getValue();
            at = bucket.getKey();
            if (freed >= excess) {
                break;
            }
        }
        long seconds = RateLimits.retryAfterSeconds(at * 1000 - nowMs);
        String period = budget.period().name().toLowerCase(Locale.ROOT);
        return refusal(OpenAiError.budgetHeldInFlight(period, seconds),
                Map.of(Headers.RETRY_AFTER, Long.toString(seconds)), BackendLog.TOKEN_LIMIT_IN_FLIGHT);
    }

    static Refusal refusal(OpenAiError error, Map<String, String> headers, String limit) {
        return new Refusal(error, headers, Map.of(BackendLog.REFUSED_BY, BackendLog.REFUSED_BY_TOKENS,
                BackendLog.TOKEN_LIMIT, limit));
    }

    static long untilNextMinute(Instant now) {
        long millis = now.toEpochMilli();
        return 60_000 - Math.floorMod(millis, 60_000L);
    }
}
