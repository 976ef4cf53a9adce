package io.llmgateway.backend.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * What a probe measures inside its own JVM, printed as one {@code METRICS} line.
 *
 * <p>CPU is the whole process's CPU time (all threads: JIT compilers and GC included) from
 * {@link ProcessHandle.Info#totalCpuDuration()}, read the moment the first response is in hand. Wall is
 * from the JVM's start ({@code RuntimeMXBean.getStartTime()}, read afterwards so that loading
 * java.management is not counted) to that same moment.
 */
final class ProbeMetrics {

    private ProbeMetrics() {
    }

    /** Call right after the first response. */
    static String snapshot(long initMs, long firstRequestMs) {
        long respondedAt = System.currentTimeMillis();
        long cpuMs = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        return "METRICS {\"cpuMs\":" + cpuMs + ",\"wallFromJvmStartMs\":" + (respondedAt - jvmStart)
                + ",\"initMs\":" + initMs + ",\"firstRequestMs\":" + firstRequestMs
                + ",\"respondedAtMs\":" + respondedAt + "}";
    }
}
