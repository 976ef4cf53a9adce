package io.llmgateway.config;

import io.llmgateway.common.Text;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code alarms} (optional): email subscribers, and per alarm ({@link AlarmKind}) whether it exists,
 * its threshold and its window. Every alarm is on at its default unless the config says otherwise.
 */
final class AlarmsReader {

    static final String EMAILS = "emails";
    static final String ENABLED = "enabled";
    static final String THRESHOLD = "threshold";
    static final String MINUTES = "minutes";
    /** More would be a mailing list's job. */
    static final int MAX_EMAILS = 20;
    /**
     * What SNS can deliver to: one {@code @}, a dot in the domain, no spaces or angle brackets. Not
     * RFC 5322 in full; the subscription's confirmation mail is the real check.
     */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s<>\"(),;:]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    private static final List<String> ALARM_KEYS = List.of(ENABLED, THRESHOLD, MINUTES);

    private final TypedValues typed;
    private final LoadReport report;

    private AlarmsReader(TypedValues typed, LoadReport report) {
        this.typed = typed;
        this.report = report;
    }

    /**
     * @param integrationTimeoutMs the valid integration timeout, for the latency alarm's default and
     *                             ceiling; null when it was refused (the latency threshold is then not
     *                             checked against it)
     */
    static Alarms read(Object node, Integer integrationTimeoutMs, TypedValues typed, LoadReport report) {
        return new AlarmsReader(typed, report).read(node, integrationTimeoutMs);
    }

    private Alarms read(Object node, Integer integrationTimeoutMs) {
        Alarms defaults = Alarms.defaults(integrationTimeoutMs == null
                ? (Integer) Setting.INTEGRATION_TIMEOUT_MS.defaultValue() : integrationTimeoutMs);
        if (node == null) {
            return defaults;
        }
        KeyPath path = KeyPath.of(ConfigLoader.ALARMS);
        List<String> allowed = new ArrayList<>(AlarmKind.keys());
        allowed.add(0, EMAILS);
        Map<String, Object> map = typed.object(path, node, allowed);
        if (map == null) {
            return defaults;
        }
        List<String> emails = emails(path.child(EMAILS), map.get(EMAILS));
        Map<AlarmKind, Alarm> alarms = new EnumMap<>(AlarmKind.class);
        for (AlarmKind kind : AlarmKind.values()) {
            Alarm alarm = defaults.get(kind);
            Object settings = map.get(kind.key());
            alarms.put(kind, settings == null ? alarm
                    : alarm(path.child(kind.key()), kind, settings, alarm, integrationTimeoutMs));
        }
        return new Alarms(emails, alarms);
    }

    private List<String> emails(KeyPath path, Object node) {
        List<String> emails = new ArrayList<>();
        if (node == null) {
            return emails;
        }
        if (!(node instanceof List<?> list)) {
            report.problem(path, "must be a list of email addresses, e.g. [\"ops@example.com\"] (pulumi config set "
                    + "--path '" + path.full() + "[0]' ops@example.com), got " + report.describe(path, node));
            return emails;
        }
        if (list.size() > MAX_EMAILS) {
            report.problem(path, list.size() + " addresses is more than " + MAX_EMAILS + "; subscribe a mailing list");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            KeyPath element = path.element(i);
            String email = typed.string(element, list.get(i));
            if (email == null) {
                continue;
            }
            if (!EMAIL.matcher(email).matches()) {
                report.problem(element, report.show(element, email) + " is not an email address SNS can deliver to "
                        + "(name@domain.tld, no spaces or display name)");
            } else if (!seen.add(email.toLowerCase(Locale.ROOT))) {
                report.problem(element, report.show(element, email) + " is listed twice");
            } else {
                emails.add(email);
            }
        }
        return emails;
    }

    private Alarm alarm(KeyPath path, AlarmKind kind, Object node, Alarm defaults, Integer integrationTimeoutMs) {
        Map<String, Object> map = typed.object(path, node, ALARM_KEYS,
                ", e.g. {\"" + ENABLED + "\": false} or {\"" + THRESHOLD + "\": " + Text.number(defaults.threshold()) + "}");
        if (map == null) {
            return defaults;
        }
        boolean enabled = defaults.enabled();
        if (map.get(ENABLED) != null) {
            Boolean b = typed.bool(path.child(ENABLED), map.get(ENABLED));
            enabled = b == null ? enabled : b;
        }
        double threshold = defaults.threshold();
        if (map.get(THRESHOLD) != null) {
            Double t = threshold(path.child(THRESHOLD), kind, map.get(THRESHOLD), integrationTimeoutMs);
            threshold = t == null ? threshold : t;
        }
        int minutes = defaults.minutes();
        if (map.get(MINUTES) != null) {
            Integer m = typed.integer(path.child(MINUTES), map.get(MINUTES), 1, AlarmKind.MAX_MINUTES);
            minutes = m == null ? minutes : m;
        }
        return new Alarm(kind, enabled, threshold, minutes);
    }

    private Double threshold(KeyPath path, AlarmKind kind, Object node, Integer integrationTimeoutMs) {
        TypedValues.Num n = kind.whole() ? typed.integer(path, node) : typed.number(path, node);
        if (n == null) {
            return null;
        }
        double value = n.doubleValue();
        if (!(value >= kind.min() && value <= kind.max())) {
            report.problem(path, n.shown() + " is out of range for " + kind.measures() + "; allowed: "
                    + Text.number(kind.min()) + "-" + Text.number(kind.max()));
            return null;
        }
        if (kind == AlarmKind.LATENCY && integrationTimeoutMs != null && value > integrationTimeoutMs) {
            report.problem(path, n.shown() + " ms is above integrationTimeoutMs ("
                    + report.showNumber(KeyPath.of(Setting.INTEGRATION_TIMEOUT_MS.key()), integrationTimeoutMs)
                    + " ms): API Gateway ends every request by then, so the alarm could never fire");
            return null;
        }
        return value;
    }
}
