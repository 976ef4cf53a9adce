package io.llmgateway.local;

import io.llmgateway.config.Quota;
import io.llmgateway.config.QuotaPeriod;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * The UTC window a usage-plan quota counts in.
 *
 * <p>The local gateway reads the quota {@code offset} as <em>the day the period starts</em>: for
 * WEEK, 0 is Sunday and 6 is Saturday; for MONTH, 0 is the first day of the month and 27 the 28th
 * (so every month has it); for DAY it must be 0. AWS documents {@code offset} two ways: the current
 * API Reference ("QuotaSettings") calls it "the number of requests subtracted from the given limit
 * in the initial time period", while older SDK documentation calls it "the day that a time period
 * starts". This emulation follows the second reading, which is the one the stack's validation (0-6
 * for WEEK, 0-27 for MONTH) is written for; what the deployed quota does with a non-zero offset is
 * AWS's to decide, and it may differ.
 */
record QuotaWindow(Instant start, Instant end) {

    static QuotaWindow containing(Quota quota, Instant now) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate start;
        LocalDate end;
        if (quota.period() == QuotaPeriod.DAY) {
            start = today;
            end = today.plusDays(1);
        } else if (quota.period() == QuotaPeriod.WEEK) {
            DayOfWeek first = DayOfWeek.SUNDAY.plus(quota.offset());
            start = today.with(TemporalAdjusters.previousOrSame(first));
            end = start.plusWeeks(1);
        } else {
            int firstDay = 1 + quota.offset();
            LocalDate thisMonths = today.withDayOfMonth(firstDay);
            start = today.getDayOfMonth() >= firstDay ? thisMonths : thisMonths.minusMonths(1);
            end = start.plusMonths(1);
        }
        return new QuotaWindow(start.atStartOfDay(ZoneOffset.UTC).toInstant(), end.atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    /** Whole seconds from {@code now} to the next period, at least 1: the exact Retry-After. */
    long secondsUntilEnd(Instant now) {
        long millis = end.toEpochMilli() - now.toEpochMilli();
        return Math.max(1, (millis + 999) / 1000);
    }
}
