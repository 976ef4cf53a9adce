package io.llmgateway.backend.internal;

import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.common.Text;
import io.llmgateway.contract.BackendLog;
import java.util.Map;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * What every route that calls a model does the same way, so chat completions and embeddings read,
 * refuse, fail and log alike.
 */
final class ModelCalls {

    private ModelCalls() {
    }

    /** The body as JSON, with the model it names on the log line. */
    static Object readJson(Request request, int limitBytes, RequestLog line) throws RequestError {
        Object json = request.jsonBody(limitBytes);
        if (json instanceof Map<?, ?> map) {
            line.put(BackendLog.MODEL, map.get("model") instanceof String model ? Text.truncate(model) : null);
        }
        return json;
    }

    /**
     * The caller's entitlement, with its plan noted on the line.
     *
     * @throws Refusal when the caller's plan cannot be known: it may then use nothing
     */
    static Metering.Entitlement entitlement(Metering metering, Request request, RequestLog line) throws Refusal {
        return line.entitled(metering.entitlement(request.caller()));
    }

    /** Metering refused the call before it was made. */
    static Reply refused(Refusal refusal, RequestLog line) {
        line.put(BackendLog.REFUSED_BY, BackendLog.REFUSED_BY_TOKENS);
        refusal.logFields().forEach(line::put);
        return Reply.error(refusal);
    }

    /** What Bedrock counted for an answered call, and their sum (what a Contributor Insights rule ranks keys by). */
    static void tokens(RequestLog line, int input, int output) {
        line.put(BackendLog.INPUT_TOKENS, input).put(BackendLog.OUTPUT_TOKENS, output)
                .put(BackendLog.TOTAL_TOKENS, input + output);
    }

    /** What the reservation says about itself after it was settled or released. */
    static void logged(Metering.Reservation reservation, RequestLog line) {
        reservation.logFields().forEach(line::put);
    }

    /**
     * The model call failed: its reservation goes back when Bedrock cannot have billed it, and stays
     * charged when it may have been ({@link BedrockErrors#mayHaveBeenBilled}); then the client's error.
     */
    static Reply failed(RuntimeException e, Metering.Reservation reservation, RequestLog line) {
        if (BedrockErrors.mayHaveBeenBilled(e)) {
            reservation.chargeUnsettled();
        } else {
            reservation.release();
        }
        logged(reservation, line);
        return failed(e, line);
    }

    /**
     * The model call failed: the client's error, with the real cause on the log line. Settle the
     * reservation before.
     */
    static Reply failed(RuntimeException e, RequestLog line) {
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
