package io.llmgateway.common;

/**
 * How the gateway writes values it shows to people: in error messages, warnings, log lines and the
 * local gateway's banner. One place, so every message quotes and formats the same way.
 */
public final class Text {

    /**
     * The most characters of someone else's text (a client's field, a config value) any message
     * echoes. Longer text is cut, so a hostile or mistaken input cannot blow up a message or a log
     * line.
     */
    public static final int MAX_ECHO = 80;

    private Text() {
    }

    /** {@code s}, cut to {@value #MAX_ECHO} characters with "..." when longer. */
    public static String truncate(String s) {
        return s.length() > MAX_ECHO ? s.substring(0, MAX_ECHO) + "..." : s;
    }

    /**
     * {@code s} cut like {@link #truncate}, with its control characters (C0, DEL and C1) written as a
     * backslash, {@code u} and four hex digits (ESC as <code>&#92;u001b</code>), so shown text cannot move
     * a terminal's cursor, colour its output or start a log line of its own. The cut counts the
     * characters written and never splits an escape.
     */
    public static String printable(String s) {
        StringBuilder shown = new StringBuilder();
        int i = 0;
        for (; i < s.length() && shown.length() < MAX_ECHO; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                shown.append(String.format("\\u%04x", (int) c));
            } else {
                shown.append(c);
            }
        }
        return i < s.length() ? shown.append("...").toString() : shown.toString();
    }

    /** {@code s} made {@link #printable} and in single quotes: {@code 'rateLimt'}. */
    public static String quote(String s) {
        return "'" + printable(s) + "'";
    }

    /**
     * A number as people write it: {@code 2} rather than {@code 2.0}, {@code 0.5} as it is. Values too
     * large for a long keep Java's notation ({@code 1.0E20}).
     */
    public static String number(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * A figure for a report: grouped by thousands and without a needless fraction, {@code 10,000},
     * {@code 2.5}, {@code 1,234.57} (two decimals at most).
     */
    public static String grouped(double d) {
        if (!Double.isFinite(d) || Math.abs(d) >= 1e15) {
            return number(d);
        }
        double rounded = Math.round(d * 100) / 100.0;
        return rounded == Math.rint(rounded)
                ? String.format(java.util.Locale.ROOT, "%,d", (long) rounded)
                : String.format(java.util.Locale.ROOT, "%,.2f", rounded).replaceAll("0$", "");
    }
}
