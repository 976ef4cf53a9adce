package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.OwnThread;
import io.llmgateway.contract.GatewayResponses;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Clients that stall or announce too much: they must not shut out anyone else, and they get their 413 at once. */
class LocalGatewayHostileClientsTest {

    static final int STALLED_HEADERS = 24;
    static final int STALLED_BODIES = 24;

    TestGateway gw;
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        gw = TestGateway.start(TestConfigs.onePlan(Map.of("throttle", throttle(1000, 1000))));
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        gw.close();
    }

    @Test
    void dozensOfStalledConnections_doNotBlockAWellBehavedClient() throws Exception {
        String auth = "Authorization: Bearer " + gw.key("p-client") + "\r\n";
        for (int i = 0; i < STALLED_HEADERS; i++) {
            // A request line and part of the headers, then nothing: the JDK server waits in the header read.
            open("POST /test/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty");
        }
        for (int i = 0; i < STALLED_BODIES; i++) {
            // Whole headers announcing a megabyte, then a hundred bytes: the gateway waits in the body read.
            open("POST /test/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
                    + "Content-Length: 1000000\r\n\r\n" + "{".repeat(100));
        }
        awaitInFlight(STALLED_BODIES);

        HttpResponse<String> response = gw.chat("p-client");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("Echo from");
    }

    @Test
    void aContentLengthOver10Mb_gets413AtOnce_withoutTheBodyBeingSent() throws Exception {
        Socket socket = open("POST /test/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + gw.key("p-client") + "\r\nContent-Length: " + (ApiGatewayPipeline.MAX_PAYLOAD_BYTES + 1) + "\r\n\r\n");

        String statusLine = RawHttp.statusLine(socket.getInputStream());

        assertThat(statusLine).startsWith("HTTP/1.1 413 ");
        List<Map<String, Object>> log = gw.accessLines(1);
        assertThat(log.get(0)).containsEntry("errorResponseType", GatewayResponses.REQUEST_TOO_LARGE);
    }

    @Test
    void aChunkedBodyOver10Mb_isCountedWhileRead_andGets413() throws Exception {
        Socket socket = open("POST /test/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + gw.key("p-client") + "\r\nTransfer-Encoding: chunked\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        CompletableFuture<Void> sending = OwnThread.supply("chunked-sender", () -> {
            byte[] chunk = RawHttp.concat(RawHttp.bytes(Integer.toHexString(64 * 1024) + "\r\n"),
                    RawHttp.concat(new byte[64 * 1024], RawHttp.bytes("\r\n")));
            try {
                for (int sent = 0; sent <= ApiGatewayPipeline.MAX_PAYLOAD_BYTES + 64 * 1024; sent += 64 * 1024) {
                    out.write(chunk);
                }
            } catch (java.io.IOException e) {
                // the gateway stopped reading after its answer: expected
            }
            return null;
        });

        String statusLine = RawHttp.statusLine(socket.getInputStream());

        assertThat(statusLine).startsWith("HTTP/1.1 413 ");
        socket.close();
        sending.join();
    }

    /** API Gateway caps the request line and headers at 10,240 bytes; the authorizer cache never sees more. */
    @Test
    void aHeaderBlockOver10240Bytes_gets431InOpenAisShape_andNeverReachesTheGateway() throws Exception {
        RawHttp.Response response = RawHttp.exchange(gw.port(), RawHttp.bytes("GET /test/v1/models HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nAuthorization: Bearer " + gw.key("p-client") + "\r\nX-Padding: " + "a".repeat(60 * 1024)
                + "\r\nConnection: close\r\n\r\n"));

        assertThat(response.status()).isEqualTo(431);
        assertThat(response.headers().get("content-type")).startsWith("application/json");
        assertThat(response.body()).contains("\"code\":\"request_header_fields_too_large\"");
        assertThat(gw.accessLog).isEmpty();
    }

    /**
     * The bytes of bodies held at once are bounded: a body that does not fit beside one in flight is
     * refused unread with 503 and Retry-After, and fits again once the other is answered.
     */
    @Test
    void aBodyBeyondTheBytesInFlight_gets503WithRetryAfter_untilTheOtherIsAnswered() throws Exception {
        try (TestGateway small = TestGateway.withBodyBudget(TestConfigs.onePlan(Map.of("throttle", throttle(1000, 1000))),
                100_000)) {
            String auth = "Authorization: Bearer " + small.key("p-client") + "\r\n";
            Socket slow = new Socket(InetAddress.getLoopbackAddress(), small.port());
            sockets.add(slow);
            slow.setSoTimeout((int) TestGateway.HANG.toMillis());
            slow.getOutputStream().write(RawHttp.bytes("POST /test/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n" + auth
                    + "Content-Length: 80000\r\n\r\n{"));
            slow.getOutputStream().flush();
            long deadline = System.nanoTime() + TestGateway.HANG.toNanos();
            while (small.gateway.inFlight() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(1); // polling for an event, bounded by the hang detector
            }

            String body = "{\"model\":\"echo\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "a".repeat(30_000) + "\"}]}";
            HttpResponse<String> refused = small.send("POST", "/test/v1/chat/completions", body,
                    "Authorization", "Bearer " + small.key("p-client"));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("retry-after")).hasValue("1");
            assertThat(refused.body()).contains("\"code\":\"service_unavailable\"");

            slow.getOutputStream().write(RawHttp.bytes(" ".repeat(79_999)));
            slow.getOutputStream().flush();
            assertThat(RawHttp.statusLine(slow.getInputStream())).startsWith("HTTP/1.1 400 "); // "{ ...": not JSON
            HttpResponse<String> served = small.send("POST", "/test/v1/chat/completions", body,
                    "Authorization", "Bearer " + small.key("p-client"));
            assertThat(served.statusCode()).isEqualTo(200);
        }
    }

    private Socket open(String request) throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), gw.port());
        sockets.add(socket);
        socket.setSoTimeout((int) TestGateway.HANG.toMillis());
        socket.getOutputStream().write(RawHttp.bytes(request));
        socket.getOutputStream().flush();
        return socket;
    }

    private void awaitInFlight(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TestGateway.HANG.toNanos();
        while (gw.gateway.inFlight() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + gw.gateway.inFlight() + " of " + n + " stalled bodies reached the gateway");
            }
            Thread.sleep(1); // polling for an event, bounded by the hang detector
        }
    }
}
