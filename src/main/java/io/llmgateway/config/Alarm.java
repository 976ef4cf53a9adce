package io.llmgateway.config;

import java.util.Objects;

/**
 * One alarm's settings.
 *
 * @param kind      which alarm
 * @param enabled   false declares no alarm
 * @param threshold the alarm fires at or above this ({@link AlarmKind#measures()})
 * @param minutes   the window the statistic is taken over, 1-{@value AlarmKind#MAX_MINUTES}
 */
public record Alarm(AlarmKind kind, boolean enabled, double threshold, int minutes) {
    public Alarm {
        Objects.requireNonNull(kind, "kind");
    }
}
