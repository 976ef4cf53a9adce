package io.llmgateway.local;

import io.llmgateway.config.Quota;
import io.llmgateway.config.QuotaPeriod;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * The UTC window a usage-plan quota counts in. The offset is the day the period starts: for WEEK,
 * 0 is Sunday and 6 is Saturday; for MONTH, 0 is the first day of the month and 27 the 28th
 * (so every month has it).
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
