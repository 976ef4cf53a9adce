package io.llmgateway.backend.runtime;

/** A function that answers an invocation with an HTTP response, whichever way it travels. */
@FunctionalInterface
public interface HttpHandler {

    /**
     * Writes the response for one invocation. Returning ends the response; throwing fails it
     * (see {@link ResponseSink}).
     */
    void handle(Invocation invocation, ResponseSink response) throws Exception;
}
