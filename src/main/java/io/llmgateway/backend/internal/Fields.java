package io.llmgateway.backend.internal;

import io.llmgateway.contract.OpenAiError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/** Reading fields of a parsed JSON body, with OpenAI's errors for a missing field or a wrong type. */
public final class Fields {

    private Fields() {
    }

    public static String requiredString(Map<?, ?> body, String field) throws RequestError {
        Object value = body.get(field);
        if (value == null) {
            throw new RequestError(OpenAiError.missingParameter(field));
        }
        if (!(value instanceof String s)) {
            throw typeError(field, "a string", value);
        }
        return s;
    }

    /** A string field of a nested object, named by its full path in errors: {@code messages[0].tool_calls[1].id}. */
    public static String requiredString(Map<?, ?> map, String field, String param) throws RequestError {
        Object value = map.get(field);
        if (value == null) {
            throw new RequestError(OpenAiError.missingParameter(param));
        }
        if (!(value instanceof String s)) {
            throw typeError(param, "a string", value);
        }
        return s;
    }

    public static <T> T optional(Map<?, ?> body, String field, Class<T> type, String expected)
            throws RequestError {
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!type.isInstance(value)) {
            throw typeError(field, expected, value);
        }
        return type.cast(value);
    }

    /**
     * A JSON integer; a whole number written as a decimal ({@code 100.0}) counts. Values beyond a long
     * saturate, so a range check that follows still refuses them.
     */
    public static long integer(String field, Object value) throws RequestError {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.signum() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d)) {
                return (long) d; // saturates at Long.MIN_VALUE / MAX_VALUE
            }
        }
        throw typeError(field, "an integer", value);
    }

    public static RequestError typeError(String param, String expected, Object value) {
        String subject = param == null ? "the request body" : "'" + param + "'";
        return new RequestError(OpenAiError.invalidType(param,
                "Invalid type for " + subject + ": expected " + expected + ", but got " + describe(value)
                        + " instead."));
    }

    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        if (value instanceof Number) {
            return value instanceof Double || value instanceof Float || value instanceof BigDecimal
                    ? "a decimal" : "an integer";
        }
        if (value instanceof List) {
            return "an array";
        }
        return "an object";
    }

}
