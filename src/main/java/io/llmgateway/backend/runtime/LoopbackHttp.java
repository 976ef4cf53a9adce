package io.llmgateway.backend.runtime;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client for the Runtime API on the loopback interface, one connection per
 * exchange. The JDK's clients cannot send a trailer section after a chunked request body, and the
 * Runtime API takes mid-stream errors only as trailers (Lambda developer guide, "Building a custom
 * runtime", section "Implementing response streaming in a custom runtime"), so this writes the
 * framing itself.
 *
 * <p>No read timeout: {@code GET /runtime/invocation/next} long-polls, and Lambda may freeze the
 * process between invocations ("Do not set a timeout on the GET request", Lambda developer guide,
 * "Using the Lambda runtime API for custom runtimes"). A fresh connection per exchange also means
 * no socket opened before a SnapStart snapshot is used after the restore.
 */
final class LoopbackHttp {

    private static final int BUFFER_BYTES = 16 * 1024;

    private final String host;
    private final int port;
    private final String authority;

    /** @param hostAndPort {@code AWS_LAMBDA_RUNTIME_API}: {@code 127.0.0.1:9001} or {@code [::1]:9001} */
    LoopbackHttp(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostAndPort.length() - 1) {
            throw new IllegalArgumentException("the Runtime API address must be host:port, not " + hostAndPort);
        }
        String name = hostAndPort.substring(0, colon);
        this.host = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        try {
            this.port = Integer.parseInt(hostAndPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the Runtime API address must be host:port, not " + hostAndPort, e);
        }
        this.authority = hostAndPort;
    }

    /** A response: status, fields and the whole body. */
    record Response(int status, Map<String, List<String>> fields, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String field(String name) {
            return HttpWire.first(fields, name);
        }
    }

    /** A request with a fixed-length body (none when {@code body} is null), and its response. */
    Response exchange(String method, String path, Map<String, String> headers, byte[] body) throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
            Map<String, List<String>> fields = head(headers);
            if (body != null) {
                fields.put("Content-Length", List.of(Integer.toString(body.length)));
            }
            HttpWire.writeHead(out, method + " " + path + " HTTP/1.1", fields);
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return readResponse(socket.getInputStream());
        }
    }

    /** Sends the head of a POST whose body follows in chunks; see {@link ChunkedRequest}. */
    ChunkedRequest openChunked(String path, Map<String, String> headers) throws IOException {
        Socket socket = connect();
        try {
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES);
            Map<String, List<String>> fields = head(headers);
            fields.put("Transfer-Encoding", List.of("chunked"));
            HttpWire.writeHead(out, "POST " + path + " HTTP/1.1", fields);
            return new ChunkedRequest(socket, out);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            // Every chunk is written and flushed as one segment; Nagle's algorithm would hold small
            // ones back waiting for an acknowledgement.
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port));
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private Map<String, List<String>> head(Map<String, String> headers) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("Host", List.of(authority));
        fields.put("Connection", List.of("close"));
        fields.putAll(HttpWire.fields(headers));
        return fields;
    }

    private static Response readResponse(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, BUFFER_BYTES);
        String statusLine = HttpWire.readLine(in);
        if (statusLine == null) {
            throw new IOException("the Runtime API closed the connection without a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("malformed HTTP status line: " + statusLine);
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status line: " + statusLine);
        }
        Map<String, List<String>> fields = HttpWire.readFields(in);
        return new Response(status, fields, HttpWire.readBody(in, fields, true, null, null));
    }

    /**
     * An open chunked request. {@link #write} frames bytes as one chunk into a buffer,
     * {@link #flush} puts what is buffered on the wire, {@link #finish} ends the body with the given
     * trailer fields and reads the response, {@link #close} drops the connection.
     */
    static final class ChunkedRequest implements Closeable {
        private final Socket socket;
        private final OutputStream out;

        private ChunkedRequest(Socket socket, OutputStream out) {
            this.socket = socket;
            this.out = out;
        }

        void write(byte[] data, int offset, int length) throws IOException {
            HttpWire.writeChunk(out, data, offset, length);
        }

        void flush() throws IOException {
            out.flush();
        }

        Response finish(Map<String, String> trailers) throws IOException {
            try {
                HttpWire.writeLastChunk(out, trailers);
                out.flush();
                return readResponse(socket.getInputStream());
            } finally {
                close();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
