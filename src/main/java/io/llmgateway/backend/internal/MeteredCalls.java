package io.llmgateway.backend.internal;

import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.common.TokenRates;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.OpenAiError;
import java.time.Clock;
import java.util.Objects;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * The one way a route calls a model: every route that does (chat completions, embeddings, and the
 * routes to come) hands its call to {@link #run}, which reserves tokens before it, runs it, and settles
 * the reservation after it, on every path, by construction:
 * <ul>
 *   <li>to Bedrock's usage when the call was answered ({@link MeteredCall#counted});</li>
 *   <li>released when Bedrock refused the call before a model ran, or it was never sent
 *       ({@link BedrockErrors#mayHaveBeenBilled});</li>
 *   <li>charged when the call may have been billed and no usage came back: a deadline, a connection
 *       lost after the request was sent, a stream cut off, an unexpected exception or {@link Error}
 *       (Bedrock has no cancel). A call answered but never counted is charged at its estimate.</li>
 * </ul>
 * A route never holds the reservation: it sees a {@link MeteredCall}, which grants max_tokens and takes
 * reports, and returns its answer. LayeringTest's metering rules hold that nothing else reserves tokens
 * or touches a reservation.
 *
 * <p>This is also the one door to the caller's entitlement ({@link #entitlement}), so the routes and the
 * router know metering only through it.
 */
public final class MeteredCalls {

    /**
     * What a call asks of metering before it is made.
     *
     * @param modelAlias      the alias the client named
     * @param inputEstimate   the input tokens the request is estimated to cost, erring high
     * @param maxOutputTokens the max_tokens the caller may receive (0 for a call with no output)
     * @param guardedInputUnits the guardrail text units the input may bill (0 without a guardrail)
     * @param cacheWrites       which prompt-cache writes the call may make: its input is reserved as if all
     *                          of it were written at the dearest of them
     */
    public record Ask(String modelAlias, int inputEstimate, int maxOutputTokens, int guardedInputUnits,
                      TokenRates.CacheWrites cacheWrites) {
        /** A call without a guardrail that writes nothing to the prompt cache. */
        public Ask(String modelAlias, int inputEstimate, int maxOutputTokens) {
            this(modelAlias, inputEstimate, maxOutputTokens, 0);
        }

        /** A call that writes nothing to the prompt cache. */
        public Ask(String modelAlias, int inputEstimate, int maxOutputTokens, int guardedInputUnits) {
            this(modelAlias, inputEstimate, maxOutputTokens, guardedInputUnits, TokenRates.CacheWrites.NONE);
        }
    }

    /** The route's model call: made through {@link MeteredCall#send}, with what it learns reported there. */
    @FunctionalInterface
    public interface ModelCall {
        /**
         * @return the answer; a 2xx gets the reservation's headers (e.g. the caller's remaining tokens)
         * @throws RuntimeException the call failed: the client gets the error it maps to
         *                          ({@link BedrockErrors#classify}), and the log its cause
         */
        Reply call(MeteredCall call);
    }

    private final Metering metering;
    private final Clock clock;
    private final int integrationTimeoutMs;

    /**
     * @param metering             what each caller may use and spend ({@link Metering#UNMETERED} for no limits)
     * @param clock                the time for the deadline
     * @param integrationTimeoutMs API Gateway's integration timeout, which bounds the call
     */
    public MeteredCalls(Metering metering, Clock clock, int integrationTimeoutMs) {
        this.metering = Objects.requireNonNull(metering, "metering");
        this.clock = clock;
        this.integrationTimeoutMs = integrationTimeoutMs;
    }

    /**
     * The caller's entitlement, with its plan noted on the line.
     *
     * @throws Refusal when the caller's plan cannot be known: it may then use nothing
     */
    public Metering.Entitlement entitlement(ProxyRequest request, RequestLog line) throws Refusal {
        return line.entitled(metering.entitlement(request.caller()));
    }

    /** Metering refused the call before it was made: the client's error, and why on the line. */
    public static Reply refused(Refusal refusal, RequestLog line) {
        line.put(BackendLog.REFUSED_BY, BackendLog.REFUSED_BY_TOKENS);
        refusal.logFields().forEach(line::put);
        return Reply.error(refusal);
    }

    /**
     * The same template for a route whose integration has its own timeout (a streaming route's,
     * {@code BackendSettings.integrationTimeoutMs(route)}): its calls take their deadline from it.
     */
    public MeteredCalls withIntegrationTimeout(int routeTimeoutMs) {
        return new MeteredCalls(metering, clock, routeTimeoutMs);
    }

    /**
     * Reserves what {@code ask} needs within the time left, runs {@code call}, and settles the reservation
     * however the call ends; the reservation's log fields go on the line.
     *
     * @return the call's answer, a 504 when no time is left for it, a metering refusal, or the error a
     *         failed call maps to. A streamed answer ({@link Reply#stream()}) is settled when its body has
     *         been written, however that ends: the body's writer must run, once
     * @throws Error what the call threw, after the reservation was charged
     */
    public Reply run(ProxyRequest request, RequestLog line, Ask ask, ModelCall call) {
        long budget = request.budgetMs(clock, integrationTimeoutMs);
        if (budget <= 0) {
            line.put("cause", "the deadline passed before the Bedrock call");
            return Reply.error(OpenAiError.timeout());
        }
        Metering.Reservation reservation;
        try {
            reservation = metering.reserve(request.caller(), ask.modelAlias(), ask.inputEstimate(),
                    ask.maxOutputTokens(), ask.guardedInputUnits(), ask.cacheWrites(),
                    Deadline.invocationEnd(clock.instant(), budget));
        } catch (Refusal e) {
            return refused(e, line);
        }
        MeteredCall metered = new MeteredCall(ask.inputEstimate(), reservation.maxOutputTokens(), ask.cacheWrites(),
                budget, () -> request.budgetMs(clock, integrationTimeoutMs));
        Reply reply;
        try {
            reply = call.call(metered);
        } catch (RuntimeException e) {
            settle(reservation, metered, line);
            return failed(e, line);
        } catch (Error e) {
            settle(reservation, metered, line);
            throw e;
        }
        if (reply.stream() != null) {
            Reply.Stream body = reply.stream();
            reply = reply.withStream(out -> {
                try {
                    body.writeTo(out);
                } finally {
                    settle(reservation, metered, line);
                }
            });
        } else {
            settle(reservation, metered, line);
        }
        return reply.status() / 100 == 2 ? reply.withHeaders(reservation.headers()) : reply;
    }

    private static void settle(Metering.Reservation reservation, MeteredCall call, RequestLog line) {
        MeteredCall.Settlement settlement = call.settlement();
        if (!call.guardrailUnits().isEmpty() && !(settlement instanceof MeteredCall.Settlement.Release)) {
            reservation.guardrailUnits(call.guardrailUnits());
        }
        if (settlement instanceof MeteredCall.Settlement.Settle settle) {
            reservation.settle(settle.usage());
        } else if (settlement instanceof MeteredCall.Settlement.Charge charge) {
            reservation.chargeUnsettled(charge.usage());
        } else if (settlement instanceof MeteredCall.Settlement.ChargeAll) {
            reservation.chargeUnsettled();
        } else {
            reservation.release();
        }
        reservation.logFields().forEach(line::put);
    }

    /** The model call failed: the client's error, with the real cause on the log line. */
    private static Reply failed(RuntimeException e, RequestLog line) {
        if (e instanceof ApiCallTimeoutException) {
            // The SDK interrupts the calling thread to end the call; leave no flag behind for the next
            // invocation on this thread.
            Thread.interrupted();
        }
        BedrockErrors.Failure failure = BedrockErrors.classify(e);
        line.put(RequestLog.UPSTREAM_ERROR, failure.upstream());
        if (failure.cause() != null) {
            line.put("cause", failure.cause());
        }
        return Reply.error(failure.error());
    }
}
