package io.llmgateway.backend.internal;

import io.llmgateway.common.BackendDeadline;
import java.time.Instant;

/**
 * How long the Bedrock call may take. API Gateway gives up on the integration after its timeout (29 s by
 * default) and sends its own bare 504; the function itself is stopped when its remaining time runs out.
 * The call must end before either, so the client gets a JSON 504 from the backend instead. The margin
 * and its reasons live in {@link BackendDeadline}, which the config reads too.
 */
public final class Deadline {

    private Deadline() {
    }

    /**
     * @param nowMs              the current time, epoch milliseconds
     * @param requestTimeEpochMs {@code requestContext.requestTimeEpoch}: when API Gateway received the
     *                           request, or null when the event lacks it
     * @param integrationTimeoutMs API Gateway's integration timeout
     * @param remainingMs        {@code Context.getRemainingTimeInMillis()}, or null without a context
     * @return the budget in milliseconds; zero or less when the deadline has already passed
     */
    public static long budgetMs(long nowMs, Long requestTimeEpochMs, long integrationTimeoutMs, Integer remainingMs) {
        long byGateway = integrationTimeoutMs;
        if (requestTimeEpochMs != null && requestTimeEpochMs > 0) {
            // requestTimeEpoch is taken before the authorizer runs, so this errs on the early side.
            byGateway -= Math.max(0, nowMs - requestTimeEpochMs);
        }
        long budget = remainingMs == null ? byGateway : Math.min(byGateway, remainingMs);
        return budget - BackendDeadline.SAFETY_MARGIN_MS;
    }

    /**
     * When the invocation that makes a model call of this budget ends, answered or not: API Gateway and
     * Lambda give up on it by then. A reservation not settled by this time never will be by this
     * invocation, so token metering counts it as charged from then on.
     */
    public static Instant invocationEnd(Instant now, long budgetMs) {
        return now.plusMillis(budgetMs + BackendDeadline.SAFETY_MARGIN_MS);
    }
}
