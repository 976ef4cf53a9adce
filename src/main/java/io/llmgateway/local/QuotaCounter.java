package io.llmgateway.local;

import io.llmgateway.config.Quota;
import java.time.Instant;

/**
 * Requests one key has made in its current quota window. Windows only move forward: a wall clock
 * stepped back (an NTP correction, a changed system time) keeps counting in the current window
 * instead of reopening an earlier one, so a used-up quota never comes back early. Not thread-safe on
 * its own: {@link UsageLimiter} holds the lock.
 */
final class QuotaCounter {
    private final Quota quota;
    private QuotaWindow window;
    private long used;

    QuotaCounter(Quota quota) {
        this.quota = quota;
    }

    /** 0 when one more request fits in the window that holds {@code now}, else the seconds to the next window. */
    long secondsUntilAvailable(Instant now) {
        advance(now);
        return used < quota.limit() ? 0 : window.secondsUntilEnd(now);
    }

    /** Requests counted in the window that holds {@code now}. */
    long used(Instant now) {
        advance(now);
        return used;
    }

    /** When the window that holds {@code now} ends and the count starts again. */
    Instant resetsAt(Instant now) {
        advance(now);
        return window.end();
    }

    private void advance(Instant now) {
        if (window == null) {
            window = QuotaWindow.containing(quota, now);
        } else if (!now.isBefore(window.end())) {
            window = QuotaWindow.containing(quota, now);
            used = 0;
        }
    }

    /** Counts the request {@link #secondsUntilAvailable} let through. */
    void count() {
        used++;
    }
}
