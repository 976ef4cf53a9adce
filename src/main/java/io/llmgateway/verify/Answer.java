package io.llmgateway.verify;

/**
 * What one call came back with: a parsed value, an error answer, or no usable answer at all.
 *
 * @param value   the value read from a 2xx answer, or null
 * @param seen    the HTTP answer, or null when none arrived
 * @param error   the error answer, or null
 * @param problem why there is no usable answer (connection failure, malformed body), or null
 */
record Answer<T>(T value, Seen seen, ApiError error, String problem) {

    static <T> Answer<T> ok(T value, Seen seen) {
        return new Answer<>(value, seen, null, null);
    }

    static <T> Answer<T> failed(ApiError error, Seen seen) {
        return new Answer<>(null, seen, error, null);
    }

    static <T> Answer<T> broken(String problem, Seen seen) {
        return new Answer<>(null, seen, null, problem);
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
