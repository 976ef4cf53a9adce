package io.llmgateway.backend.runtime;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 message framing (RFC 9112) as far as the Lambda Runtime API needs it: start lines,
 * header fields, and bodies framed by {@code Content-Length}, by chunked transfer coding (with its
 * trailer section) or by the end of the connection. The runtime client reads responses with it; a
 * Runtime API emulator can read requests with it.
 */
public final class HttpWire {

    static final byte[] CRLF = {'\r', '\n'};
    /** A head (start line and fields) larger than this is refused: the Runtime API's are a few hundred bytes. */
    static final int MAX_HEAD_BYTES = 64 * 1024;

    private HttpWire() {
    }

    /** Header fields by name in any case, each with its values in the order they came. */
    public static Map<String, List<String>> newFields() {
        return new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    }

    /** The first value of a field, or null. */
    public static String first(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * One line without its CRLF (a bare LF is accepted, as RFC 9112 section 2.2 allows a recipient to).
     *
     * @return null at the end of the stream before any byte of a line
     */
    public static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_HEAD_BYTES) {
                throw new IOException("HTTP line longer than " + MAX_HEAD_BYTES + " bytes");
            }
            line.write(b);
        }
        if (line.size() == 0) {
            return null;
        }
        throw new EOFException("connection closed inside an HTTP line");
    }

    /** Field lines up to the empty line that ends a head or a trailer section. */
    public static Map<String, List<String>> readFields(InputStream in) throws IOException {
        Map<String, List<String>> fields = newFields();
        int total = 0;
        for (String line; !(line = required(readLine(in))).isEmpty(); ) {
            total += line.length();
            if (total > MAX_HEAD_BYTES) {
                throw new IOException("HTTP header section larger than " + MAX_HEAD_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed HTTP field line: " + line);
            }
            fields.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        return fields;
    }

    private static String required(String line) throws EOFException {
        if (line == null) {
            throw new EOFException("connection closed inside an HTTP header section");
        }
        return line;
    }

    /** Receives the chunks of a chunked body as they are decoded. */
    public interface ChunkListener {
        void chunk(byte[] data) throws IOException;
    }

    /**
     * A message body, framed by its fields: chunked ({@code listener} sees every chunk as it arrives,
     * {@code trailers} receives the trailer fields), {@code Content-Length}, or, when
     * {@code untilClose}, everything up to the end of the connection (a response without either).
     */
    public static byte[] readBody(InputStream in, Map<String, List<String>> fields, boolean untilClose,
                                  ChunkListener listener, Map<String, List<String>> trailers) throws IOException {
        String transferEncoding = first(fields, "Transfer-Encoding");
        if (transferEncoding != null && transferEncoding.toLowerCase().contains("chunked")) {
            return readChunked(in, listener, trailers);
        }
        String length = first(fields, "Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length);
            } catch (NumberFormatException e) {
                throw new IOException("malformed Content-Length: " + length);
            }
            if (declared < 0 || declared > Integer.MAX_VALUE - 8) {
                throw new IOException("unsupported Content-Length: " + length);
            }
            return readExactly(in, (int) declared);
        }
        return untilClose ? in.readAllBytes() : new byte[0];
    }

    private static byte[] readChunked(InputStream in, ChunkListener listener, Map<String, List<String>> trailers)
            throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = required(readLine(in));
            int extension = sizeLine.indexOf(';');
            String hex = (extension >= 0 ? sizeLine.substring(0, extension) : sizeLine).trim();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size: " + sizeLine);
            }
            if (size < 0) {
                throw new IOException("malformed chunk size: " + sizeLine);
            }
            if (size == 0) {
                Map<String, List<String>> fields = readFields(in);
                if (trailers != null) {
                    trailers.putAll(fields);
                }
                return body.toByteArray();
            }
            byte[] data = readExactly(in, size);
            if (!required(readLine(in)).isEmpty()) {
                throw new IOException("chunk data longer than its declared size " + size);
            }
            body.write(data);
            if (listener != null) {
                listener.chunk(data);
            }
        }
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("connection closed after " + bytes.length + " of " + length + " body bytes");
        }
        return bytes;
    }

    /** Writes a start line and fields, then the empty line. Values must not contain CR or LF. */
    public static void writeHead(OutputStream out, String startLine, Map<String, List<String>> fields)
            throws IOException {
        StringBuilder head = new StringBuilder(256).append(startLine).append("\r\n");
        for (Map.Entry<String, List<String>> field : fields.entrySet()) {
            for (String value : field.getValue()) {
                if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("HTTP field " + field.getKey() + " has a line break in its value");
                }
                head.append(field.getKey()).append(": ").append(value).append("\r\n");
            }
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** One chunk of chunked transfer coding; an empty array writes nothing (an empty chunk would end the body). */
    public static void writeChunk(OutputStream out, byte[] data, int offset, int length) throws IOException {
        if (length == 0) {
            return;
        }
        out.write(Integer.toHexString(length).getBytes(StandardCharsets.ISO_8859_1));
        out.write(CRLF);
        out.write(data, offset, length);
        out.write(CRLF);
    }

    /** The last chunk and the trailer section. */
    public static void writeLastChunk(OutputStream out, Map<String, String> trailers) throws IOException {
        StringBuilder end = new StringBuilder("0\r\n");
        for (Map.Entry<String, String> trailer : trailers.entrySet()) {
            end.append(trailer.getKey()).append(": ").append(trailer.getValue()).append("\r\n");
        }
        out.write(end.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A field map with one value per name, in the given order. */
    static Map<String, List<String>> fields(Map<String, String> single) {
        Map<String, List<String>> fields = new java.util.LinkedHashMap<>();
        single.forEach((name, value) -> fields.put(name, Collections.singletonList(value)));
        return fields;
    }
}
