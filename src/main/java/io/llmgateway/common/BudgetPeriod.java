package io.llmgateway.common;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/**
 * A token budget's period, in UTC like usage-plan quotas: a day, an ISO week (from Monday 00:00 UTC)
 * or a calendar month. A budget counts from the start of the period that holds the reservation.
 */
public enum BudgetPeriod {
    DAY, WEEK, MONTH;

    /** The first day of the period that holds {@code at}. */
    public LocalDate start(Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    /** When the period that holds {@code at} ends and the budget is whole again. */
    public Instant end(Instant at) {
        LocalDate start = start(at);
        LocalDate next = switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
        return next.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
