package io.llmgateway.backend.runtime;

import io.llmgateway.common.Json;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An error as the Runtime API takes it: the body {@code {errorMessage, errorType, stackTrace}} of the
 * init, invocation and restore error paths, and the {@code Lambda-Runtime-Function-Error-Type} value
 * ({@code <category.reason>}) that goes with it (Lambda developer guide, "Using the Lambda runtime API
 * for custom runtimes", "Initialization error"). After the first byte of a streamed response the same
 * report travels base64-encoded in the {@code Lambda-Runtime-Function-Error-Body} trailer.
 *
 * @param category   the {@code Lambda-Runtime-Function-Error-Type} value
 * @param errorType  the exception's class name, as AWS's Java runtime client reports it
 * @param message    the exception's message, or its class name when it has none
 * @param stackTrace one frame per entry
 */
public record ErrorReport(String category, String errorType, String message, List<String> stackTrace) {

    /** A handler threw (what AWS's Java runtime client calls {@code Runtime.UserException}). */
    public static final String USER_EXCEPTION = "Runtime.UserException";
    /** The handler could not be loaded or built during init. */
    public static final String BAD_FUNCTION_CODE = "Runtime.BadFunctionCode";
    /** A SnapStart before-snapshot hook failed (Lambda developer guide, "Implementing SnapStart hooks for container images"). */
    public static final String BEFORE_CHECKPOINT = "Runtime.BeforeCheckpointError";
    /** A SnapStart after-restore hook failed. */
    public static final String AFTER_RESTORE = "Runtime.AfterRestoreError";

    public ErrorReport {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(message, "message");
        stackTrace = List.copyOf(stackTrace);
    }

    public static ErrorReport of(String category, Throwable error) {
        List<String> frames = new ArrayList<>();
        for (StackTraceElement frame : error.getStackTrace()) {
            frames.add(frame.toString());
        }
        String message = error.getMessage() == null ? error.getClass().getName() : error.getMessage();
        return new ErrorReport(category, error.getClass().getName(), message, frames);
    }

    /** The JSON body of an error path. */
    public byte[] json() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errorMessage", message);
        body.put("errorType", errorType);
        body.put("stackTrace", stackTrace);
        return Json.writeBytes(body);
    }

    /** The {@code Lambda-Runtime-Function-Error-Body} trailer value: the JSON body, base64. */
    public String base64() {
        return Base64.getEncoder().encodeToString(json());
    }
}
