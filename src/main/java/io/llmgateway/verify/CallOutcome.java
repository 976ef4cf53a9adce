package io.llmgateway.verify;

/**
 * What one call came back with: a parsed value, an error answer, or no usable answer at all.
 *
 * @param value   the value read from a 2xx answer, or null
 * @param seen    the HTTP answer, or null when none arrived
 * @param error   the error answer, or null
 * @param problem why there is no usable answer (connection failure, malformed body), or null
 */
record CallOutcome<T>(T value, Seen seen, ApiError error, String problem) {

    static <T> CallOutcome<T> ok(T value, Seen seen) {
        return new CallOutcome<>(value, seen, null, null);
    }

    static <T> CallOutcome<T> failed(ApiError error, Seen seen) {
        return new CallOutcome<>(null, seen, error, null);
    }

    static <T> CallOutcome<T> broken(String problem, Seen seen) {
        return new CallOutcome<>(null, seen, null, problem);
    }

    boolean ok() {
        return error == null && problem == null;
    }

    /** What came back, for a failure's "got" line. */
    String describe() {
        if (error != null) {
            return error.describe();
        }
        if (problem != null) {
            return problem;
        }
        return seen == null ? "an answer" : seen.status() + " with a body that parsed";
    }

    String requestId() {
        return seen == null ? null : seen.requestId();
    }
}
