package io.llmgateway.backend.runtime.crac;

/** An after-restore hook failed; the hooks' own exceptions are suppressed in it. */
public class RestoreException extends Exception {
    private static final long serialVersionUID = 1L;

    public RestoreException() {
        super("an after-restore hook failed");
    }
}
