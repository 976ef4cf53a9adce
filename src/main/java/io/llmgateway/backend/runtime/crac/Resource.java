package io.llmgateway.backend.runtime.crac;

/**
 * A SnapStart hook, in the shape {@code org.crac} expects of an implementation package (see
 * {@link Core}).
 */
public interface Resource {

    void beforeCheckpoint(Context<? extends Resource> context) throws Exception;

    void afterRestore(Context<? extends Resource> context) throws Exception;
}
