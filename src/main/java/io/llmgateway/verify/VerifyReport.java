package io.llmgateway.verify;

import io.llmgateway.verify.CheckResult.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The command's output as pure functions of the results: the table, the summary line, a masked key. */
final class VerifyReport {

    /** Wide enough for every check's name. */
    static final int NAME_WIDTH = Arrays.stream(Check.values()).mapToInt(c -> c.label().length()).max().orElse(0) + 2;
    static final int RESULT_WIDTH = 7;
    static final int TIME_WIDTH = 8;
    private static final String INDENT = " ".repeat(NAME_WIDTH);

    private VerifyReport() {
    }

    /**
     * The table: one line per check in the order of {@link Check}, and under a failure what was
     * expected, what came back and the request id.
     */
    static List<String> table(List<CheckResult> results) {
        List<String> lines = new ArrayList<>();
        lines.add(pad("CHECK", NAME_WIDTH) + pad("RESULT", RESULT_WIDTH) + left("TIME", TIME_WIDTH) + "  DETAIL");
        List<CheckResult> ordered = new ArrayList<>(results);
        ordered.sort(Comparator.comparingInt(r -> r.check().ordinal()));
        for (CheckResult r : ordered) {
            lines.add(pad(r.check().label(), NAME_WIDTH) + pad(r.status().name(), RESULT_WIDTH)
                    + left(r.status() == Status.SKIP ? "-" : time(r.nanos()), TIME_WIDTH) + "  " + r.detail());
            if (r.status() == Status.FAIL) {
                if (r.expected() != null) {
                    lines.add(INDENT + "expected  " + r.expected());
                }
                if (r.actual() != null) {
                    lines.add(INDENT + "got       " + r.actual());
                }
                lines.add(INDENT + "request   " + (r.requestId() != null ? r.requestId() : "(no request id)"));
            }
        }
        return lines;
    }

    /**
     * {@code PASS: 12 checks passed, 2 skipped. Tokens used: 96.} or {@code FAIL: 2 of 14 checks failed, ...}.
     *
     * @param retried requests retried after a 429 or 503
     */
    static String summary(List<CheckResult> results, long tokens, int retried) {
        long failed = results.stream().filter(r -> r.status() == Status.FAIL).count();
        long passed = results.stream().filter(r -> r.status() == Status.PASS).count();
        long skipped = results.stream().filter(r -> r.status() == Status.SKIP).count();
        StringBuilder s = new StringBuilder();
        if (failed > 0) {
            s.append("FAIL: ").append(failed).append(" of ").append(results.size())
                    .append(results.size() == 1 ? " check" : " checks").append(" failed, ").append(passed).append(" passed");
        } else {
            s.append("PASS: ").append(passed).append(passed == 1 ? " check" : " checks").append(" passed");
        }
        if (skipped > 0) {
            s.append(", ").append(skipped).append(" skipped");
        }
        s.append(". Tokens used: ").append(tokens).append('.');
        if (retried > 0) {
            s.append(' ').append(retried).append(retried == 1 ? " request was" : " requests were")
                    .append(" retried after a 429 or 503.");
        }
        return s.toString();
    }

    /** A key as it may be shown: all but its last 4 characters hidden (all of it when it is that short). */
    static String mask(String key) {
        if (key == null) {
            return "(none)";
        }
        return key.length() <= 8 ? "****" : "****" + key.substring(key.length() - 4);
    }

    /** {@code 12 ms}, {@code 1.3 s}. */
    static String time(long nanos) {
        long millis = nanos / 1_000_000;
        return millis < 10_000 ? millis + " ms" : String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }

    private static String left(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }
}
