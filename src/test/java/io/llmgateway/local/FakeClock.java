package io.llmgateway.local;

import java.time.Duration;
import java.time.Instant;

/** A clock the test moves by hand: monotonic nanos and wall time advance together, unless the wall clock is stepped alone. */
final class FakeClock implements LocalClock {
    private long nanos = 1_000_000_000L;
    private Instant now;

    FakeClock(Instant start) {
        this.now = start;
    }

    /** Time passes: both clocks move forward. */
    synchronized void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time does not run backwards; use stepWallClock");
        }
        nanos += d.toNanos();
        now = now.plus(d);
    }

    /** Time passes until {@code instant}. */
    synchronized void set(Instant instant) {
        advance(Duration.between(now, instant));
    }

    /** The wall clock alone jumps, either way (an NTP step, a changed system time); the monotonic clock does not move. */
    synchronized void stepWallClock(Instant instant) {
        now = instant;
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
