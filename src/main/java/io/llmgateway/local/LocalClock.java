package io.llmgateway.local;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Time for the local gateway: a monotonic clock for token buckets and deadlines, and wall time for
 * quota windows, request timestamps and the backend handler's clock. Tests inject a clock they move
 * by hand, so no limit or deadline depends on how fast the machine is.
 */
public interface LocalClock {
    long nanoTime();

    Instant now();

    /** This clock's wall time as a {@link Clock}, for the backend handler ({@code created}, its deadline). */
    default Clock wallClock() {
        LocalClock self = this;
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return Clock.fixed(instant(), zone); // never called by the handler; a sane answer anyway
            }

            @Override
            public Instant instant() {
                return self.now();
            }
        };
    }

    LocalClock SYSTEM = new LocalClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public Clock wallClock() {
            return Clock.systemUTC();
        }
    };
}
