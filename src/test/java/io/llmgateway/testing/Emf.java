package io.llmgateway.testing;

import io.llmgateway.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a log line as CloudWatch Logs reads embedded metric format, and fails on anything the
 * specification forbids ("Specification: Embedded metric format"): the line must be one JSON object
 * whose {@code _aws} has a numeric {@code Timestamp} and {@code CloudWatchMetrics} directives; each
 * directive names a namespace, dimension sets of at most 30 keys whose values are top-level strings,
 * and at most 100 metrics whose values are top-level numbers, with a known unit.
 */
public final class Emf {

    /** CloudWatch's units ("MetricDatum", Amazon CloudWatch API Reference). */
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
            "Count/Second", "None");

    /**
     * One metric value CloudWatch would extract: a series is its namespace, name and dimensions.
     *
     * @param dimensions dimension name to value, sorted by name
     */
    public record Datum(String namespace, String name, String unit, Map<String, String> dimensions, double value,
                        long timestamp) {
        /** The series this value belongs to, as text: {@code LlmGateway/Requests{ApiId=a,Model=m}}. */
        public String series() {
            return namespace + "/" + name + dimensions;
        }

        /** Dimension names only: {@code LlmGateway/Requests[ApiId, Model]}. */
        public String shape() {
            return namespace + "/" + name + dimensions.keySet();
        }
    }

    private Emf() {
    }

    /** Every value CloudWatch would extract from this line; empty for a line without {@code _aws}. */
    @SuppressWarnings("unchecked")
    public static List<Datum> read(String line) {
        Map<String, Object> root;
        try {
            root = Json.readObject(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not one JSON object: " + line, e);
        }
        if (!root.containsKey("_aws")) {
            return List.of();
        }
        Map<String, Object> aws = (Map<String, Object>) require(root.get("_aws"), Map.class, "_aws");
        long timestamp = ((Number) require(aws.get("Timestamp"), Number.class, "_aws.Timestamp")).longValue();
        List<Object> directives = (List<Object>) require(aws.get("CloudWatchMetrics"), List.class, "_aws.CloudWatchMetrics");
        List<Datum> data = new ArrayList<>();
        for (Object d : directives) {
            Map<String, Object> directive = (Map<String, Object>) require(d, Map.class, "a directive");
            String namespace = (String) require(directive.get("Namespace"), String.class, "Namespace");
            List<Object> sets = (List<Object>) require(directive.get("Dimensions"), List.class, "Dimensions");
            List<Object> metrics = (List<Object>) require(directive.get("Metrics"), List.class, "Metrics");
            check(metrics.size() <= 100, "at most 100 metrics per directive");
            for (Object m : metrics) {
                Map<String, Object> metric = (Map<String, Object>) require(m, Map.class, "a metric");
                String name = (String) require(metric.get("Name"), String.class, "Metrics[].Name");
                String unit = metric.containsKey("Unit") ? (String) metric.get("Unit") : "None";
                check(UNITS.contains(unit), "unknown unit " + unit);
                double value = ((Number) require(root.get(name), Number.class, "the value of " + name)).doubleValue();
                for (Object s : sets) {
                    List<Object> set = (List<Object>) require(s, List.class, "a dimension set");
                    check(set.size() <= 30, "at most 30 dimensions per set");
                    Map<String, String> dimensions = new TreeMap<>();
                    for (Object key : set) {
                        String k = (String) require(key, String.class, "a dimension key");
                        dimensions.put(k, (String) require(root.get(k), String.class, "the value of dimension " + k));
                    }
                    data.add(new Datum(namespace, name, unit, dimensions, value, timestamp));
                }
            }
        }
        return data;
    }

    /** The data of every line, in order. */
    public static List<Datum> readAll(List<String> lines) {
        List<Datum> all = new ArrayList<>();
        lines.forEach(line -> all.addAll(read(line)));
        return all;
    }

    /** Metric name to value, for the data of one line in one dimension set (e.g. the {@code [ApiId]} totals). */
    public static Map<String, Double> values(List<Datum> data, Set<String> dimensionNames) {
        Map<String, Double> values = new LinkedHashMap<>();
        data.stream().filter(d -> d.dimensions().keySet().equals(dimensionNames))
                .forEach(d -> values.put(d.name(), d.value()));
        return values;
    }

    private static Object require(Object value, Class<?> type, String what) {
        check(type.isInstance(value), what + " must be a " + type.getSimpleName() + ", got " + value);
        return value;
    }

    private static void check(boolean ok, String rule) {
        if (!ok) {
            throw new AssertionError("not valid embedded metric format: " + rule);
        }
    }
}
