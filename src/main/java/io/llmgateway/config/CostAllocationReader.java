package io.llmgateway.config;

import io.llmgateway.common.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code plans.<plan>.costAllocation}: {@code enabled} (default true) and the operator's {@code tags}.
 * Tag rules from the AWS tagging guide ("Tag naming limits and requirements",
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html): keys 1-128 and values 0-256
 * Unicode letters, digits, spaces and {@code _ . : / = + - @}; {@code aws:} is AWS's; at most 50 tags a
 * resource.
 */
final class CostAllocationReader {

    static final List<String> KEYS = List.of("enabled", "tags");
    /** The tags the stack sets on every profile: this prefix is the stack's own. */
    static final String OWN_TAG_PREFIX = ConfigLoader.NAMESPACE + ":";
    /** AWS's 50 tags per resource, less the stack's own (plan, stack, model). */
    static final int MAX_TAGS = 47;
    private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");

    private CostAllocationReader() {
    }

    static CostAllocation read(KeyPath path, Object node, TypedValues typed, LoadReport report) {
        Map<String, Object> map = typed.object(path, node, KEYS);
        if (map == null) {
            return null;
        }
        boolean ok = true;
        boolean enabled = true;
        if (map.get("enabled") != null) {
            Boolean b = typed.bool(path.child("enabled"), map.get("enabled"));
            ok = b != null;
            enabled = b == null || b;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        if (map.get("tags") != null) {
            KeyPath tagsPath = path.child("tags");
            Map<String, Object> given = typed.object(tagsPath, map.get("tags"), null);
            if (given == null) {
                return null;
            }
            if (given.size() > MAX_TAGS) {
                report.problem(tagsPath, given.size() + " tags is more than the " + MAX_TAGS + " a profile can take "
                        + "beside the stack's own three (AWS allows 50 tags per resource)");
                ok = false;
            }
            for (Map.Entry<String, Object> tag : given.entrySet()) {
                KeyPath tagPath = tagsPath.child(tag.getKey());
                String value = typed.string(tagPath, tag.getValue());
                if (value == null || !tagFits(tagPath, tag.getKey(), value, report)) {
                    ok = false;
                } else {
                    tags.put(tag.getKey(), value);
                }
            }
        }
        return ok ? new CostAllocation(enabled, tags) : null;
    }

    private static boolean tagFits(KeyPath path, String key, String value, LoadReport report) {
        String allowed = "letters, digits, spaces and _ . : / = + - @";
        if (key.isEmpty() || key.length() > 128 || !TAG_TEXT.matcher(key).matches()) {
            report.problem(path, "tag key " + Text.quote(key) + " is not allowed: use 1-128 " + allowed);
            return false;
        }
        if (key.toLowerCase(java.util.Locale.ROOT).startsWith("aws:") || key.startsWith(OWN_TAG_PREFIX)) {
            report.problem(path, "tag key " + Text.quote(key) + " is reserved: keys starting with 'aws:' are AWS's and "
                    + "'" + OWN_TAG_PREFIX + "' the stack's own (plan, stack, model)");
            return false;
        }
        if (value.length() > 256 || !TAG_TEXT.matcher(value).matches()) {
            report.problem(path, "the tag's value " + report.show(path, value) + " is not allowed: use 0-256 " + allowed);
            return false;
        }
        return true;
    }
}
