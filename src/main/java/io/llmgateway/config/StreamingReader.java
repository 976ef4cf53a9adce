package io.llmgateway.config;

import io.llmgateway.common.BackendDeadline;
import java.util.List;
import java.util.Map;

/**
 * {@code streaming} (optional): {@code enabled} and {@code timeoutMs} ({@link Streaming}). The timeout
 * is checked whether or not streaming is on, so that turning it on later cannot meet a bad value.
 */
final class StreamingReader {

    static final String KEY = "streaming";
    static final String ENABLED = "enabled";
    static final String TIMEOUT_MS = "timeoutMs";
    private static final List<String> KEYS = List.of(ENABLED, TIMEOUT_MS);

    private final TypedValues typed;
    private final LoadReport report;

    private StreamingReader(TypedValues typed, LoadReport report) {
        this.typed = typed;
        this.report = report;
    }

    static Streaming read(Object node, TypedValues typed, LoadReport report) {
        return new StreamingReader(typed, report).read(node);
    }

    private Streaming read(Object node) {
        if (node == null) {
            return Streaming.DEFAULT;
        }
        KeyPath path = KeyPath.of(KEY);
        Map<String, Object> map = typed.object(path, node, KEYS, ", e.g. {\"enabled\": true, \"timeoutMs\": "
                + Streaming.DEFAULT_TIMEOUT_MS + "}");
        if (map == null) {
            return Streaming.OFF;
        }
        Boolean enabled = map.get(ENABLED) == null ? Boolean.valueOf(Streaming.DEFAULT.enabled()) : typed.bool(path.child(ENABLED), map.get(ENABLED));
        Integer timeoutMs = map.get(TIMEOUT_MS) == null ? Integer.valueOf(Streaming.DEFAULT_TIMEOUT_MS)
                : timeout(path.child(TIMEOUT_MS), map.get(TIMEOUT_MS));
        if (enabled == null || timeoutMs == null) {
            return Streaming.OFF;
        }
        return new Streaming(enabled, timeoutMs);
    }

    /**
     * At most {@link Streaming#MAX_TIMEOUT_MS}, and enough to leave the model
     * {@link BackendDeadline#MIN_MODEL_TIME_MS} after the backend's margin, the rule
     * {@code integrationTimeoutMs} follows. The function's timeout covers the stream's
     * ({@link Streaming#functionTimeoutSeconds}), so the stream's timeout alone decides the model's time.
     */
    private Integer timeout(KeyPath path, Object node) {
        TypedValues.Num n = typed.integer(path, node);
        if (n == null) {
            return null;
        }
        long least = BackendDeadline.MIN_MODEL_TIME_MS + BackendDeadline.SAFETY_MARGIN_MS;
        if (!n.within(1, Streaming.MAX_TIMEOUT_MS)) {
            report.problem(path, n.shown() + " is out of range; allowed: " + least + "-" + Streaming.MAX_TIMEOUT_MS
                    + " (API Gateway streams a response for at most 15 minutes)");
            return null;
        }
        int timeoutMs = n.intValue();
        long modelTimeMs = BackendDeadline.modelTimeMs(timeoutMs, Streaming.secondsCovering(timeoutMs));
        if (modelTimeMs < BackendDeadline.MIN_MODEL_TIME_MS) {
            report.problem(path, n.shown() + " leaves the model " + (report.isSecret(path) ? LoadReport.HIDDEN
                    : modelTimeMs + " ms") + ": the backend ends its Bedrock call " + BackendDeadline.SAFETY_MARGIN_MS
                    + " ms before the stream's timeout, and the model needs at least " + BackendDeadline.MIN_MODEL_TIME_MS
                    + " ms, or every streamed request ends in a 504. Use at least " + least);
            return null;
        }
        return timeoutMs;
    }
}
