package io.llmgateway.verify;

import java.util.Objects;

/**
 * The outcome of one check.
 *
 * @param check     which check
 * @param status    pass, fail or skip
 * @param nanos     how long it took, 0 for a skipped check
 * @param detail    for a pass what was seen, for a skip why; for a failure a short summary
 * @param expected  for a failure, what the contract says should come back; otherwise null
 * @param actual    for a failure, what came back; otherwise null
 * @param requestId the header and value of the request id of the answer judged, e.g.
 *                  {@code x-request-id 1b2c...}; null when there was none
 */
public record CheckResult(Check check, Status status, long nanos, String detail, String expected, String actual,
                          String requestId) {

    /** A check's result. */
    public enum Status { PASS, FAIL, SKIP }

    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    static CheckResult pass(Check check, long nanos, String detail, String requestId) {
        return new CheckResult(check, Status.PASS, nanos, detail, null, null, requestId);
    }

    static CheckResult fail(Check check, long nanos, String detail, String expected, String actual,
                            String requestId) {
        return new CheckResult(check, Status.FAIL, nanos, detail, expected, actual, requestId);
    }

    static CheckResult skip(Check check, String reason) {
        return new CheckResult(check, Status.SKIP, 0, reason, null, null, null);
    }

    public boolean failed() {
        return status == Status.FAIL;
    }
}
