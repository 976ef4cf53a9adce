package io.llmgateway.backend.bench;

import java.util.Arrays;

/** Times one call many times in a warm JVM: the sorted durations of the measured calls, after a warm-up. */
final class WarmTimer {

    /** One timed call; {@code i} counts from 0 over warm-up and measured calls together. */
    interface Call {
        void run(int i) throws Exception;
    }

    private WarmTimer() {
    }

    static long[] sortedNanos(int warmup, int measured, Call call) throws Exception {
        long[] nanos = new long[measured];
        for (int i = 0; i < warmup + measured; i++) {
            long started = System.nanoTime();
            call.run(i);
            long elapsed = System.nanoTime() - started;
            if (i >= warmup) {
                nanos[i - warmup] = elapsed;
            }
        }
        Arrays.sort(nanos);
        return nanos;
    }

    /** "p50 x ms, p99 y ms, max z ms" of sorted durations. */
    static String summary(long[] sorted) {
        return String.format("p50 %.4f ms, p99 %.4f ms, max %.3f ms", p50(sorted) / 1e6, p99(sorted) / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    static long p50(long[] sorted) {
        return sorted[sorted.length / 2];
    }

    static long p99(long[] sorted) {
        return sorted[(int) (sorted.length * 0.99)];
    }
}
