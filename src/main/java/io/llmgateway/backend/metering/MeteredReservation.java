package io.llmgateway.backend.metering;

import io.llmgateway.common.BudgetUnit;
import io.llmgateway.common.GuardrailPolicy;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenBudget;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.Usage;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.Metrics;
import io.llmgateway.contract.RateLimits;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One reservation held on a {@link CounterStore} item by {@link TokenMetering}: its minute's tokens and
 * its window's units, and the in-flight bucket of its deadline. It ends once, whichever way: settled to
 * the usage, released, or charged; one UpdateItem adds the difference and drops the counters that say
 * nothing any more. A store that fails then leaves the reservation charged: over-counted, never under.
 */
final class MeteredReservation implements Metering.Reservation {
    private final CounterStore store;
    private final Clock clock;
    private final TokenMetering.Stats stats;
    private final CounterStore.Window window;
    private final long minute;
    private final long tokens;
    private final long units;
    private final OptionalLong deadline;
    private final int output;
    /** The rates reserved at; input and output uncounted by kind are charged at them. */
    private final TokenRates rates;
    private final TokenRates settleRates;
    private final PlanLimits plan;
    /** The guardrail's share of the reserved units; charged as it is when Bedrock reports no units. */
    private final long guardrailReserved;
    private volatile Map<GuardrailPolicy, Long> guardrailUnits;
    private final List<Long> staleMinutes = new ArrayList<>();
    private final List<Long> knownDeadlines = new ArrayList<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private final Map<String, Object> log = new LinkedHashMap<>();
    private volatile Map<String, String> headers;

    MeteredReservation(TokenMetering.Ask ask, int output, PlanLimits plan, CounterStore.Counts counts, Instant now,
                       boolean clamped, CounterStore store, Clock clock, TokenMetering.Stats stats) {
        this.store = store;
        this.clock = clock;
        this.stats = stats;
        this.window = ask.window();
        this.minute = ask.minute();
        this.tokens = ask.input() + (long) output;
        this.units = ask.units(output);
        this.deadline = ask.deadline();
        this.output = output;
        this.rates = ask.rates();
        this.settleRates = ask.settleRates();
        this.plan = plan;
        this.guardrailReserved = ask.budget().isPresent() ? ask.guardrailUnits(output) : 0;
        counts.minutes().keySet().stream().filter(m -> m < minute).forEach(staleMinutes::add);
        knownDeadlines.addAll(counts.inFlight().keySet());
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
        finish(inputTokens + (long) outputTokens, cost(inputTokens, outputTokens), "settled");
    }

    @Override
    public void settle(Usage usage) {
        finish(usage.totalTokens(), cost(usage), "settled");
    }

    @Override
    public void chargeUnsettled(Usage usage) {
        finish(usage.totalTokens(), cost(usage), TokenMetering.CHARGED_UNSETTLED);
    }

    @Override
    public void release() {
        finish(0, 0, "released");
    }

    @Override
    public void chargeUnsettled() {
        finish(tokens, units, TokenMetering.CHARGED_UNSETTLED);
    }

    @Override
    public void chargeUnsettled(int inputTokens, int outputTokens) {
        finish(inputTokens + (long) outputTokens, cost(inputTokens, outputTokens), TokenMetering.CHARGED_UNSETTLED);
    }

    @Override
    public void guardrailUnits(Map<GuardrailPolicy, Long> units) {
        this.guardrailUnits = Map.copyOf(units);
    }

    private long cost(int inputTokens, int outputTokens) {
        return plan.budget().isPresent()
                ? TokenRates.saturatingAdd(rates.cost(inputTokens, outputTokens), guardrailCost()) : 0;
    }

    /**
     * The guardrail's text units at the plan's prices, as Bedrock reported them; the reserved estimate when
     * a guarded call reported none (its trace lost), so the budget errs high.
     */
    private long guardrailCost() {
        Map<GuardrailPolicy, Long> units = guardrailUnits;
        if (plan.guardrail().isEmpty() || plan.budget().map(b -> b.unit() != BudgetUnit.USD).orElse(true)) {
            return 0;
        }
        if (units == null) {
            return guardrailReserved;
        }
        long cost = 0;
        for (Map.Entry<GuardrailPolicy, Long> used : units.entrySet()) {
            cost = TokenRates.saturatingAdd(cost, new TokenRates(plan.guardrail().get().priceOf(used.getKey()), 0)
                    .cost(used.getValue(), 0));
        }
        log.put("guardrailCost", cost);
        return cost;
    }

    /** Settled at the model's own rates, not the reservation's (which priced all input as cache writes). */
    private long cost(Usage usage) {
        return plan.budget().isPresent() ? TokenRates.saturatingAdd(settleRates.cost(usage), guardrailCost()) : 0;
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
        // Likewise an in-flight bucket whose deadline has passed says nothing any more: its units are
        // charged (they are in used), so it is dropped, this reservation's own included.
        long nowSecond = Math.floorDiv(now.toEpochMilli(), 1000L);
        List<Long> passed = new ArrayList<>(knownDeadlines.stream().filter(d -> d <= nowSecond).toList());
        OptionalLong leave = OptionalLong.empty();
        if (deadline.isPresent()) {
            if (deadline.getAsLong() > nowSecond) {
                leave = deadline;
            } else if (!passed.contains(deadline.getAsLong())) {
                passed.add(deadline.getAsLong());
            }
        }
        CounterStore.Adjustment change = new CounterStore.Adjustment(adjustMinute, actualTokens - tokens,
                actualUnits - units, leave, units, stale, passed);
        if (change.isEmpty()) {
            log.put("tokenReservation", outcome);
            return;
        }
        try {
            CounterStore.Counts counts = store.adjust(window, change);
            headers = headersFor(counts, now);
            log.put("tokenReservation", outcome);
        } catch (RuntimeException e) {
            // The reservation stays charged: the key is over-counted, never under-counted.
            stats.settleFailures.incrementAndGet();
            log.put("tokenReservation", outcome + "_failed");
            log.put("tokenStoreCause", e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause()));
            log.putAll(TokenMetering.metric(Metrics.Metric.TOKEN_SETTLE_FAILURES));
        }
    }

    private Map<String, String> headersFor(CounterStore.Counts counts, Instant now) {
        Map<String, String> h = new LinkedHashMap<>();
        if (plan.tokensPerMinute().isPresent()) {
            long limit = plan.tokensPerMinute().getAsLong();
            long used = now.getEpochSecond() / 60 == minute ? counts.minute(minute) : 0;
            h.put(Headers.X_RATELIMIT_LIMIT_TOKENS, Long.toString(limit));
            h.put(Headers.X_RATELIMIT_REMAINING_TOKENS, Long.toString(Math.max(0, limit - used)));
            h.put(Headers.X_RATELIMIT_RESET_TOKENS, RateLimits.resetDuration(TokenRefusals.untilNextMinute(now)));
        } else if (plan.budget().isPresent()
                && plan.budget().get().unit() == BudgetUnit.TOKENS) {
            TokenBudget budget = plan.budget().get();
            h.put(Headers.X_RATELIMIT_LIMIT_TOKENS, Long.toString(budget.limit()));
            h.put(Headers.X_RATELIMIT_REMAINING_TOKENS, Long.toString(Math.max(0, budget.limit() - counts.used())));
            h.put(Headers.X_RATELIMIT_RESET_TOKENS,
                    RateLimits.resetDuration(budget.period().end(now).toEpochMilli() - now.toEpochMilli()));
        }
        return h;
    }
}
