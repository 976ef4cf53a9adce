package io.llmgateway.backend.runtime;

import static io.llmgateway.backend.runtime.StreamedResponseTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.Json;
import io.llmgateway.local.RuntimeApiEmulator;
import io.llmgateway.local.RuntimeApiEmulator.Mode;
import io.llmgateway.local.RuntimeApiEmulator.Report;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Init and SnapStart: the init error path, and the restore protocol (Lambda developer guide,
 * "Implementing SnapStart hooks for container images": before-snapshot hooks, then
 * {@code GET /runtime/restore/next}, which returns once restored, then after-restore hooks, then the
 * invoke loop; a failed hook goes to {@code /runtime/init/error} or {@code /runtime/restore/error}).
 */
class RuntimeLifecycleTest {

    private static final HttpHandler OK = (invocation, response) -> response.body().write(bytes("ok"));

    @Test
    void initThatThrows_postsAnInitError_andTakesNoInvocation() throws Exception {
        try (RunningLoop loop = RunningLoop.start(RuntimeApiEmulator.start(), () -> {
            throw new IllegalStateException("LLM_GATEWAY_MODELS is not set");
        }, false, CheckpointHooks.NONE)) {
            assertThat(loop.awaitExit()).isEqualTo(RuntimeLoop.FAILED);

            Report error = loop.emulator.initErrors().get(0);
            assertThat(loop.emulator.initErrors()).hasSize(1);
            assertThat(error.errorType()).isEqualTo("Runtime.BadFunctionCode");
            assertThat(Json.readObject(error.body())).containsEntry("errorType", "java.lang.IllegalStateException")
                    .containsEntry("errorMessage", "LLM_GATEWAY_MODELS is not set");
            assertThat(loop.emulator.nextRequests()).isZero();
        }
    }

    /** Records each hook with what the emulator had seen when it ran. */
    private static final class RecordingHooks implements CheckpointHooks {
        final List<String> calls = new CopyOnWriteArrayList<>();
        RuntimeApiEmulator emulator;
        RuntimeException failBefore;
        RuntimeException failAfter;

        @Override
        public void beforeCheckpoint() {
            calls.add("before (restore requested: " + emulator.restoreRequested() + ")");
            if (failBefore != null) {
                throw failBefore;
            }
        }

        @Override
        public void afterRestore() {
            calls.add("after (next requests: " + emulator.nextRequests() + ")");
            if (failAfter != null) {
                throw failAfter;
            }
        }
    }

    @Test
    void snapStart_runsTheBeforeHooks_waitsOnRestoreNext_thenRunsTheAfterHooks_beforeTheFirstNext() throws Exception {
        RecordingHooks hooks = new RecordingHooks();
        hooks.emulator = RuntimeApiEmulator.start();
        try (RunningLoop loop = RunningLoop.start(hooks.emulator,
                () -> new RuntimeLoop.Function(OK, ResponseModes.always(ResponseMode.BUFFERED)), true, hooks)) {
            assertThat(loop.emulator.awaitRestoreRequested()).isTrue();
            // Blocked in /runtime/restore/next: the snapshot would be taken now.
            assertThat(hooks.calls).containsExactly("before (restore requested: false)");

            loop.emulator.releaseRestore();
            assertThat(loop.emulator.enqueue(bytes("{}")).awaitOutcome().mode()).isEqualTo(Mode.BUFFERED);

            assertThat(hooks.calls).containsExactly("before (restore requested: false)", "after (next requests: 0)");
            assertThat(loop.emulator.initErrors()).isEmpty();
            assertThat(loop.emulator.restoreErrors()).isEmpty();
        }
    }

    @Test
    void withoutSnapStart_noHookRuns_andRestoreNextIsNeverCalled() throws Exception {
        RecordingHooks hooks = new RecordingHooks();
        hooks.emulator = RuntimeApiEmulator.start();
        try (RunningLoop loop = RunningLoop.start(hooks.emulator,
                () -> new RuntimeLoop.Function(OK, ResponseModes.always(ResponseMode.BUFFERED)), false, hooks)) {
            loop.emulator.enqueue(bytes("{}")).awaitOutcome();

            assertThat(hooks.calls).isEmpty();
            assertThat(loop.emulator.restoreRequested()).isFalse();
        }
    }

    @Test
    void aFailingBeforeHook_isAnInitError_andNoSnapshotIsRequested() throws Exception {
        RecordingHooks hooks = new RecordingHooks();
        hooks.emulator = RuntimeApiEmulator.start();
        hooks.failBefore = new IllegalStateException("priming failed");
        try (RunningLoop loop = RunningLoop.start(hooks.emulator,
                () -> new RuntimeLoop.Function(OK, ResponseModes.always(ResponseMode.BUFFERED)), true, hooks)) {
            assertThat(loop.awaitExit()).isEqualTo(RuntimeLoop.HOOK_FAILED);

            assertThat(hooks.emulator.initErrors()).extracting(Report::errorType)
                    .containsExactly("Runtime.BeforeCheckpointError");
            assertThat(hooks.emulator.restoreRequested()).isFalse();
            assertThat(hooks.emulator.nextRequests()).isZero();
        }
    }

    @Test
    void aFailingAfterHook_isARestoreError_andNoInvocationIsTaken() throws Exception {
        RecordingHooks hooks = new RecordingHooks();
        hooks.emulator = RuntimeApiEmulator.start();
        hooks.failAfter = new IllegalStateException("entitlements unreadable");
        hooks.emulator.releaseRestore();
        try (RunningLoop loop = RunningLoop.start(hooks.emulator,
                () -> new RuntimeLoop.Function(OK, ResponseModes.always(ResponseMode.BUFFERED)), true, hooks)) {
            assertThat(loop.awaitExit()).isEqualTo(RuntimeLoop.HOOK_FAILED);

            Report error = hooks.emulator.restoreErrors().get(0);
            assertThat(error.errorType()).isEqualTo("Runtime.AfterRestoreError");
            assertThat(Json.readObject(error.body())).containsEntry("errorMessage", "entitlements unreadable");
            assertThat(hooks.emulator.nextRequests()).isZero();
        }
    }

    @Test
    void aRuntimeApiThatGoesAway_isAFailure_unlessTheLoopWasStoppedFirst() throws Exception {
        RunningLoop lost = RunningLoop.start(RuntimeApiEmulator.start(), OK, ResponseMode.BUFFERED);
        lost.emulator.awaitFirstNext(RuntimeApiEmulator.PATIENCE);
        assertThat(lost.closeAndAwaitExit()).isEqualTo(RuntimeLoop.FAILED);
        assertThat(lost.log).singleElement().asString().contains("\"event\":\"runtime_api_failed\"");

        RunningLoop stopped = RunningLoop.start(RuntimeApiEmulator.start(), OK, ResponseMode.BUFFERED);
        stopped.emulator.awaitFirstNext(RuntimeApiEmulator.PATIENCE);
        stopped.loop.stop();
        assertThat(stopped.closeAndAwaitExit()).isZero();
        assertThat(stopped.log).isEmpty();
    }
}
