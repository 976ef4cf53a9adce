package io.llmgateway.backend.runtime.crac;

import java.util.ArrayList;
import java.util.List;

/**
 * The global context: resources in registration order, held strongly (the code that registers them
 * decides how long they live). Before a snapshot they run in reverse registration order, after a
 * restore in registration order, as {@code jdk.crac} specifies and as Lambda documents for its
 * runtime hooks (Lambda developer guide, "Lambda SnapStart runtime hooks for Python": "Before snapshot:
 * Executed in the reverse order of registration; After snapshot: Executed in the order of
 * registration"). Every hook runs even when an earlier one fails; the failures are suppressed in one
 * exception.
 */
final class Registry extends Context<Resource> {

    private final List<Resource> resources = new ArrayList<>();

    @Override
    public synchronized void register(Resource resource) {
        resources.add(resource);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) throws CheckpointException {
        List<Resource> reversed = new ArrayList<>(snapshot());
        java.util.Collections.reverse(reversed);
        CheckpointException failed = null;
        for (Resource resource : reversed) {
            try {
                resource.beforeCheckpoint(this);
            } catch (Exception e) {
                failed = failed == null ? new CheckpointException() : failed;
                failed.addSuppressed(e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) throws RestoreException {
        RestoreException failed = null;
        for (Resource resource : snapshot()) {
            try {
                resource.afterRestore(this);
            } catch (Exception e) {
                failed = failed == null ? new RestoreException() : failed;
                failed.addSuppressed(e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private synchronized List<Resource> snapshot() {
        return List.copyOf(resources);
    }
}
