package io.llmgateway.local;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value shaped by a JSON schema, the same for the same schema and text: what the echo model
 * answers for structured output and passes as tool arguments. Every property of an object is filled
 * (as OpenAI's strict schemas require them all); strings are the given text, integers and numbers their
 * minimum or 0, booleans false, arrays one item (or their minItems), {@code enum} and {@code const} their
 * first value, {@code anyOf}/{@code oneOf} their first branch that is not null, and {@code $ref} to
 * {@code #/$defs/...} or {@code #/definitions/...} is followed.
 */
final class SchemaExample {

    private static final int MAX_DEPTH = 12;

    private final Map<?, ?> root;
    private final String text;

    private SchemaExample(Map<?, ?> root, String text) {
        this.root = root;
        this.text = text;
    }

    static Object of(Map<?, ?> schema, String text) {
        return new SchemaExample(schema, text).value(schema, 0);
    }

    private Object value(Object node, int depth) {
        if (!(node instanceof Map<?, ?> schema) || depth > MAX_DEPTH) {
            return null;
        }
        if (schema.get("$ref") instanceof String ref) {
            return value(resolve(ref), depth + 1);
        }
        if (schema.containsKey("const")) {
            return schema.get("const");
        }
        if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
            return values.get(0);
        }
        for (String union : List.of("anyOf", "oneOf", "allOf")) {
            if (schema.get(union) instanceof List<?> branches && !branches.isEmpty()) {
                for (Object branch : branches) {
                    if (!(branch instanceof Map<?, ?> b && "null".equals(b.get("type")))) {
                        return value(branch, depth + 1);
                    }
                }
                return null;
            }
        }
        String type = type(schema);
        return switch (type) {
            case "object" -> object(schema, depth);
            case "array" -> array(schema, depth);
            case "string" -> string(schema);
            case "integer" -> schema.get("minimum") instanceof Number n ? (Object) (long) Math.ceil(n.doubleValue()) : (Object) 0;
            case "number" -> schema.get("minimum") instanceof Number n ? (Object) n : (Object) 0;
            case "boolean" -> false;
            case "null" -> null;
            default -> schema.containsKey("properties") ? object(schema, depth) : text;
        };
    }

    private static String type(Map<?, ?> schema) {
        Object type = schema.get("type");
        if (type instanceof String s) {
            return s;
        }
        if (type instanceof List<?> types) {
            for (Object t : types) {
                if (t instanceof String s && !s.equals("null")) {
                    return s;
                }
            }
        }
        return "";
    }

    private Map<String, Object> object(Map<?, ?> schema, int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        if (schema.get("properties") instanceof Map<?, ?> properties) {
            properties.forEach((name, property) -> object.put(String.valueOf(name), value(property, depth + 1)));
        }
        return object;
    }

    private List<Object> array(Map<?, ?> schema, int depth) {
        int count = schema.get("minItems") instanceof Number n ? Math.max(1, Math.min(8, n.intValue())) : 1;
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(value(schema.get("items"), depth + 1));
        }
        return items;
    }

    private String string(Map<?, ?> schema) {
        Object format = schema.get("format");
        if ("date-time".equals(format)) {
            return "1970-01-01T00:00:00Z";
        }
        if ("date".equals(format)) {
            return "1970-01-01";
        }
        return text;
    }

    private Object resolve(String ref) {
        Object node = root;
        if (!ref.startsWith("#/")) {
            return null;
        }
        for (String part : ref.substring(2).split("/")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part.replace("~1", "/").replace("~0", "~"));
        }
        return node;
    }
}
