package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.common.OwnThread;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ctrl-C: stop accepting, let what is in flight finish (for a bounded time), then stop. */
class LocalGatewayShutdownTest {

    @Test
    void close_letsARequestInFlightFinish_andRefusesNewConnections() throws Exception {
        GatedModel model = new GatedModel();
        try (TestGateway gw = TestGateway.start(TestConfigs.onePlan(Map.of("throttle", throttle(1000, 1000))), model,
                Duration.ofSeconds(30))) {
            CompletableFuture<HttpResponse<String>> inFlight = sendChat(gw);
            model.awaitCall();

            CompletableFuture<Object> closing = OwnThread.supply("close", Executors.callable(gw::close));
            awaitRefused(gw.port());
            assertThat(closing).isNotDone(); // still waiting for the request in flight
            model.release();

            HttpResponse<String> response = inFlight.get(TestGateway.HANG.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("Echo from amazon.nova-micro-v1:0: Hello there");
            closing.get(TestGateway.HANG.toSeconds(), TimeUnit.SECONDS);
            assertThat(gw.accessLines(1).get(0)).containsEntry("status", 200);
        }
    }

    @Test
    void close_givesARequestThatNeverEndsOnlyTheGracePeriod() throws Exception {
        GatedModel model = new GatedModel();
        try (TestGateway gw = TestGateway.start(TestConfigs.onePlan(Map.of("throttle", throttle(1000, 1000))), model,
                Duration.ofMillis(200))) {
            CompletableFuture<HttpResponse<String>> inFlight = sendChat(gw);
            model.awaitCall();

            OwnThread.supply("close", Executors.callable(gw::close)).get(TestGateway.HANG.toSeconds(), TimeUnit.SECONDS);

            assertThatThrownBy(() -> inFlight.get(TestGateway.HANG.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), gw.port()).close())
                    .isInstanceOf(ConnectException.class);
        } finally {
            model.release();
        }
    }

    private static CompletableFuture<HttpResponse<String>> sendChat(TestGateway gw) {
        return TestGateway.HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port() + "/test/v1/chat/completions"))
                        .timeout(TestGateway.HANG).header("Authorization", "Bearer " + gw.key("p-client"))
                        .POST(HttpRequest.BodyPublishers.ofString(TestGateway.CHAT)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Connects until the gateway refuses; the hang detector bounds it. */
    private static void awaitRefused(int port) throws Exception {
        long deadline = System.nanoTime() + TestGateway.HANG.toNanos();
        while (true) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
            } catch (ConnectException refused) {
                return;
            } catch (SocketException reset) {
                // Jetty closing its acceptor may reset a connection it had not yet accepted: refused too.
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway still accepts connections");
            }
            Thread.sleep(1); // polling for an event, bounded by the hang detector
        }
    }
}
