package io.llmgateway.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** HTTP/1.1 by hand, for framings an HTTP client would not send: one request per connection. */
public final class RawHttp {

    /**
     * @param statusLine the first line, or null when the server closed without answering
     * @param headers    lower-case name to last value
     */
    record Response(String statusLine, int status, Map<String, String> headers, String body) {
    }

    private RawHttp() {
    }

    /** Sends {@code request}, half-closes, and reads the answer to its end (the hang detector bounds the wait). */
    static Response exchange(int port, byte[] request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) TestGateway.HANG.toMillis());
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (text.isEmpty() || end < 0) {
            return new Response(null, -1, Map.of(), "");
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        String[] status = lines[0].split(" ", 3);
        byte[] body = new byte[raw.length - end - 4];
        System.arraycopy(raw, end + 4, body, 0, body.length);
        return new Response(lines[0], Integer.parseInt(status[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** Reads one status line from a stream, or null at its end. */
    public static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return b < 0 && line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }
}
