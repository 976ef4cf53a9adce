package io.llmgateway.backend.runtime;

import static io.llmgateway.backend.runtime.StreamedResponseTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.llmgateway.common.Json;
import io.llmgateway.local.RuntimeApiEmulator;
import io.llmgateway.local.RuntimeApiEmulator.Mode;
import io.llmgateway.local.RuntimeApiEmulator.Outcome;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link ResponseMode#BUFFERED} and {@link ResponseMode#RAW} through the real client against the
 * emulator, and what an invocation tells the handler (request id, deadline, trace header).
 */
class BufferedResponseTest {

    private static final long NOW = 1_767_225_600_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

    @Test
    void buffered_postsOneProxyResponse_withStatusHeadersAndBody_andIgnoresFlushes() throws Exception {
        HttpHandler handler = (invocation, response) -> {
            response.status(201).header("Content-Type", "application/json")
                    .header("Set-Cookie", "a=1").header("set-cookie", "b=2");
            response.body().write(bytes("{\"id\":"));
            response.body().flush();
            response.body().write(bytes("\"chatcmpl-1\"}"));
        };
        try (RunningLoop loop = RunningLoop.start(RuntimeApiEmulator.start(), handler, ResponseMode.BUFFERED)) {
            Outcome outcome = loop.emulator.enqueue(bytes("{}")).awaitOutcome();

            assertThat(outcome.mode()).isEqualTo(Mode.BUFFERED);
            assertThat(outcome.header("Transfer-Encoding")).isNull();
            assertThat(outcome.header("Content-Length")).isEqualTo(Integer.toString(outcome.body().length));
            assertThat(Json.readObject(outcome.text()))
                    .containsEntry("statusCode", 201)
                    .containsEntry("headers", Map.of("Content-Type", "application/json"))
                    .containsEntry("multiValueHeaders", Map.of("Set-Cookie", List.of("a=1", "b=2")))
                    .containsEntry("body", "{\"id\":\"chatcmpl-1\"}")
                    .containsEntry("isBase64Encoded", false);
            assertThat(loop.emulator.violations()).isEmpty();
        }
    }

    @Test
    void buffered_bodyThatIsNotUtf8_goesBase64() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
        HttpHandler handler = (invocation, response) -> response.body().write(png);
        try (RunningLoop loop = RunningLoop.start(RuntimeApiEmulator.start(), handler, ResponseMode.BUFFERED)) {
            Map<String, Object> proxy = Json.readObject(loop.emulator.enqueue(bytes("{}")).awaitOutcome().text());

            assertThat(proxy).containsEntry("isBase64Encoded", true).containsEntry("statusCode", 200);
            assertThat(Base64.getDecoder().decode((String) proxy.get("body"))).isEqualTo(png);
        }
    }

    @Test
    void everyMode_refusesStatusAndHeadersAfterTheFirstBodyByte() throws Exception {
        for (ResponseMode mode : List.of(ResponseMode.BUFFERED, ResponseMode.STREAMED)) {
            HttpHandler handler = (invocation, response) -> {
                response.body().write('x');
                response.header("x-late", "1");
            };
            try (RunningLoop loop = RunningLoop.start(RuntimeApiEmulator.start(), handler, mode)) {
                Outcome outcome = loop.emulator.enqueue(bytes("{}")).awaitOutcome();

                assertThat(outcome.mode()).as(mode.name()).isEqualTo(Mode.ERROR);
                assertThat(Json.readObject(outcome.text())).as(mode.name())
                        .containsEntry("errorType", "java.lang.IllegalStateException")
                        .containsEntry("errorMessage", "the header x-late must be set before the first byte of the body");
            }
        }
    }

    /** What the handler below saw. */
    static final AtomicReference<String> SEEN = new AtomicReference<>();

    /** A handler written for AWS's runtime client, as the backend's is today. */
    public static final class EchoStreamHandler implements RequestStreamHandler {
        @Override
        public void handleRequest(InputStream input, OutputStream output, Context context) throws java.io.IOException {
            SEEN.set(context.getAwsRequestId() + " " + context.getRemainingTimeInMillis() + " "
                    + context.getInvokedFunctionArn() + " " + System.getProperty(RuntimeLoop.TRACE_PROPERTY));
            output.write(("{\"statusCode\":200,\"body\":" + new String(input.readAllBytes(), StandardCharsets.UTF_8)
                    .length() + "}").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRequestStreamHandler_answersRaw_withTheDeadlineAndTraceOfItsInvocation() throws Exception {
        RuntimeEnvironment environment = RuntimeEnvironment.of(Map.of(RuntimeEnvironment.RUNTIME_API, "127.0.0.1:1"));
        try (RunningLoop loop = RunningLoop.start(RuntimeApiEmulator.start().chunkedEvents(),
                () -> RuntimeMain.load(EchoStreamHandler.class.getName() + "::handleRequest", environment, CLOCK),
                false, CheckpointHooks.NONE)) {
            byte[] event = bytes("{\"httpMethod\":\"GET\",\"path\":\"/v1/models\"}");
            Outcome outcome = loop.emulator.enqueue(event, NOW + 28_500, "Root=1-abc;Sampled=1").awaitOutcome();

            assertThat(outcome.mode()).isEqualTo(Mode.BUFFERED);
            assertThat(outcome.text()).isEqualTo("{\"statusCode\":200,\"body\":" + event.length + "}");
            assertThat(SEEN.get()).isEqualTo(
                    "req-1 28500 arn:aws:lambda:eu-central-1:123456789012:function:emulated:live Root=1-abc;Sampled=1");
        }
    }

    @Test
    void anHttpHandler_readsTheDeadlineAndRequestIdOfItsInvocation() throws Exception {
        AtomicReference<Invocation> seen = new AtomicReference<>();
        HttpHandler handler = (invocation, response) -> seen.set(invocation);
        try (RunningLoop loop = RunningLoop.start(RuntimeApiEmulator.start(), handler, ResponseMode.BUFFERED)) {
            loop.emulator.enqueue(bytes("{\"a\":1}"), NOW + 900_000, null).awaitOutcome();

            assertThat(seen.get().requestId()).isEqualTo("req-1");
            assertThat(seen.get().deadlineEpochMs()).isEqualTo(NOW + 900_000);
            assertThat(seen.get().remainingMillis(CLOCK)).isEqualTo(900_000);
            assertThat(seen.get().remainingMillis(Clock.offset(CLOCK, java.time.Duration.ofMinutes(20)))).isZero();
            assertThat(seen.get().traceId()).isNull();
            assertThat(seen.get().event()).isEqualTo(bytes("{\"a\":1}"));
        }
    }

    @Test
    void handlerSettings_thatNameNoUsableClass_areRefusedWithTheirName() {
        RuntimeEnvironment environment = RuntimeEnvironment.of(Map.of(RuntimeEnvironment.RUNTIME_API, "127.0.0.1:1"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RuntimeMain.load("java.lang.Object", environment, CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("java.lang.Object is neither an io.llmgateway.backend.runtime.HttpHandler nor a "
                        + "com.amazonaws.services.lambda.runtime.RequestStreamHandler");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RuntimeMain.load(" ", environment, CLOCK))
                .hasMessageContaining("no handler");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RuntimeMain.load("no.such.Handler::handleRequest",
                environment, CLOCK)).isInstanceOf(ClassNotFoundException.class);
    }
}
