package io.llmgateway.backend.runtime;

import io.llmgateway.local.RuntimeApiEmulator;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link RuntimeLoop} on its own thread against a {@link RuntimeApiEmulator}, as a Lambda host runs
 * a runtime. Closing closes the emulator, which ends the loop, and waits for its exit code.
 */
final class RunningLoop implements AutoCloseable {

    final RuntimeApiEmulator emulator;
    final RuntimeLoop loop;
    /** The loop's own log lines. */
    final List<String> log = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();

    private RunningLoop(RuntimeApiEmulator emulator, Callable<RuntimeLoop.Function> init, boolean snapStart,
                        CheckpointHooks hooks) {
        this.emulator = emulator;
        this.loop = new RuntimeLoop(new RuntimeApi(emulator.address()), log::add);
        Thread thread = new Thread(() -> {
            try {
                exit.complete(loop.run(init, snapStart, hooks));
            } catch (Throwable t) {
                exit.completeExceptionally(t);
            }
        }, "runtime-loop");
        thread.setDaemon(true);
        thread.start();
    }

    static RunningLoop start(RuntimeApiEmulator emulator, HttpHandler handler, ResponseMode mode) {
        return new RunningLoop(emulator, () -> new RuntimeLoop.Function(handler, ResponseModes.always(mode)), false,
                CheckpointHooks.NONE);
    }

    static RunningLoop start(RuntimeApiEmulator emulator, Callable<RuntimeLoop.Function> init, boolean snapStart,
                             CheckpointHooks hooks) {
        return new RunningLoop(emulator, init, snapStart, hooks);
    }

    /** The exit code of a loop that ended by itself (an init or hook failure). */
    int awaitExit() throws Exception {
        return exit.get(RuntimeApiEmulator.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Closes the emulator, which ends the loop, and gives the loop's exit code. An interrupt while
     * waiting is kept on the thread and thrown as an {@link InterruptedIOException}, so that closing
     * (in a try-with-resources) cannot throw {@link InterruptedException}.
     */
    int closeAndAwaitExit() throws IOException, ExecutionException, TimeoutException {
        emulator.close();
        try {
            return exit.get(RuntimeApiEmulator.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException interrupted = new InterruptedIOException("interrupted awaiting the loop's exit");
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    @Override
    public void close() throws IOException, ExecutionException, TimeoutException {
        closeAndAwaitExit();
    }
}
