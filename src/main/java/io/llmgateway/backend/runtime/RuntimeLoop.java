package io.llmgateway.backend.runtime;

import io.llmgateway.common.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * A runtime's life against the Lambda Runtime API (Lambda developer guide, "Building a custom
 * runtime", "Processing tasks"): build the function, or report an init error; with SnapStart, run
 * the before-snapshot hooks, wait on {@code /runtime/restore/next} and run the after-restore hooks
 * ("Implementing SnapStart hooks for container images"); then take invocations one at a time and
 * answer each in its {@link ResponseMode}, until the Runtime API stops answering.
 *
 * <p>A handler that throws before its response has begun gets an invocation error; after, the
 * streamed response ends with the error trailers. The loop itself logs one JSON line per problem
 * (never an event or a response body).
 */
public final class RuntimeLoop {

    /** Exit code after an init or Runtime API failure. */
    public static final int FAILED = 1;
    /** Exit code after a failed SnapStart hook, as AWS's Java runtime client uses it. */
    public static final int HOOK_FAILED = 64;
    /** Where the AWS SDK and X-Ray read the invocation's trace header (AWS's Java runtime client sets it so). */
    static final String TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";

    /** A handler and the modes of its responses. */
    public record Function(HttpHandler handler, ResponseModes modes) {
        public Function {
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(modes, "modes");
        }
    }

    private final RuntimeApi api;
    private final Consumer<String> log;
    private volatile boolean stopping;

    /** @param log where the loop's own JSON lines go: standard output on Lambda */
    public RuntimeLoop(RuntimeApi api, Consumer<String> log) {
        this.api = api;
        this.log = log;
    }

    /**
     * @param init      builds the function (Lambda's init phase); what it throws is reported as an init error
     * @param snapStart whether this init ends in a SnapStart snapshot
     * @param hooks     run around the snapshot
     * @return the process exit code once the Runtime API stops answering, or at once after an init
     *         or hook failure
     */
    public int run(Callable<Function> init, boolean snapStart, CheckpointHooks hooks) {
        Function function;
        try {
            function = init.call();
        } catch (Exception | LinkageError e) {
            return report("init_failed", () -> api.initError(ErrorReport.of(ErrorReport.BAD_FUNCTION_CODE, e)), e,
                    FAILED);
        }
        if (snapStart) {
            int failed = snapshot(hooks);
            if (failed != 0) {
                return failed;
            }
        }
        while (true) {
            Invocation invocation;
            try {
                invocation = api.next();
            } catch (IOException e) {
                if (stopping) {
                    return 0; // the Runtime API went away because its owner stopped it: no failure
                }
                line("runtime_api_failed", null, e);
                return FAILED;
            }
            try {
                serve(function, invocation);
            } catch (RuntimeApi.RuntimeApiException e) {
                line("response_refused", invocation.requestId(), e);
                if (e.fatal()) {
                    return FAILED;
                }
            } catch (IOException e) {
                line("response_failed", invocation.requestId(), e);
            }
        }
    }

    /**
     * Says the Runtime API is about to go away on purpose (a local gateway stopping): the loop then
     * ends quietly with 0 when its next {@code /next} fails, instead of logging a failure.
     */
    public void stop() {
        stopping = true;
    }

    /** 0 once restored and ready; otherwise the exit code. */
    private int snapshot(CheckpointHooks hooks) {
        try {
            hooks.beforeCheckpoint();
        } catch (Exception e) {
            return report("before_checkpoint_failed",
                    () -> api.initError(ErrorReport.of(ErrorReport.BEFORE_CHECKPOINT, e)), e, HOOK_FAILED);
        }
        try {
            api.restoreNext();
        } catch (IOException e) {
            line("runtime_api_failed", null, e);
            return FAILED;
        }
        try {
            hooks.afterRestore();
        } catch (Exception e) {
            return report("after_restore_failed",
                    () -> api.restoreError(ErrorReport.of(ErrorReport.AFTER_RESTORE, e)), e, HOOK_FAILED);
        }
        return 0;
    }

    /** Answers one invocation; throws only when the Runtime API refused or lost the answer. */
    void serve(Function function, Invocation invocation) throws IOException {
        if (invocation.traceId() == null) {
            System.clearProperty(TRACE_PROPERTY);
        } else {
            System.setProperty(TRACE_PROPERTY, invocation.traceId());
        }
        InvocationResponse response = null;
        try {
            response = InvocationResponse.of(function.modes().of(invocation), api, invocation.requestId());
            function.handler().handle(invocation, response);
        } catch (Exception | Error e) {
            ErrorReport error = ErrorReport.of(ErrorReport.USER_EXCEPTION, e);
            line("invocation_failed", invocation.requestId(), e);
            if (response == null || !response.fail(error)) {
                api.invocationError(invocation.requestId(), error);
            }
            if (e instanceof VirtualMachineError fatal) {
                throw fatal; // reported; the JVM is not fit to take another invocation
            }
            return;
        }
        response.finish();
    }

    private interface Report {
        void send() throws IOException;
    }

    private int report(String event, Report send, Throwable cause, int exitCode) {
        line(event, null, cause);
        try {
            send.send();
        } catch (IOException e) {
            line("runtime_api_failed", null, e);
        }
        return exitCode;
    }

    private void line(String event, String requestId, Throwable cause) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", event);
        if (requestId != null) {
            line.put("requestId", requestId);
        }
        line.put("errorType", cause.getClass().getName());
        line.put("errorMessage", String.valueOf(cause.getMessage()));
        log.accept(Json.write(line));
    }
}
