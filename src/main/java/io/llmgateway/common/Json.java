package io.llmgateway.common;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The one JSON codec of the Lambda side: jackson-jr over jackson-core, small enough for the archive
 * and quick to load. Values are plain maps, lists, strings, numbers, booleans and null.
 */
public final class Json {

    /** Nulls are written: OpenAI's shapes carry {@code "param": null}, {@code "usage": null}. */
    private static final JSON CODEC = JSON.std.with(JSON.Feature.WRITE_NULL_PROPERTIES);

    private Json() {
    }

    public static String write(Object value) {
        try {
            return CODEC.asString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] writeBytes(Object value) {
        try {
            return CODEC.asBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses exactly one JSON value.
     *
     * @throws IOException when the input is empty, malformed, or has anything after the value
     */
    public static Object read(byte[] bytes) throws IOException {
        try (JsonParser parser = CODEC.getStreamingFactory().createParser(bytes)) {
            return readOne(parser);
        }
    }

    public static Object read(String text) throws IOException {
        try (JsonParser parser = CODEC.getStreamingFactory().createParser(text)) {
            return readOne(parser);
        }
    }

    private static Object readOne(JsonParser parser) throws IOException {
        if (parser.nextToken() == null) {
            throw new IOException("empty input");
        }
        Object value = CODEC.anyFrom(parser);
        if (parser.nextToken() != null) {
            throw new IOException("unexpected content after the JSON value");
        }
        return value;
    }

    /** Parses one JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readObject(String text) throws IOException {
        Object value = read(text);
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IOException("expected a JSON object");
    }
}
