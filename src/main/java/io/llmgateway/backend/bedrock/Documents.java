package io.llmgateway.backend.bedrock;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkNumber;
import software.amazon.awssdk.core.document.Document;

/**
 * JSON as the gateway holds it (plain maps, lists, strings, numbers, booleans and null, as
 * {@link io.llmgateway.common.Json} reads it) and as the AWS SDK's Converse types hold it
 * ({@link Document}: tool schemas, tool inputs, extra model fields). The backend's Converse mapping and
 * the local echo model both convert with it.
 */
public final class Documents {

    private Documents() {
    }

    /** Plain JSON values as the SDK's Document. */
    public static Document of(Object value) {
        if (value == null) {
            return Document.fromNull();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Document> fields = new LinkedHashMap<>();
            map.forEach((k, v) -> fields.put(String.valueOf(k), of(v)));
            return Document.fromMap(fields);
        }
        if (value instanceof List<?> list) {
            List<Document> items = new ArrayList<>(list.size());
            list.forEach(item -> items.add(of(item)));
            return Document.fromList(items);
        }
        if (value instanceof String s) {
            return Document.fromString(s);
        }
        if (value instanceof Boolean b) {
            return Document.fromBoolean(b);
        }
        if (value instanceof Number n) {
            return Document.fromNumber(SdkNumber.fromString(n.toString()));
        }
        return Document.fromString(String.valueOf(value));
    }

    /** The SDK's Document as plain JSON values; whole numbers as longs, others as BigDecimal. */
    public static Object plain(Document document) {
        if (document == null || document.isNull()) {
            return null;
        }
        if (document.isMap()) {
            Map<String, Object> map = new LinkedHashMap<>();
            document.asMap().forEach((k, v) -> map.put(k, plain(v)));
            return map;
        }
        if (document.isList()) {
            List<Object> list = new ArrayList<>();
            document.asList().forEach(item -> list.add(plain(item)));
            return list;
        }
        if (document.isString()) {
            return document.asString();
        }
        if (document.isBoolean()) {
            return document.asBoolean();
        }
        BigDecimal number = new BigDecimal(document.asNumber().stringValue());
        try {
            return number.longValueExact();
        } catch (ArithmeticException e) {
            return number;
        }
    }
}
