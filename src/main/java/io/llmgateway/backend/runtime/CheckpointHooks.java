package io.llmgateway.backend.runtime;

import io.llmgateway.backend.runtime.crac.Context;
import io.llmgateway.backend.runtime.crac.Resource;

/** What runs just before Lambda snapshots the initialised function, and just after a restore. */
public interface CheckpointHooks {

    CheckpointHooks NONE = new CheckpointHooks() {
        @Override
        public void beforeCheckpoint() {
        }

        @Override
        public void afterRestore() {
        }
    };

    void beforeCheckpoint() throws Exception;

    void afterRestore() throws Exception;

    /** The resources of a CRaC context, such as {@code crac.Core.getGlobalContext()}. */
    static CheckpointHooks of(Context<Resource> context) {
        return new CheckpointHooks() {
            @Override
            public void beforeCheckpoint() throws Exception {
                context.beforeCheckpoint(null);
            }

            @Override
            public void afterRestore() throws Exception {
                context.afterRestore(null);
            }
        };
    }
}
