package io.llmgateway.local;

import java.time.Duration;
import java.time.Instant;

/** A clock the test moves by hand: monotonic nanos and wall time advance together. */
final class FakeClock implements LocalClock {
    private long nanos = 1_000_000_000L;
    private Instant now;

    FakeClock(Instant start) {
        this.now = start;
    }

    synchronized void advance(Duration d) {
        nanos += d.toNanos();
        now = now.plus(d);
    }

    synchronized void set(Instant instant) {
        advance(Duration.between(now, instant));
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }
}
