package io.llmgateway.verify;

import java.time.Duration;

/**
 * Time as the command sees it: a monotonic clock for durations and the probe's window, and sleeping
 * for Retry-After. Tests pass a fake whose sleep advances its clock, so nothing waits for real time.
 */
public interface Time {

    long nanoTime();

    void sleep(Duration duration) throws InterruptedException;

    Time SYSTEM = new Time() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis());
        }
    };
}
