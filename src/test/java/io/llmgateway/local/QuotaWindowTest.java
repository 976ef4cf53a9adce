package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.Quota;
import io.llmgateway.config.QuotaPeriod;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuotaWindowTest {

    @Test
    void day_isTheUtcCalendarDay() {
        QuotaWindow w = QuotaWindow.containing(new Quota(10, QuotaPeriod.DAY, 0), Instant.parse("2026-11-25T13:14:15Z"));
        assertThat(w.start()).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(w.end()).isEqualTo(Instant.parse("2026-11-26T00:00:00Z"));
        assertThat(w.secondsUntilEnd(Instant.parse("2026-11-25T23:59:59.001Z"))).isEqualTo(1);
    }

    @Test
    void week_offsetZeroStartsOnSunday_andOneOnMonday() {
        Instant wednesday = Instant.parse("2026-11-25T08:00:00Z");
        assertThat(QuotaWindow.containing(new Quota(10, QuotaPeriod.WEEK, 0), wednesday).start())
                .isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
        QuotaWindow monday = QuotaWindow.containing(new Quota(10, QuotaPeriod.WEEK, 1), wednesday);
        assertThat(monday.start()).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
        assertThat(monday.end()).isEqualTo(Instant.parse("2026-11-30T00:00:00Z"));
        assertThat(QuotaWindow.containing(new Quota(10, QuotaPeriod.WEEK, 3), wednesday).start())
                .isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
    }

    @Test
    void month_offsetMovesTheFirstDay_andWrapsIntoThePreviousMonth() {
        assertThat(QuotaWindow.containing(new Quota(10, QuotaPeriod.MONTH, 0), Instant.parse("2026-02-28T23:00:00Z")))
                .isEqualTo(new QuotaWindow(Instant.parse("2026-02-01T00:00:00Z"), Instant.parse("2026-03-01T00:00:00Z")));
        assertThat(QuotaWindow.containing(new Quota(10, QuotaPeriod.MONTH, 27), Instant.parse("2026-03-05T00:00:00Z")))
                .isEqualTo(new QuotaWindow(Instant.parse("2026-02-28T00:00:00Z"), Instant.parse("2026-03-28T00:00:00Z")));
        assertThat(QuotaWindow.containing(new Quota(10, QuotaPeriod.MONTH, 14), Instant.parse("2026-11-15T00:00:00Z")).start())
                .isEqualTo(Instant.parse("2026-11-15T00:00:00Z"));
    }
}
