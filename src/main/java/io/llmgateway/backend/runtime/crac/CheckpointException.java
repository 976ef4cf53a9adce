package io.llmgateway.backend.runtime.crac;

/** A before-snapshot hook failed; the hooks' own exceptions are suppressed in it. */
public class CheckpointException extends Exception {
    private static final long serialVersionUID = 1L;

    public CheckpointException() {
        super("a before-snapshot hook failed");
    }

    public CheckpointException(String message) {
        super(message);
    }
}
