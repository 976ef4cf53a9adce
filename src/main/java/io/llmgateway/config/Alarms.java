package io.llmgateway.config;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code alarms}: who is notified, and each alarm's settings.
 *
 * @param emails addresses subscribed to the alarm topic by email (each confirms once)
 * @param alarms every {@link AlarmKind}, with its defaults where the config says nothing
 */
public record Alarms(List<String> emails, Map<AlarmKind, Alarm> alarms) {
    public Alarms {
        emails = List.copyOf(emails);
        Map<AlarmKind, Alarm> copy = new EnumMap<>(AlarmKind.class);
        copy.putAll(alarms);
        if (copy.size() != AlarmKind.values().length) {
            throw new IllegalArgumentException("every alarm kind needs its settings, got " + copy.keySet());
        }
        alarms = Collections.unmodifiableMap(copy);
    }

    public Alarm get(AlarmKind kind) {
        return alarms.get(kind);
    }

    /** Every alarm at its default, nobody notified by email. */
    public static Alarms defaults(int integrationTimeoutMs) {
        Map<AlarmKind, Alarm> alarms = new EnumMap<>(AlarmKind.class);
        for (AlarmKind kind : AlarmKind.values()) {
            alarms.put(kind, new Alarm(kind, true, kind.defaultThreshold(integrationTimeoutMs), AlarmKind.DEFAULT_MINUTES));
        }
        return new Alarms(List.of(), alarms);
    }
}
