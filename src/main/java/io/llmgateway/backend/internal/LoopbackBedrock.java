package io.llmgateway.backend.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * A stand-in for Bedrock on a loopback socket, for SnapStart priming: it answers every request with
 * {@link CannedBedrockHttpClient}'s canned Converse answer (or its ValidationException, for a model id
 * containing {@code invalid}), over real HTTP/1.1. A client pointed at it runs the same HTTP client,
 * sockets and stream parsing as a call to Bedrock, so those are loaded and compiled before the
 * snapshot too, where the in-process canned client would skip them. Nothing leaves the machine and no
 * credentials are involved.
 *
 * <p>One request per connection ({@code Connection: close}), served one at a time on a daemon thread:
 * no connection outlives {@link #close()}, so none is in the snapshot.
 */
public final class LoopbackBedrock implements AutoCloseable {

    /** A request head larger than this is not one the SDK sends; the connection is dropped. */
    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int MAX_BODY_BYTES = 1024 * 1024;

    private final ServerSocket server;
    private final Thread acceptor;

    private LoopbackBedrock(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::serve, "priming-loopback-bedrock");
        acceptor.setDaemon(true);
    }

    /** Listens on a free port of 127.0.0.1. */
    public static LoopbackBedrock start() throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        LoopbackBedrock loopback = new LoopbackBedrock(server);
        loopback.acceptor.start();
        return loopback;
    }

    /** What a client's endpoint override points at: {@code http://127.0.0.1:<port>}. */
    public URI endpoint() {
        return URI.create("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort());
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                answer(socket);
            } catch (IOException | RuntimeException e) {
                // Closed, or a client that went away: priming is an optimisation, the next call still works.
            }
        }
    }

    private static void answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        String head = readHead(in);
        if (head == null) {
            return;
        }
        String requestLine = head.substring(0, Math.max(0, head.indexOf("\r\n")));
        long length = 0;
        boolean expectContinue = false;
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            } else if (lower.startsWith("expect:") && lower.contains("100-continue")) {
                expectContinue = true;
            }
        }
        if (length < 0 || length > MAX_BODY_BYTES) {
            return;
        }
        if (expectContinue) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        in.readNBytes((int) length);
        boolean invalid = requestLine.contains("invalid");
        boolean stream = !invalid && requestLine.contains("/converse-stream");
        byte[] body = stream ? STREAM : (invalid ? CannedBedrockHttpClient.VALIDATION_ERROR : CannedBedrockHttpClient.ANSWER)
                .getBytes(StandardCharsets.UTF_8);
        String response = (invalid ? "HTTP/1.1 400 Bad Request\r\n"
                + "x-amzn-ErrorType: ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/\r\n"
                : "HTTP/1.1 200 OK\r\n")
                + "Content-Type: " + (stream ? "application/vnd.amazon.eventstream" : "application/json") + "\r\n"
                + "x-amzn-RequestId: 00000000-0000-0000-0000-000000000000\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        out.write(response.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /**
     * The canned answer as ConverseStream sends it, in the event-stream encoding (the SDK's own
     * encoder): messageStart, one text delta, the block's stop, messageStop, and the usage.
     */
    private static final byte[] STREAM = events(
            "messageStart", "{\"role\":\"assistant\"}",
            "contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"OK\"}}",
            "contentBlockStop", "{\"contentBlockIndex\":0}",
            "messageStop", "{\"stopReason\":\"end_turn\"}",
            "metadata", "{\"usage\":{\"inputTokens\":12,\"outputTokens\":1,\"totalTokens\":13},\"metrics\":{\"latencyMs\":1}}");

    private static byte[] events(String... typesAndPayloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < typesAndPayloads.length; i += 2) {
            Map<String, HeaderValue> headers = new LinkedHashMap<>();
            headers.put(":message-type", HeaderValue.fromString("event"));
            headers.put(":event-type", HeaderValue.fromString(typesAndPayloads[i]));
            headers.put(":content-type", HeaderValue.fromString("application/json"));
            ByteBuffer encoded = new Message(headers, typesAndPayloads[i + 1].getBytes(StandardCharsets.UTF_8))
                    .toByteBuffer();
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            out.write(bytes, 0, bytes.length);
        }
        return out.toByteArray();
    }

    /** The request line and headers, up to the blank line; null when the client sent too much or nothing. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int matched = 0;
        while (head.size() < MAX_HEAD_BYTES) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing to do: the socket is gone either way
        }
        try {
            acceptor.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
