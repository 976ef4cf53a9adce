package io.llmgateway.backend.runtime;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Lambda Runtime API, version 2018-06-01, at {@code AWS_LAMBDA_RUNTIME_API} (Lambda developer
 * guide, "Using the Lambda runtime API for custom runtimes"): the next invocation, a buffered or a
 * streamed response, the invocation, init and restore errors, and SnapStart's restore signal.
 */
public final class RuntimeApi {

    static final String BASE = "/2018-06-01/runtime";
    static final String REQUEST_ID = "Lambda-Runtime-Aws-Request-Id";
    static final String DEADLINE_MS = "Lambda-Runtime-Deadline-Ms";
    static final String FUNCTION_ARN = "Lambda-Runtime-Invoked-Function-Arn";
    static final String TRACE_ID = "Lambda-Runtime-Trace-Id";
    static final String CLIENT_CONTEXT = "Lambda-Runtime-Client-Context";
    static final String COGNITO_IDENTITY = "Lambda-Runtime-Cognito-Identity";
    static final String ERROR_TYPE = "Lambda-Runtime-Function-Error-Type";
    static final String ERROR_BODY = "Lambda-Runtime-Function-Error-Body";
    static final String RESPONSE_MODE = "Lambda-Runtime-Function-Response-Mode";
    static final String STREAMING = "streaming";
    static final String USER_AGENT = "llm-gateway-runtime/1";
    static final String JSON = "application/json";

    private final LoopbackHttp http;

    /** @param hostAndPort the value of {@code AWS_LAMBDA_RUNTIME_API} */
    public RuntimeApi(String hostAndPort) {
        this.http = new LoopbackHttp(hostAndPort);
    }

    /** A Runtime API answer other than the documented success; 500 means the runtime should exit. */
    public static final class RuntimeApiException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int status;

        RuntimeApiException(String call, LoopbackHttp.Response response) {
            super(call + " answered " + response.status() + ": " + response.text());
            this.status = response.status();
        }

        public int status() {
            return status;
        }

        /** "Container error. Non-recoverable state. Runtime should exit promptly." */
        public boolean fatal() {
            return status >= 500;
        }
    }

    /** Blocks until Lambda has an invocation (the process may be frozen meanwhile). */
    public Invocation next() throws IOException {
        LoopbackHttp.Response response = checked("GET next", 200,
                http.exchange("GET", BASE + "/invocation/next", userAgent(), null, true));
        String requestId = response.field(REQUEST_ID);
        if (requestId == null || !requestId.matches("[A-Za-z0-9._-]+")) {
            // It goes into the response path: anything but an id's characters is refused here.
            throw new IOException("GET next answered a missing or malformed " + REQUEST_ID + ": " + requestId);
        }
        long deadline;
        try {
            String value = response.field(DEADLINE_MS);
            deadline = value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IOException("GET next answered a malformed " + DEADLINE_MS + ": " + response.field(DEADLINE_MS));
        }
        return new Invocation(requestId, deadline, response.field(FUNCTION_ARN), response.field(TRACE_ID),
                response.field(CLIENT_CONTEXT), response.field(COGNITO_IDENTITY), response.body());
    }

    /** The whole response at once, as a fixed-length body. */
    public void respond(String requestId, byte[] payload, String contentType) throws IOException {
        Map<String, String> headers = userAgent();
        headers.put("Content-Type", contentType);
        checked("POST response", 202, http.exchange("POST", invocation(requestId) + "/response", headers, payload, true));
    }

    /**
     * Opens a streamed response (Lambda developer guide, "Building a custom runtime", "Implementing
     * response streaming in a custom runtime"): {@code Lambda-Runtime-Function-Response-Mode: streaming},
     * chunked transfer coding, and the {@code Trailer} field declaring the two error trailers up front,
     * as HTTP/1.1 requires of a sender that will send trailers. The caller writes chunks and ends it;
     * the connection is closed after the response, as that page asks.
     */
    LoopbackHttp.ChunkedRequest openStream(String requestId, String contentType) throws IOException {
        Map<String, String> headers = userAgent();
        headers.put("Content-Type", contentType);
        headers.put(RESPONSE_MODE, STREAMING);
        headers.put("Trailer", ERROR_TYPE + ", " + ERROR_BODY);
        return http.openChunked(invocation(requestId) + "/response", headers);
    }

    /** Ends a streamed response: no trailers, or the two error trailers. */
    static void endStream(LoopbackHttp.ChunkedRequest stream, ErrorReport error) throws IOException {
        Map<String, String> trailers = new LinkedHashMap<>();
        if (error != null) {
            trailers.put(ERROR_TYPE, error.category());
            trailers.put(ERROR_BODY, error.base64());
        }
        checked("POST response (streamed)", 202, stream.finish(trailers));
    }

    /** Only before the first byte of a response (after it, a streamed response carries the error as trailers). */
    public void invocationError(String requestId, ErrorReport error) throws IOException {
        postError("POST invocation error", invocation(requestId) + "/error", error);
    }

    public void initError(ErrorReport error) throws IOException {
        postError("POST init error", BASE + "/init/error", error);
    }

    /**
     * SnapStart: blocks until Lambda has taken the snapshot and restored it (Lambda developer guide,
     * "Implementing SnapStart hooks for container images": "The request blocks until Lambda restores
     * the execution environment from the snapshot, then returns HTTP 200").
     */
    public void restoreNext() throws IOException {
        // Not kept: a connection from before the snapshot may not survive the restore (Lambda developer
        // guide, "Handling uniqueness with Lambda SnapStart").
        checked("GET restore next", 200, http.exchange("GET", BASE + "/restore/next", userAgent(), null, false));
    }

    public void restoreError(ErrorReport error) throws IOException {
        postError("POST restore error", BASE + "/restore/error", error);
    }

    private void postError(String call, String path, ErrorReport error) throws IOException {
        Map<String, String> headers = userAgent();
        headers.put("Content-Type", JSON);
        headers.put(ERROR_TYPE, error.category());
        checked(call, 202, http.exchange("POST", path, headers, error.json(), true));
    }

    private static String invocation(String requestId) {
        return BASE + "/invocation/" + requestId;
    }

    private static Map<String, String> userAgent() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", USER_AGENT);
        return headers;
    }

    private static LoopbackHttp.Response checked(String call, int expected, LoopbackHttp.Response response)
            throws RuntimeApiException {
        if (response.status() != expected) {
            throw new RuntimeApiException(call, response);
        }
        return response;
    }
}
