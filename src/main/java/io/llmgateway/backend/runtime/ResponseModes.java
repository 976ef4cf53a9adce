package io.llmgateway.backend.runtime;

/**
 * Which {@link ResponseMode} an invocation's response takes. It must match how the caller invoked the
 * function: a STREAM integration needs {@link ResponseMode#STREAMED} and a BUFFERED one
 * {@link ResponseMode#BUFFERED}, so the choice follows the route's integration, decided in one place
 * with the API definition, not by the handler writing the bytes.
 */
@FunctionalInterface
public interface ResponseModes {

    ResponseMode of(Invocation invocation);

    /** Every invocation in one mode. */
    static ResponseModes always(ResponseMode mode) {
        return invocation -> mode;
    }
}
