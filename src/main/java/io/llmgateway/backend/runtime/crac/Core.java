package io.llmgateway.backend.runtime.crac;

/**
 * The SnapStart hooks of this runtime client, as an implementation of the CRaC API that
 * {@code org.crac} can delegate to. {@code org.crac.Core} looks for its implementation in the package
 * named by the system property {@code org.crac.Core.Compat} (then {@code javax.crac}, then
 * {@code jdk.crac}), and needs {@code Resource}, {@code Context}, {@code Core},
 * {@code CheckpointException} and {@code RestoreException} there (CRaC/org.crac#1, which AWS
 * contributed for Lambda: the managed Java runtime passes
 * {@code -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac}). The wrapper script names this
 * package instead, so {@code org.crac.Core.getGlobalContext().register(...)} in the function's code
 * lands in {@link #getGlobalContext()}, which the runtime loop runs around {@code /runtime/restore/next}.
 */
public final class Core {

    private static final Registry GLOBAL = new Registry();

    private Core() {
    }

    public static Context<Resource> getGlobalContext() {
        return GLOBAL;
    }

    /** Lambda takes the snapshot when the runtime asks for the next restore; a function cannot request one. */
    public static void checkpointRestore() throws CheckpointException, RestoreException {
        throw new CheckpointException("on Lambda, SnapStart takes the snapshot; a function cannot request one");
    }
}
