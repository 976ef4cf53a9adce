package io.llmgateway.backend.runtime.crac;

/** A group of {@link Resource}s notified together; itself a resource, as in {@code jdk.crac}. */
public abstract class Context<R extends Resource> implements Resource {

    protected Context() {
    }

    public abstract void register(R resource);
}
