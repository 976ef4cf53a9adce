package io.llmgateway.backend.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The kept connection: reused while the peer keeps it, replaced once when the peer closed it while idle. */
class LoopbackHttpTest {

    /** Answers each connection's first request, keeping it open or closing it as told; counts connections. */
    private static final class OneAnswerPerConnection implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        final List<String> requests = new CopyOnWriteArrayList<>();
        volatile int connections;

        OneAnswerPerConnection(boolean closeAfterAnswer) throws Exception {
            Thread thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        connections++;
                        InputStream in = new BufferedInputStream(socket.getInputStream());
                        String line = HttpWire.readLine(in);
                        HttpWire.readFields(in);
                        requests.add(line);
                        OutputStream out = socket.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        if (closeAfterAnswer) {
                            socket.close();
                        } else {
                            // Keep it: a second request on it is answered too.
                            String second = HttpWire.readLine(in);
                            if (second != null) {
                                HttpWire.readFields(in);
                                requests.add(second);
                                out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                                out.flush();
                            }
                            socket.close();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @Test
    void aKeptConnection_carriesTheNextExchange() throws Exception {
        try (OneAnswerPerConnection peer = new OneAnswerPerConnection(false)) {
            LoopbackHttp http = new LoopbackHttp(peer.address());

            assertThat(http.exchange("GET", "/a", Map.of(), null, true).text()).isEqualTo("ok");
            assertThat(http.exchange("GET", "/b", Map.of(), null, true).text()).isEqualTo("ok");

            assertThat(peer.requests).containsExactly("GET /a HTTP/1.1", "GET /b HTTP/1.1");
            assertThat(peer.connections).isEqualTo(1);
        }
    }

    @Test
    void aKeptConnectionThePeerClosed_isReplacedOnce_andTheRequestGoesThrough() throws Exception {
        try (OneAnswerPerConnection peer = new OneAnswerPerConnection(true)) {
            LoopbackHttp http = new LoopbackHttp(peer.address());

            assertThat(http.exchange("GET", "/a", Map.of(), null, true).text()).isEqualTo("ok");
            assertThat(http.exchange("POST", "/b", Map.of(), new byte[] {'x'}, true).text()).isEqualTo("ok");

            assertThat(peer.requests).containsExactly("GET /a HTTP/1.1", "POST /b HTTP/1.1");
            assertThat(peer.connections).isEqualTo(2);
        }
    }
}
