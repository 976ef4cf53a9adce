package io.llmgateway.local;

import java.time.Instant;

/** Time for the local gateway's limiter: a monotonic clock for token buckets and wall time for quota windows. */
public interface LocalClock {
    long nanoTime();

    Instant now();

    LocalClock SYSTEM = new LocalClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }
    };
}
