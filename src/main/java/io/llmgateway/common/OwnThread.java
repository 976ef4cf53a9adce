package io.llmgateway.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * Blocking work on a daemon thread of its own. {@code CompletableFuture.supplyAsync} without an
 * executor runs on the common ForkJoinPool, whose parallelism is the number of processors minus
 * one: on two cores a single thread. Two blocking reads of one child process's stdout and stderr
 * then run one after the other, and a child that fills its stderr pipe (64 KB) before it closes
 * stdout waits forever for a reader that waits for it.
 */
public final class OwnThread {

    private OwnThread() {
    }

    /** Runs {@code task} on a new daemon thread named {@code name}. */
    public static <T> CompletableFuture<T> supply(String name, Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** Reads {@code in} to its end, as UTF-8, on a thread of its own, and closes it. */
    public static CompletableFuture<String> readAll(String name, InputStream in) {
        return supply(name, () -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
