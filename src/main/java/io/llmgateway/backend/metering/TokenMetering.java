package io.llmgateway.backend.metering;

import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.Entitlements;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenBudget;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.TokenStoreSettings.FailureMode;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.Metrics;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.contract.RateLimits;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Token budgets and per-minute limits per API key, exact under concurrency, on a {@link CounterStore}.
 *
 * <p><b>Entitlements</b> (which key is on which plan, and each plan's limits) are a snapshot of the
 * stack's items ({@link EntitlementItems}), read whole with one Query: at construction, after a
 * SnapStart restore ({@link #reload()}), and whenever a request's stage variable
 * {@link EntitlementItems#STAGE_VARIABLE} names another version than the one loaded (at most once a
 * second, so a stage that runs ahead of its items cannot turn every request into a read). In steady
 * state an entitlement costs no request to the store.
 *
 * <p><b>Reservation</b>: one conditional UpdateItem adds the input estimate plus max_tokens to the
 * key's current minute and their cost to the window's budget, but only if both stay within their
 * limits. When it does not hold, one consistent GetItem tells which limit and by how much; a budget
 * that still fits a minimal answer gets one more conditional UpdateItem with max_tokens lowered to
 * what is left. <b>Settlement</b> is one UpdateItem that adds the difference between Bedrock's usage
 * and the reservation (negative when less was used) and drops stale minute counters; a release is
 * the same with a usage of zero. So a request costs one store request before the model call and one
 * after; a refused or clamped one at most two more before.
 *
 * <p>The per-minute limit counts raw tokens in fixed UTC minutes, as Bedrock's quotas count tokens
 * per minute; the budget counts units ({@link io.llmgateway.common.BudgetUnit}).
 */
public final class TokenMetering implements Metering {

    /** The smallest answer worth sending: fewer tokens left than this, and the request is refused. */
    public static final int MINIMAL_ANSWER_TOKENS = 16;
    /** How long after a load that did not give the wanted version another is tried. */
    static final long RELOAD_INTERVAL_MS = 1000;
    /** How long counters outlive their window: a late settlement still finds its item. */
    static final long EXPIRY_GRACE_SECONDS = 86_400;

    /** Counts since start, for the log and the local gateway's banner. */
    public static final class Stats {
        public final AtomicLong reservations = new AtomicLong();
        public final AtomicLong refusedPerMinute = new AtomicLong();
        public final AtomicLong refusedBudget = new AtomicLong();
        public final AtomicLong clamped = new AtomicLong();
        public final AtomicLong storeFailuresRefused = new AtomicLong();
        public final AtomicLong storeFailuresServed = new AtomicLong();
        public final AtomicLong settleFailures = new AtomicLong();
        public final AtomicLong entitlementLoadFailures = new AtomicLong();
    }

    private final CounterStore store;
    private final FailureMode failureMode;
    private final Clock clock;
    private final Stats stats = new Stats();
    private final Object loading = new Object();
    private volatile Entitlements entitlements;
    private volatile String lastLoadProblem;
    private volatile long lastLoadAttemptMs = Long.MIN_VALUE / 2;

    /**
     * Loads the entitlements once; a failure is kept (and retried on a later request), not thrown.
     */
    public TokenMetering(CounterStore store, FailureMode failureMode, Clock clock) {
        this.store = store;
        this.failureMode = failureMode;
        this.clock = clock;
        reload();
    }

    public Stats stats() {
        return stats;
    }

    /** The snapshot in use, if one was loaded. */
    public Optional<Entitlements> entitlements() {
        return Optional.ofNullable(entitlements);
    }

    /**
     * Reads the entitlements now. A snapshot with mixed versions (read during a {@code pulumi up}) or a
     * store failure leaves the one in use.
     *
     * @return true when a whole snapshot was loaded
     */
    public boolean reload() {
        synchronized (loading) {
            lastLoadAttemptMs = clock.millis();
            try {
                entitlements = EntitlementItems.read(store.entitlementItems());
                lastLoadProblem = null;
                return true;
            } catch (RuntimeException e) {
                stats.entitlementLoadFailures.incrementAndGet();
                lastLoadProblem = e.getMessage();
                return false;
            }
        }
    }

    /** Why the last load failed, or null when it did not. */
    public String lastLoadProblem() {
        return lastLoadProblem;
    }

    private void refreshFor(Caller caller) {
        Entitlements current = entitlements;
        String wanted = caller.stageVariables().get(EntitlementItems.STAGE_VARIABLE);
        boolean stale = current == null
                || (wanted != null && !wanted.equals(current.version()))
                || (caller.apiKeyId() != null && current.planOfKey(caller.apiKeyId()).isEmpty());
        if (!stale || clock.millis() - lastLoadAttemptMs < RELOAD_INTERVAL_MS) {
            return;
        }
        synchronized (loading) {
            if (entitlements != current) {
                return; // another thread loaded meanwhile
            }
            reload();
        }
    }

    @Override
    public Entitlement entitlement(Caller caller) {
        refreshFor(caller);
        Entitlements current = entitlements;
        if (current == null) {
            // Nothing loaded: the store is failing. A model call is then decided by reserve(), which
            // follows the failure mode; the model list is not worth refusing.
            return Entitlement.EVERYTHING;
        }
        Optional<PlanLimits> plan = current.planOfKey(caller.apiKeyId());
        if (plan.isEmpty()) {
            // A key the stack did not put on a plan: it may use nothing.
            return new Entitlement(Optional.of(Set.of()), java.util.OptionalInt.empty());
        }
        // The plan's name is the metrics' plan dimension (contract/Metrics): bounded by the stack's plans.
        return new Entitlement(plan.get().models(), plan.get().maxTokens(), Optional.of(plan.get().name()));
    }

    @Override
    public Reservation reserve(Caller caller, String modelAlias, int inputEstimate, int maxOutputTokens)
            throws Refusal {
        Entitlements current = entitlements;
        if (current == null) {
            return storeFailed("entitlements could not be loaded: " + lastLoadProblem, maxOutputTokens);
        }
        Optional<PlanLimits> found = current.planOfKey(caller.apiKeyId());
        if (found.isEmpty() || !found.get().metered()) {
            return new Unmetered(maxOutputTokens, Map.of());
        }
        PlanLimits plan = found.get();
        try {
            return reserve(caller.apiKeyId(), plan, modelAlias, inputEstimate, maxOutputTokens);
        } catch (CounterStore.StoreException e) {
            return storeFailed(e.getMessage() + ": " + e.getCause(), maxOutputTokens);
        }
    }

    private Reservation storeFailed(String cause, int maxOutputTokens) throws Refusal {
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("tokenStore", failureMode == FailureMode.REFUSE ? "unavailable_refused" : "unavailable_served");
        log.put("tokenStoreCause", cause);
        log.putAll(metric(Metrics.Metric.TOKEN_STORE_FAILURES));
        if (failureMode == FailureMode.REFUSE) {
            stats.storeFailuresRefused.incrementAndGet();
            throw new Refusal(OpenAiError.tokenStoreUnavailable(),
                    Map.of(Headers.RETRY_AFTER, Integer.toString(RateLimits.TOKEN_STORE_RETRY_AFTER_SECONDS)), log);
        }
        stats.storeFailuresServed.incrementAndGet();
        return new Unmetered(maxOutputTokens, log);
    }

    private Reservation reserve(String apiKeyId, PlanLimits plan, String alias, int input, int maxOutput)
            throws Refusal {
        Instant now = clock.instant();
        long minute = now.getEpochSecond() / 60;
        OptionalLong perMinute = plan.tokensPerMinute();
        Optional<TokenBudget> budget = plan.budget();
        TokenRates rates = budget.map(b -> b.ratesFor(alias)).orElse(TokenRates.ONE_EACH);
        int minimal = Math.min(MINIMAL_ANSWER_TOKENS, maxOutput);
        int output = maxOutput;
        if (perMinute.isPresent()) {
            long limit = perMinute.getAsLong();
            if (input + (long) minimal > limit) {
                stats.refusedPerMinute.incrementAndGet();
                throw refusal(OpenAiError.requestTooLargeForTokensPerMinute(alias, limit, input + (long) maxOutput),
                        Map.of(Headers.RETRY_AFTER, Long.toString(RateLimits.retryAfterSeconds(untilNextMinute(now))),
                                Headers.X_SHOULD_RETRY, "false"), "request_too_large");
            }
            // What no minute could hold is never asked for: the answer is capped at what a whole minute leaves.
            output = (int) Math.min(output, limit - input);
        }
        if (budget.isPresent() && rates.cost(input, minimal) > budget.get().limit()) {
            stats.refusedBudget.incrementAndGet();
            throw budgetRefusal(budget.get(), now);
        }
        CounterStore.Window window = window(apiKeyId, plan, now);

        Optional<CounterStore.Counts> added = tryAdd(window, minute, input, output, rates, perMinute, budget);
        if (added.isPresent()) {
            return reservation(window, minute, input, output, rates, plan, added.get(), now, false);
        }
        CounterStore.Counts counts = store.read(window);
        if (budget.isPresent() && counts.used() + rates.cost(input, minimal) > budget.get().limit()) {
            stats.refusedBudget.incrementAndGet();
            throw budgetRefusal(budget.get(), now);
        }
        if (perMinute.isPresent() && counts.minute(minute) + input + output > perMinute.getAsLong()) {
            stats.refusedPerMinute.incrementAndGet();
            throw perMinuteRefusal(alias, perMinute.getAsLong(), counts.minute(minute), input + (long) output, now);
        }
        int clamped = output;
        if (budget.isPresent() && rates.output() > 0) {
            long room = budget.get().limit() - counts.used() - rates.cost(input, 0);
            clamped = (int) Math.max(0, Math.min(output, room / rates.output()));
        }
        if (clamped < minimal) {
            stats.refusedBudget.incrementAndGet();
            throw budgetRefusal(budget.orElseThrow(), now);
        }
        added = tryAdd(window, minute, input, clamped, rates, perMinute, budget);
        if (added.isPresent()) {
            if (clamped < output) {
                stats.clamped.incrementAndGet();
            }
            return reservation(window, minute, input, clamped, rates, plan, added.get(), now, clamped < output);
        }
        // Others took what was left between the read and this try. When the budget had to be clamped it
        // is the binding limit, and in-flight reservations hold the rest: refuse until the period ends.
        // Otherwise the read showed room in both, so the minute filled up: wait for the next minute.
        if (budget.isPresent() && (clamped < output || perMinute.isEmpty())) {
            stats.refusedBudget.incrementAndGet();
            throw budgetRefusal(budget.get(), now);
        }
        stats.refusedPerMinute.incrementAndGet();
        throw perMinuteRefusal(alias, perMinute.getAsLong(), perMinute.getAsLong(), input + (long) clamped, now);
    }

    private Optional<CounterStore.Counts> tryAdd(CounterStore.Window window, long minute, int input, int output,
                                                 TokenRates rates, OptionalLong perMinute, Optional<TokenBudget> budget) {
        long tokens = input + (long) output;
        long units = budget.isPresent() ? rates.cost(input, output) : 0;
        OptionalLong minuteMax = perMinute.isPresent() ? OptionalLong.of(perMinute.getAsLong() - tokens) : OptionalLong.empty();
        OptionalLong usedMax = budget.isPresent() ? OptionalLong.of(budget.get().limit() - units) : OptionalLong.empty();
        return store.addIfWithin(window, minute, tokens, units, minuteMax, usedMax);
    }

    private Reservation reservation(CounterStore.Window window, long minute, int input, int output, TokenRates rates,
                                    PlanLimits plan, CounterStore.Counts counts, Instant now, boolean clamped) {
        stats.reservations.incrementAndGet();
        long units = plan.budget().isPresent() ? rates.cost(input, output) : 0;
        return new Metered(window, minute, input + (long) output, units, output, rates, plan, counts, now, clamped);
    }

    /** The counter item of a key's current window: the budget's period, or the UTC day without a budget. */
    private CounterStore.Window window(String apiKeyId, PlanLimits plan, Instant now) {
        io.llmgateway.common.BudgetPeriod period = plan.budget().map(TokenBudget::period)
                .orElse(io.llmgateway.common.BudgetPeriod.DAY);
        return new CounterStore.Window(apiKeyId, period.name() + "#" + period.start(now),
                period.end(now).getEpochSecond() + EXPIRY_GRACE_SECONDS);
    }

    private Refusal perMinuteRefusal(String alias, long limit, long used, long requested, Instant now) {
        long wait = untilNextMinute(now);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Headers.RETRY_AFTER, Long.toString(RateLimits.retryAfterSeconds(wait)));
        headers.put(Headers.X_RATELIMIT_LIMIT_TOKENS, Long.toString(limit));
        headers.put(Headers.X_RATELIMIT_REMAINING_TOKENS, Long.toString(Math.max(0, limit - used)));
        headers.put(Headers.X_RATELIMIT_RESET_TOKENS, RateLimits.resetDuration(wait));
        return refusal(OpenAiError.tokensPerMinuteExceeded(alias, limit, used, requested,
                RateLimits.retryAfterSeconds(wait)), headers, BackendLog.TOKEN_LIMIT_PER_MINUTE);
    }

    private Refusal budgetRefusal(TokenBudget budget, Instant now) {
        long wait = budget.period().end(now).toEpochMilli() - now.toEpochMilli();
        long seconds = RateLimits.retryAfterSeconds(wait);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Headers.RETRY_AFTER, Long.toString(seconds));
        headers.put(Headers.X_SHOULD_RETRY, "false");
        return refusal(OpenAiError.budgetExhausted(budget.period().name().toLowerCase(java.util.Locale.ROOT), seconds),
                headers, BackendLog.TOKEN_LIMIT_BUDGET);
    }

    private static Refusal refusal(OpenAiError error, Map<String, String> headers, String limit) {
        return new Refusal(error, headers, Map.of(BackendLog.REFUSED_BY, BackendLog.REFUSED_BY_TOKENS,
                BackendLog.TOKEN_LIMIT, limit));
    }

    static long untilNextMinute(Instant now) {
        long millis = now.toEpochMilli();
        return 60_000 - Math.floorMod(millis, 60_000L);
    }

    /**
     * A count on the request's log line. The backend's line turns it into a metric with the gateway's
     * others, under the one definition of names and dimensions (contract/Metrics, embedded metric
     * format), so a count needs no API call.
     */
    static Map<String, Object> metric(Metrics.Metric metric) {
        return Map.of(metric.metricName(), 1);
    }

    /** No counters for this call: the plan has no token limits, or the store failed and the deployment serves. */
    private record Unmetered(int maxOutputTokens, Map<String, Object> logFields) implements Reservation {

        @Override
        public void settle(int inputTokens, int outputTokens) {
        }

        @Override
        public void release() {
        }
    }

    private final class Metered implements Reservation {
        private final CounterStore.Window window;
        private final long minute;
        private final long tokens;
        private final long units;
        private final int output;
        private final TokenRates rates;
        private final PlanLimits plan;
        private final boolean clamped;
        private final List<Long> staleMinutes = new ArrayList<>();
        private final AtomicBoolean done = new AtomicBoolean();
        private final Map<String, Object> log = new LinkedHashMap<>();
        private volatile Map<String, String> headers;

        Metered(CounterStore.Window window, long minute, long tokens, long units, int output, TokenRates rates,
                PlanLimits plan, CounterStore.Counts counts, Instant now, boolean clamped) {
            this.window = window;
            this.minute = minute;
            this.tokens = tokens;
            this.units = units;
            this.output = output;
            this.rates = rates;
            this.plan = plan;
            this.clamped = clamped;
            counts.minutes().keySet().stream().filter(m -> m < minute).forEach(staleMinutes::add);
            this.headers = headersFor(counts, now);
            log.put("tokensReserved", tokens);
            if (clamped) {
                log.put("maxTokensClamped", output);
            }
        }

        @Override
        public int maxOutputTokens() {
            return output;
        }

        @Override
        public Map<String, String> headers() {
            return headers;
        }

        @Override
        public Map<String, Object> logFields() {
            return log;
        }

        @Override
        public void settle(int inputTokens, int outputTokens) {
            finish(inputTokens + (long) outputTokens,
                    plan.budget().isPresent() ? rates.cost(inputTokens, outputTokens) : 0, "settled");
        }

        @Override
        public void release() {
            finish(0, 0, "released");
        }

        private void finish(long actualTokens, long actualUnits, String outcome) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            Instant now = clock.instant();
            long currentMinute = now.getEpochSecond() / 60;
            // The reservation counts in the minute it was made; once that minute is over its counter
            // no longer limits anything, so it is dropped rather than corrected.
            List<Long> stale = new ArrayList<>(staleMinutes);
            OptionalLong adjustMinute = OptionalLong.empty();
            if (plan.tokensPerMinute().isPresent()) {
                if (currentMinute == minute) {
                    adjustMinute = OptionalLong.of(minute);
                } else {
                    stale.add(minute);
                }
            }
            try {
                CounterStore.Counts counts = store.adjust(window, adjustMinute, actualTokens - tokens, actualUnits - units,
                        stale);
                headers = headersFor(counts, now);
                log.put("tokenReservation", outcome);
            } catch (RuntimeException e) {
                // The reservation stays charged: the key is over-counted, never under-counted.
                stats.settleFailures.incrementAndGet();
                log.put("tokenReservation", outcome + "_failed");
                log.put("tokenStoreCause", e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause()));
                log.putAll(metric(Metrics.Metric.TOKEN_SETTLE_FAILURES));
            }
        }

        private Map<String, String> headersFor(CounterStore.Counts counts, Instant now) {
            Map<String, String> h = new LinkedHashMap<>();
            if (plan.tokensPerMinute().isPresent()) {
                long limit = plan.tokensPerMinute().getAsLong();
                long used = now.getEpochSecond() / 60 == minute ? counts.minute(minute) : 0;
                h.put(Headers.X_RATELIMIT_LIMIT_TOKENS, Long.toString(limit));
                h.put(Headers.X_RATELIMIT_REMAINING_TOKENS, Long.toString(Math.max(0, limit - used)));
                h.put(Headers.X_RATELIMIT_RESET_TOKENS, RateLimits.resetDuration(untilNextMinute(now)));
            } else if (plan.budget().isPresent()
                    && plan.budget().get().unit() == io.llmgateway.common.BudgetUnit.TOKENS) {
                TokenBudget budget = plan.budget().get();
                h.put(Headers.X_RATELIMIT_LIMIT_TOKENS, Long.toString(budget.limit()));
                h.put(Headers.X_RATELIMIT_REMAINING_TOKENS, Long.toString(Math.max(0, budget.limit() - counts.used())));
                h.put(Headers.X_RATELIMIT_RESET_TOKENS,
                        RateLimits.resetDuration(budget.period().end(now).toEpochMilli() - now.toEpochMilli()));
            }
            return h;
        }
    }
}
