package io.llmgateway.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that moves only when the command sleeps. {@link LocalGatewayFixture} makes it the local
 * gateway's clock too, so a Retry-After the command waits out refills the gateway's token buckets
 * exactly as much, and nothing in a test waits for real time.
 */
final class FakeTime implements Time {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    /** Every sleep, in order. */
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /** {@code start} moved on by the time slept so far. */
    Instant since(Instant start) {
        return start.plusNanos(nanos.get() - 1_000_000_000L);
    }

    @Override
    public void sleep(Duration duration) {
        sleeps.add(duration);
        nanos.addAndGet(duration.toNanos());
    }
}
