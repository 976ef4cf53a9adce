package io.llmgateway.common;

/**
 * The time budget of one backend call, in the one place both sides read: the backend ends its Bedrock
 * call this early (backend.internal.Deadline), and the config refuses timeouts that would leave the
 * model no real time (config.ScalarSettings).
 *
 * <p>The backend must answer before API Gateway gives up on the integration (its integration timeout)
 * and before Lambda stops the function (its timeout), so the client gets the backend's JSON 504 rather
 * than API Gateway's bare one (API Gateway developer guide, "Set up Lambda proxy integrations in API
 * Gateway"; "Amazon API Gateway quotas", integration timeout).
 */
public final class BackendDeadline {

    /**
     * Kept back from the budget for what follows the call: building and returning the response through
     * the Lambda runtime and API Gateway. One second is generous next to the few milliseconds that work
     * takes, and leaves room for clock skew between API Gateway and the function.
     */
    public static final long SAFETY_MARGIN_MS = 1000;

    /**
     * The least time a configuration must leave the model, or it is refused. Before the model's first
     * token, a request has already spent time that counts against API Gateway's integration clock: the
     * authorizer, and on a cold start the function's SnapStart restore; the backend's first Bedrock call
     * then opens a TLS connection, and the model's time to first token is itself commonly some hundreds
     * of milliseconds, before the answer (which the backend buffers whole) is generated. Below 2 s, cold
     * requests and all but the shortest answers would end in 504s; the defaults (29000 ms, 29 s) leave
     * 28 s. This is a floor for a configuration to make sense at all, not a recommendation: a judgment,
     * not an AWS limit.
     */
    public static final long MIN_MODEL_TIME_MS = 2000;

    private BackendDeadline() {
    }

    /**
     * The most time the model can get in a request: the earlier of API Gateway's and Lambda's limits,
     * less {@link #SAFETY_MARGIN_MS}. A request gets less, by the time that passed before the backend
     * started.
     */
    public static long modelTimeMs(long integrationTimeoutMs, long lambdaTimeoutSeconds) {
        return Math.min(integrationTimeoutMs, lambdaTimeoutSeconds * 1000) - SAFETY_MARGIN_MS;
    }
}
