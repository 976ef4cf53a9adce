package io.llmgateway.testing;

import java.util.List;
import java.util.Map;

/** A value deep in parsed JSON (maps and lists), for assertions: {@code at(body, "choices", "0", "message")}. */
public final class JsonPath {

    private JsonPath() {
    }

    /**
     * @param path object keys, or list indexes written as digits
     * @throws ClassCastException when the path does not fit the JSON's shape, which fails the test
     */
    @SuppressWarnings("unchecked")
    public static <T> T at(Object json, String... path) {
        Object value = json;
        for (String key : path) {
            value = key.matches("\\d+") ? ((List<Object>) value).get(Integer.parseInt(key))
                    : ((Map<String, Object>) value).get(key);
        }
        return (T) value;
    }
}
