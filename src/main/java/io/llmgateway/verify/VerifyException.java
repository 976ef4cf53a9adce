package io.llmgateway.verify;

/** The command cannot run: no target, an unreadable stack file, a refused probe. Exit code 2. */
final class VerifyException extends Exception {
    VerifyException(String message) {
        super(message);
    }
}
