package io.llmgateway.backend.metering;

import io.llmgateway.backend.internal.TokenEstimate;
import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.Entitlements;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenBudget;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.TokenStoreSettings.FailureMode;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.Metrics;
import io.llmgateway.contract.OpenAiError;
import io.llmgateway.contract.RateLimits;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
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
 * limits; a missing counter is 0, so the first reservation of a window is checked like any other. When
 * it does not hold, one consistent GetItem tells which limit and by how much; a budget that still fits
 * a minimal answer gets one more conditional UpdateItem with max_tokens lowered to what is left.
 * <b>Settlement</b> is one UpdateItem that adds the difference between Bedrock's usage and the
 * reservation (negative when less was used) and drops stale counters; a release is the same with a
 * usage of zero. So a request costs one store request before the model call and one after; a refused
 * or clamped one at most two more before.
 *
 * <p><b>Settled and in flight.</b> The limit is enforced on one counter, {@code used}, which holds every
 * reservation until it is settled: exact under concurrency with a single conditional UpdateItem, and a
 * Lambda stopped mid-call leaves its reservation charged, the safe side. Beside it the item keeps the
 * same units by the reservation's deadline (the end of its invocation, in whole seconds). That record
 * never decides whether a call fits; it says why one did not. When the units charged without the calls
 * still in flight already leave no room, the budget is spent: 429 {@code insufficient_quota},
 * {@code x-should-retry: false}, Retry-After to the period's end. When only calls in flight hold the room,
 * it comes back once they settle: 429 {@code rate_limit_exceeded} of type {@code tokens}, retryable, with
 * Retry-After at the earliest deadline by which enough of them will have settled. A bucket whose deadline
 * has passed belongs to an invocation that ended unsettled: its units count as charged, and the next
 * settlement drops it. A call that may have been billed without an answer is settled at its whole
 * reservation ({@link Reservation#chargeUnsettled()}): Bedrock has no cancel.
 *
 * <p>The per-minute limit counts raw tokens in fixed UTC minutes, as Bedrock's quotas count tokens
 * per minute; the budget counts units ({@link io.llmgateway.common.BudgetUnit}).
 */
public final class TokenMetering implements Metering {

    /** The smallest answer worth sending: fewer tokens left than this, and the request is refused. */
    public static final int MINIMAL_ANSWER_TOKENS = 16;
    /** How long after a load that did not give the wanted version another is tried. */
    static final long RELOAD_INTERVAL_MS = 1000;
    /**
     * How many times a reservation is read and retried, clamped to what is left, when others take what
     * each read showed: each try costs a read and a conditional write.
     */
    static final int CLAMP_ATTEMPTS = 2;
    /** {@code tokenReservation} of a call that may have been billed without an answer. */
    public static final String CHARGED_UNSETTLED = "charged_unsettled";
    /** How long counters outlive their window: a late settlement still finds its item. */
    static final long EXPIRY_GRACE_SECONDS = 86_400;

    /** Counts since start, for the log and the local gateway's banner. */
    public static final class Stats {
        public final AtomicLong reservations = new AtomicLong();
        public final AtomicLong refusedPerMinute = new AtomicLong();
        public final AtomicLong refusedBudget = new AtomicLong();
        public final AtomicLong refusedInFlight = new AtomicLong();
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

    /**
     * {@inheritDoc}
     *
     * <p>Fails closed: without entitlements (the table unreachable since the start) no caller's plan is
     * known, so none may call a model or see the model list, in either failure mode. {@code serve} lifts
     * the counting only, never a plan's allow-list or max_tokens ceiling.
     */
    @Override
    public Entitlement entitlement(Caller caller) throws Refusal {
        refreshFor(caller);
        Entitlements current = entitlements;
        if (current == null) {
            throw entitlementsUnknown();
        }
        Optional<PlanLimits> plan = current.planOfKey(caller.apiKeyId());
        if (plan.isEmpty()) {
            // A key the stack did not put on a plan: it may use nothing.
            return new Entitlement(Optional.of(Set.of()), OptionalInt.empty());
        }
        // The plan's name is the metrics' plan dimension (contract/Metrics): bounded by the stack's plans.
        PlanLimits limits = plan.get();
        return new Entitlement(limits.models(), limits.maxTokens(), Optional.of(limits.name()), limits.profileArns(),
                limits.guardrail());
    }

    @Override
    public Reservation reserve(Caller caller, String modelAlias, int inputEstimate, int maxOutputTokens,
                               Instant deadline) throws Refusal {
        return reserve(caller, modelAlias, inputEstimate, maxOutputTokens, 0, deadline);
    }

    @Override
    public Reservation reserve(Caller caller, String modelAlias, int inputEstimate, int maxOutputTokens,
                               int guardedInputUnits, Instant deadline) throws Refusal {
        return reserve(caller, modelAlias, inputEstimate, maxOutputTokens, guardedInputUnits,
                TokenRates.CacheWrites.NONE, deadline);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A USD budget holds the guardrail's text units too, at the sum of the plan's policy prices per unit
     * (every configured policy bills the same text): the input's units, and the answer's at
     * {@link TokenEstimate#GUARDED_CHARACTERS_PER_OUTPUT_TOKEN} characters a token, both rounded up. The
     * settlement charges the units Bedrock reports instead.
     */
    @Override
    public Reservation reserve(Caller caller, String modelAlias, int inputEstimate, int maxOutputTokens,
                               int guardedInputUnits, TokenRates.CacheWrites cacheWrites, Instant deadline)
            throws Refusal {
        Entitlements current = entitlements;
        if (current == null) {
            throw entitlementsUnknown();
        }
        Optional<PlanLimits> found = current.planOfKey(caller.apiKeyId());
        if (found.isEmpty() || !found.get().metered()) {
            return new Unmetered(maxOutputTokens, Map.of());
        }
        PlanLimits plan = found.get();
        try {
            return reserve(caller.apiKeyId(), plan, modelAlias, inputEstimate, maxOutputTokens, guardedInputUnits,
                    cacheWrites, deadline);
        } catch (CounterStore.StoreException e) {
            return storeFailed(e.getMessage() + ": " + e.getCause(), maxOutputTokens);
        }
    }

    /** No plan is known: a 503 with Retry-After, whatever the failure mode says about counting. */
    private Refusal entitlementsUnknown() {
        stats.storeFailuresRefused.incrementAndGet();
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("tokenStore", "entitlements_unavailable");
        log.put("tokenStoreCause", "entitlements could not be loaded: " + lastLoadProblem);
        log.putAll(metric(Metrics.Metric.TOKEN_STORE_FAILURES));
        return new Refusal(OpenAiError.entitlementsUnavailable(),
                Map.of(Headers.RETRY_AFTER, Integer.toString(RateLimits.TOKEN_STORE_RETRY_AFTER_SECONDS)), log);
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

    /**
     * One call's request for tokens, against one counter item.
     *
     * @param rates       what the reservation prices tokens at: the model's, with input at the dearest cache
     *                    write rate when the call may write to the cache
     * @param settleRates the model's own rates, which the usage is settled at
     * @param deadline the epoch second that ends the reservation's time in flight; empty without a budget
     * @param guardrail what the guardrail's text units are reserved at: a fixed part for the input, and a
     *                  part per output token (both 0 without a guardrail or a USD budget)
     */
    record Ask(CounterStore.Window window, long minute, String alias, int input, TokenRates rates,
               TokenRates settleRates, OptionalLong perMinute, Optional<TokenBudget> budget, OptionalLong deadline,
               TokenRates guardrail) {

        long units(int output) {
            return budget.isPresent() ? TokenRates.saturatingAdd(rates.cost(input, output), guardrailUnits(output)) : 0;
        }

        /** The guardrail's share of {@link #units}: its reserved text units at the plan's prices. */
        long guardrailUnits(int output) {
            return guardrail.cost(1, output);
        }

        /** What one more output token costs, its guardrail text included. */
        long perOutputToken() {
            return TokenRates.saturatingAdd(rates.output(), guardrail.output());
        }
    }

    /** The guardrail's reserved cost as rates: {@code input} for the whole input, {@code output} per output token. */
    static TokenRates guardrailReserve(PlanLimits plan, int guardedInputUnits) {
        boolean usd = plan.budget().map(b -> b.unit() == io.llmgateway.common.BudgetUnit.USD).orElse(false);
        if (!usd || plan.guardrail().isEmpty()) {
            return new TokenRates(0, 0);
        }
        long perUnit = plan.guardrail().get().pricePerUnitOfText();
        long perToken = (perUnit * TokenEstimate.GUARDED_CHARACTERS_PER_OUTPUT_TOKEN + TokenEstimate.TEXT_UNIT_CHARACTERS - 1)
                / TokenEstimate.TEXT_UNIT_CHARACTERS;
        return new TokenRates(new TokenRates(perUnit, 0).cost(guardedInputUnits, 0), perToken);
    }

    private Reservation reserve(String apiKeyId, PlanLimits plan, String alias, int input, int maxOutput,
                                int guardedInputUnits, TokenRates.CacheWrites cacheWrites, Instant deadline)
            throws Refusal {
        Instant now = clock.instant();
        OptionalLong perMinute = plan.tokensPerMinute();
        Optional<TokenBudget> budget = plan.budget();
        TokenRates settleRates = budget.map(b -> b.ratesFor(alias)).orElse(TokenRates.ONE_EACH);
        TokenRates rates = settleRates.reserving(cacheWrites);
        int minimal = Math.min(MINIMAL_ANSWER_TOKENS, maxOutput);
        int output = maxOutput;
        if (perMinute.isPresent()) {
            long limit = perMinute.getAsLong();
            if (input + (long) minimal > limit) {
                stats.refusedPerMinute.incrementAndGet();
                long wait = TokenRefusals.untilNextMinute(now);
                throw TokenRefusals.refusal(OpenAiError.requestTooLargeForTokensPerMinute(alias, limit, input + (long) maxOutput),
                        Map.of(Headers.RETRY_AFTER, Long.toString(RateLimits.retryAfterSeconds(wait)),
                                Headers.X_SHOULD_RETRY, "false"), "request_too_large");
            }
            // What no minute could hold is never asked for: the answer is capped at what a whole minute leaves.
            output = (int) Math.min(output, limit - input);
        }
        Ask ask = new Ask(window(apiKeyId, plan, now), now.getEpochSecond() / 60, alias, input, rates, settleRates,
                perMinute, budget, budget.isPresent() ? OptionalLong.of(Math.floorDiv(deadline.toEpochMilli(), 1000L))
                : OptionalLong.empty(), guardrailReserve(plan, guardedInputUnits));
        if (budget.isPresent() && ask.units(minimal) > budget.get().limit()) {
            stats.refusedBudget.incrementAndGet();
            throw TokenRefusals.budget(budget.get(), now);
        }

        // The first try asks for everything, unchecked by a read: the common case costs one request.
        int granted = output;
        Optional<CounterStore.Counts> added = tryAdd(ask, granted);
        CounterStore.Counts counts = CounterStore.Counts.EMPTY;
        for (int attempt = 0; added.isEmpty() && attempt < CLAMP_ATTEMPTS; attempt++) {
            counts = store.read(ask.window());
            granted = grantable(ask, counts, output, minimal, now);
            added = tryAdd(ask, granted);
        }
        if (added.isEmpty()) {
            // Others took what each read showed was left, so calls in flight hold it. When the budget had
            // to be clamped it is the binding limit; otherwise the read showed room in both, so the
            // minute filled up: wait for the next one.
            if (budget.isPresent() && (granted < output || perMinute.isEmpty())) {
                stats.refusedInFlight.incrementAndGet();
                throw TokenRefusals.inFlight(budget.get(), counts, 0, now);
            }
            stats.refusedPerMinute.incrementAndGet();
            throw TokenRefusals.perMinute(alias, perMinute.getAsLong(), perMinute.getAsLong(), input + (long) granted,
                    now);
        }
        if (granted < output) {
            stats.clamped.incrementAndGet();
        }
        stats.reservations.incrementAndGet();
        return new MeteredReservation(ask, granted, plan, added.get(), now, granted < output, store, clock, stats);
    }

    /**
     * What a reservation may still get, given the item as read: the output lowered to what the budget
     * leaves, when at least a minimal answer fits.
     *
     * @throws Refusal a budget refusal when the settled usage alone leaves no room (a retry cannot help
     *                 before the period ends); an in-flight refusal when only calls in flight hold the room
     *                 (it comes back once they settle, by their deadlines); a per-minute refusal when the
     *                 minute is full
     */
    private int grantable(Ask ask, CounterStore.Counts counts, int output, int minimal, Instant now) throws Refusal {
        int granted = output;
        if (ask.budget().isPresent()) {
            TokenBudget budget = ask.budget().get();
            long need = ask.units(minimal);
            long settled = counts.used() - counts.inFlightAt(now.toEpochMilli());
            if (settled + need > budget.limit()) {
                stats.refusedBudget.incrementAndGet();
                throw TokenRefusals.budget(budget, now);
            }
            if (counts.used() + need > budget.limit()) {
                stats.refusedInFlight.incrementAndGet();
                throw TokenRefusals.inFlight(budget, counts, counts.used() + need - budget.limit(), now);
            }
            if (ask.perOutputToken() > 0) {
                long room = budget.limit() - counts.used() - ask.units(0);
                granted = (int) Math.max(minimal, Math.min(output, room / ask.perOutputToken()));
            }
        }
        if (ask.perMinute().isPresent()
                && counts.minute(ask.minute()) + ask.input() + (long) granted > ask.perMinute().getAsLong()) {
            stats.refusedPerMinute.incrementAndGet();
            throw TokenRefusals.perMinute(ask.alias(), ask.perMinute().getAsLong(), counts.minute(ask.minute()),
                    ask.input() + (long) granted, now);
        }
        return granted;
    }

    private Optional<CounterStore.Counts> tryAdd(Ask ask, int output) {
        long tokens = ask.input() + (long) output;
        long units = ask.units(output);
        OptionalLong minuteMax = ask.perMinute().isPresent()
                ? OptionalLong.of(ask.perMinute().getAsLong() - tokens) : OptionalLong.empty();
        OptionalLong usedMax = ask.budget().isPresent()
                ? OptionalLong.of(ask.budget().get().limit() - units) : OptionalLong.empty();
        return store.addIfWithin(ask.window(), new CounterStore.Hold(ask.minute(), tokens, units, ask.deadline()),
                minuteMax, usedMax);
    }

    /** The counter item of a key's current window: the budget's period, or the UTC day without a budget. */
    static CounterStore.Window window(String apiKeyId, PlanLimits plan, Instant now) {
        BudgetPeriod period = plan.budget().map(TokenBudget::period).orElse(BudgetPeriod.DAY);
        return new CounterStore.Window(apiKeyId, period.name() + "#" + period.start(now),
                period.end(now).getEpochSecond() + EXPIRY_GRACE_SECONDS);
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

        @Override
        public void chargeUnsettled() {
        }

        @Override
        public void chargeUnsettled(int inputTokens, int outputTokens) {
        }
    }
}
