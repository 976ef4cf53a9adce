package io.llmgateway.backend.runtime;

import java.time.Clock;
import java.util.Objects;

/**
 * One invocation as {@code GET /runtime/invocation/next} hands it over: the event and the response
 * headers that describe it (Lambda developer guide, "Using the Lambda runtime API for custom runtimes",
 * "Next invocation").
 *
 * @param requestId          {@code Lambda-Runtime-Aws-Request-Id}; the response and error paths name it
 * @param deadlineEpochMs    {@code Lambda-Runtime-Deadline-Ms}: when the function times out, Unix time in ms
 * @param invokedFunctionArn {@code Lambda-Runtime-Invoked-Function-Arn}: the function, version or alias invoked
 * @param traceId            {@code Lambda-Runtime-Trace-Id}, the X-Ray header; null when absent
 * @param clientContext      {@code Lambda-Runtime-Client-Context}; null when absent
 * @param cognitoIdentity    {@code Lambda-Runtime-Cognito-Identity}; null when absent
 * @param event              the event, as sent (not copied: handlers read it, nothing writes it)
 */
public record Invocation(String requestId, long deadlineEpochMs, String invokedFunctionArn, String traceId,
                         String clientContext, String cognitoIdentity, byte[] event) {

    public Invocation {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(event, "event");
    }

    /** Milliseconds until the deadline on {@code clock}; 0 once it has passed. */
    public long remainingMillis(Clock clock) {
        return Math.max(0, deadlineEpochMs - clock.millis());
    }
}
