package io.llmgateway.backend.internal;

import io.llmgateway.common.GuardrailPolicy;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.Usage;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A model call in progress, as its route sees it: what metering granted, and the facts the route
 * reports as the call goes, from which {@link MeteredCalls} settles the reservation when the call is
 * over. The route never holds the reservation itself, so it cannot forget to settle it; what it can
 * forget to report errs on the safe side (an answered call never counted is charged at its estimate).
 *
 * <p>Send every Bedrock call through {@link #send}: the template then knows what was in flight when a
 * call failed, and whether Bedrock answered it. A buffered call is one {@code send} and one
 * {@link #counted}. A request that makes several calls (embedding batches) sends each at its own
 * estimate. A streamed call is one {@code send} around the whole stream: {@link #answering()} at the
 * first event (from then on it is billed, however it ends), {@link #counted} with the usage the stream
 * reports at its end; a client that goes away mid-stream ends the call with the exception its body
 * threw, and it is settled to the usage when the stream's end was read, else charged.
 *
 * <p>One thread at a time, but a stream's handler may report from the thread that delivers the events.
 */
public final class MeteredCall {

    /**
     * What a part of the call may have cost; {@code whole} when it is the whole reservation.
     */
    private record Estimate(long inputTokens, long outputTokens, boolean whole) {
        static final Estimate NONE = new Estimate(0, 0, false);

        Estimate plus(Estimate other) {
            return other == null ? this : new Estimate(inputTokens + other.inputTokens,
                    outputTokens + other.outputTokens, whole || other.whole);
        }

        boolean isNone() {
            return inputTokens == 0 && outputTokens == 0 && !whole;
        }
    }

    private final Estimate reserved;
    private final int maxOutputTokens;
    private final TokenRates.CacheWrites cacheWrites;
    private final long budgetMs;
    private final LongSupplier remaining;
    private Usage counted = Usage.NONE;
    private boolean anyCounted;
    /** Calls that may have been billed with no usage reported: failed after reaching the model, or never counted. */
    private Estimate billed = Estimate.NONE;
    /** The last call answered, until its usage is counted. */
    private Estimate answered;
    /** The call sent and not yet returned, or null. */
    private Estimate inFlight;
    /** The call in flight has reached the model: it is billed however it ends. */
    private boolean answering;
    /** The guardrail text units Bedrock reported, per policy. */
    private final Map<GuardrailPolicy, Long> guardrailUnits = new EnumMap<>(GuardrailPolicy.class);

    /**
     * @param inputEstimate the input tokens reserved
     * @param cacheWrites   the prompt-cache writes the call may make: input uncounted is charged as such
     * @param remaining     the milliseconds left now ({@link ProxyRequest#budgetMs})
     */
    MeteredCall(int inputEstimate, int maxOutputTokens, TokenRates.CacheWrites cacheWrites, long budgetMs,
                LongSupplier remaining) {
        this.reserved = new Estimate(inputEstimate, maxOutputTokens, true);
        this.maxOutputTokens = maxOutputTokens;
        this.cacheWrites = cacheWrites;
        this.budgetMs = budgetMs;
        this.remaining = remaining;
    }

    /** The max_tokens to send: what was asked, or less when only that much is left. */
    public int maxOutputTokens() {
        return maxOutputTokens;
    }

    /** The milliseconds the call may take, as reckoned when its tokens were reserved ({@link Deadline}). */
    public long budgetMs() {
        return budgetMs;
    }

    /** The milliseconds left now, for a request that makes several calls; zero or less when none are. */
    public long remainingMs() {
        return remaining.getAsLong();
    }

    /**
     * Sends the call with the whole reservation in flight: answered (so billed) when it returns; when it
     * throws, billed unless Bedrock refused it before a model ran ({@link BedrockErrors#mayHaveBeenBilled}).
     */
    public <T> T send(Supplier<T> call) {
        return send(reserved, call);
    }

    /** Sends one of several calls of a request, at these tokens (its share of the reservation). */
    public <T> T send(int inputEstimate, int outputEstimate, Supplier<T> call) {
        return send(new Estimate(inputEstimate, outputEstimate, false), call);
    }

    private <T> T send(Estimate estimate, Supplier<T> call) {
        synchronized (this) {
            if (inFlight != null) {
                throw new IllegalStateException("one model call at a time");
            }
            billed = billed.plus(answered); // an earlier answer never counted stays billed at its estimate
            answered = null;
            inFlight = estimate;
            answering = false;
        }
        T answer;
        try {
            answer = call.get();
        } catch (Throwable e) {
            synchronized (this) {
                if (inFlight != null && (answering || BedrockErrors.mayHaveBeenBilled(e))) {
                    billed = billed.plus(inFlight);
                }
                inFlight = null;
            }
            throw e;
        }
        synchronized (this) {
            answered = inFlight; // null when its usage was counted already (a stream's last event)
            inFlight = null;
        }
        return answer;
    }

    /** Bedrock began answering the call in flight (a stream's first event): it is billed however it ends. */
    public synchronized void answering() {
        answering = inFlight != null;
    }

    /**
     * Bedrock's count for the call in flight or the last one answered (a response's usage, a stream's
     * metadata event); for an answer that says nothing, the route's estimate of it.
     */
    public void counted(int inputTokens, int outputTokens) {
        counted(new Usage(inputTokens, outputTokens));
    }

    /** {@link #counted(int, int)} with the cache reads and writes apart, as Bedrock reports them. */
    public synchronized void counted(Usage usage) {
        counted = counted.plus(usage);
        anyCounted = true;
        if (inFlight != null) {
            inFlight = null;
        } else {
            answered = null;
        }
    }

    /** The guardrail text units a call's trace reported, per policy: a USD budget charges them. */
    public synchronized void guardrailUnits(Map<GuardrailPolicy, Long> units) {
        units.forEach((policy, n) -> guardrailUnits.merge(policy, n, Long::sum));
    }

    synchronized Map<GuardrailPolicy, Long> guardrailUnits() {
        return Map.copyOf(guardrailUnits);
    }

    /** The input tokens counted so far, cached ones included. */
    public synchronized int inputTokens() {
        return counted.promptTokens();
    }

    /**
     * How the reservation ends once the route is done: what was counted, plus what may have been billed
     * uncounted. A call still in flight (a stream's handler that outlived its route) counts as billed.
     */
    synchronized Settlement settlement() {
        Estimate uncounted = billed.plus(answered).plus(inFlight);
        if (uncounted.whole() && !anyCounted && uncounted.inputTokens() == reserved.inputTokens()
                && uncounted.outputTokens() == reserved.outputTokens()) {
            return new Settlement.ChargeAll();
        }
        if (!uncounted.isNone()) {
            // Input estimated, not counted, is charged as the reservation priced it: as cache writes when
            // the call may write to the cache.
            int input = saturated(uncounted.inputTokens());
            Usage estimate = switch (cacheWrites) {
                case NONE -> new Usage(input, saturated(uncounted.outputTokens()));
                case SHORT -> new Usage(0, saturated(uncounted.outputTokens()), 0, input, 0, -1);
                case LONG -> new Usage(0, saturated(uncounted.outputTokens()), 0, 0, input, -1);
            };
            return new Settlement.Charge(counted.plus(estimate));
        }
        return anyCounted ? new Settlement.Settle(counted) : new Settlement.Release();
    }

    private static int saturated(long tokens) {
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    /** How a reservation ends. */
    sealed interface Settlement {
        /** What Bedrock counted: the call was answered. */
        record Settle(Usage usage) implements Settlement {
        }

        /** Nothing was billed: Bedrock refused the call before a model ran, or it was never sent. */
        record Release() implements Settlement {
        }

        /** The whole reservation: the call may have been billed, and no usage came back. */
        record ChargeAll() implements Settlement {
        }

        /** What was counted plus the estimates of the calls that may have been billed uncounted. */
        record Charge(Usage usage) implements Settlement {
        }
    }
}
