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
 * A minimal HTTP/1.1 client for the Runtime API on the loopback interface. The JDK's clients cannot
 * send a trailer section after a chunked request body, and the Runtime API takes mid-stream errors
 * only as trailers (Lambda developer guide, "Building a custom runtime", section "Implementing
 * response streaming in a custom runtime"), so this writes the framing itself.
 *
 * <p>It keeps one connection open between exchanges, as AWS's runtime clients do: opening a loopback
 * connection can cost far more than the exchange itself. A kept connection that turns out to be dead
 * (the peer closed it while idle) is replaced once, before any byte of a response was read. A
 * streamed response gets the connection and closes it when done, as that page asks; so does the
 * SnapStart restore exchange, so that no socket opened before a snapshot is used after the restore.
 * No read timeout: {@code GET /runtime/invocation/next} long-polls, and Lambda may freeze the process
 * between invocations ("Do not set a timeout on the GET request", Lambda developer guide, "Using the
 * Lambda runtime API for custom runtimes"). One thread at a time.
 */
final class LoopbackHttp {

    private static final int BUFFER_BYTES = 16 * 1024;

    private final String host;
    private final int port;
    private final String authority;
    /** The connection kept from the last exchange, or null. */
    private Connection idle;

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
    record Response(int status, Map<String, List<String>> fields, byte[] body, boolean reusable) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String field(String name) {
            return HttpWire.first(fields, name);
        }
    }

    /** The connection was closed before any byte of the response: the request may be sent again. */
    private static final class ClosedBeforeResponse extends IOException {
        private static final long serialVersionUID = 1L;

        ClosedBeforeResponse() {
            super("the Runtime API closed the connection without a response");
        }
    }

    /** A socket with its buffered streams. */
    private static final class Connection implements Closeable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final boolean reused;

        Connection(Socket socket, boolean reused) throws IOException {
            this(socket, new BufferedInputStream(socket.getInputStream(), BUFFER_BYTES),
                    new BufferedOutputStream(socket.getOutputStream(), BUFFER_BYTES), reused);
        }

        private Connection(Socket socket, InputStream in, OutputStream out, boolean reused) {
            this.socket = socket;
            this.in = in;
            this.out = out;
            this.reused = reused;
        }

        Connection again() {
            return new Connection(socket, in, out, true);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * A request with a fixed-length body (none when {@code body} is null), and its response.
     *
     * @param keep whether the connection may be kept for the next exchange
     */
    Response exchange(String method, String path, Map<String, String> headers, byte[] body, boolean keep)
            throws IOException {
        while (true) {
            Connection connection = take();
            boolean sent = false;
            try {
                Map<String, List<String>> fields = head(headers, keep);
                if (body != null) {
                    fields.put("Content-Length", List.of(Integer.toString(body.length)));
                }
                HttpWire.writeHead(connection.out, method + " " + path + " HTTP/1.1", fields);
                if (body != null) {
                    connection.out.write(body);
                }
                connection.out.flush();
                sent = true;
                Response response = readResponse(connection.in);
                if (keep && response.reusable()) {
                    idle = connection.again();
                } else {
                    connection.close();
                }
                return response;
            } catch (IOException e) {
                connection.close();
                // A kept connection the peer had closed while it was idle fails on the write, or
                // ends before the response: once more, on a new connection.
                if (!connection.reused || (sent && !(e instanceof ClosedBeforeResponse))) {
                    throw e;
                }
            }
        }
    }

    /** Sends the head of a POST whose body follows in chunks; see {@link ChunkedRequest}. */
    ChunkedRequest openChunked(String path, Map<String, String> headers) throws IOException {
        Connection connection = take();
        try {
            Map<String, List<String>> fields = head(headers, false);
            fields.put("Transfer-Encoding", List.of("chunked"));
            HttpWire.writeHead(connection.out, "POST " + path + " HTTP/1.1", fields);
            return new ChunkedRequest(connection);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private Connection take() throws IOException {
        Connection kept = idle;
        idle = null;
        return kept != null ? kept : new Connection(connect(), false);
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

    private Map<String, List<String>> head(Map<String, String> headers, boolean keep) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        fields.put("Host", List.of(authority));
        if (!keep) {
            fields.put("Connection", List.of("close"));
        }
        fields.putAll(HttpWire.fields(headers));
        return fields;
    }

    private static Response readResponse(InputStream in) throws IOException {
        String statusLine = HttpWire.readLine(in);
        if (statusLine == null) {
            throw new ClosedBeforeResponse();
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
        boolean framed = HttpWire.first(fields, "Content-Length") != null
                || HttpWire.first(fields, "Transfer-Encoding") != null;
        boolean reusable = framed && parts[0].equals("HTTP/1.1")
                && !"close".equalsIgnoreCase(HttpWire.first(fields, "Connection"));
        return new Response(status, fields, HttpWire.readBody(in, fields, true, null, null), reusable);
    }

    /**
     * An open chunked request. {@link #write} frames bytes as one chunk into a buffer,
     * {@link #flush} puts what is buffered on the wire, {@link #finish} ends the body with the given
     * trailer fields, reads the response and closes the connection, {@link #close} drops it.
     */
    static final class ChunkedRequest implements Closeable {
        private final Connection connection;

        private ChunkedRequest(Connection connection) {
            this.connection = connection;
        }

        void write(byte[] data, int offset, int length) throws IOException {
            HttpWire.writeChunk(connection.out, data, offset, length);
        }

        void flush() throws IOException {
            connection.out.flush();
        }

        Response finish(Map<String, String> trailers) throws IOException {
            try {
                HttpWire.writeLastChunk(connection.out, trailers);
                connection.out.flush();
                return readResponse(connection.in);
            } finally {
                close();
            }
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }
}
