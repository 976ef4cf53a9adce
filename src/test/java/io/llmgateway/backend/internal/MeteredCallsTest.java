package io.llmgateway.backend.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.backend.RecordingMetering;
import io.llmgateway.backend.TestContext;
import io.llmgateway.backend.TestEvents;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.OpenAiError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockruntime.model.ModelTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

/**
 * The metered-call template: whatever the route's call does, the reservation it never sees is settled
 * to Bedrock's count, released, or charged, exactly once; buffered, in batches, and streamed.
 */
class MeteredCallsTest {

    private static final int MAX_TOKENS = 500;

    private final RecordingMetering metering = new RecordingMetering();
    private final MeteredCalls calls = new MeteredCalls(metering, TestEvents.clock(), 29_000);
    private final RequestLog line = new RequestLog();

    private Reply run(MeteredCalls.ModelCall call) {
        return calls.run(request(), line, new MeteredCalls.Ask("claude-haiku", 100, MAX_TOKENS), call);
    }

    private static ProxyRequest request() {
        try {
            return ProxyRequest.read(TestEvents.fixture("chat-completions.json"), TestContext.fresh());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Reply ok() {
        return Reply.ok(Headers.JSON, "{}", Map.of());
    }

    /** How many times the reservation was settled, released or charged. */
    private long endings() {
        return metering.events.stream().filter(e -> e.startsWith("settle") || e.equals("release")
                || e.startsWith("charge unsettled")).count();
    }

    @Test
    void anAnsweredCall_settlesToBedrocksCount_andTheAnswerCarriesTheReservationsHeaders() {
        Reply reply = run(call -> {
            assertThat(call.maxOutputTokens()).isEqualTo(MAX_TOKENS);
            call.send(() -> "answer");
            call.counted(12, 7);
            return ok();
        });

        assertThat(metering.outcome()).isEqualTo("settle 12 7");
        assertThat(endings()).isOne();
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers()).containsEntry("x-ratelimit-remaining-tokens", "1234");
        assertThat(line.get("tokenReservation")).isEqualTo("recorded");
    }

    @Test
    void aCallBedrockRefusedBeforeTheModelRan_isReleased_andTheClientGetsBedrocksError() {
        Reply reply = run(call -> call.send(() -> {
            throw ThrottlingException.builder().message("slow down").statusCode(429).build();
        }));

        assertThat(metering.outcome()).isEqualTo("release");
        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.headers()).doesNotContainKey("x-ratelimit-remaining-tokens");
        assertThat(line.get("upstreamError")).isEqualTo("ThrottlingException");
    }

    @Test
    void aCallThatMayHaveBeenBilled_chargesTheWholeReservation() {
        Reply reply = run(call -> call.send(() -> {
            throw ModelTimeoutException.builder().message("too slow").statusCode(408).build();
        }));

        assertThat(metering.outcome()).isEqualTo("charge unsettled");
        assertThat(reply.status()).isEqualTo(504);
    }

    @Test
    void anUnexpectedExceptionInsideTheModelCall_chargesTheReservation_andIsA500() {
        Reply reply = run(call -> call.send(() -> {
            throw new NullPointerException("a bug in the mapping");
        }));

        assertThat(metering.outcome()).isEqualTo("charge unsettled");
        assertThat(endings()).isOne();
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.body()).doesNotContain("a bug in the mapping");
    }

    @Test
    void anUnexpectedExceptionAfterTheAnswerWasCounted_settlesToTheCount() {
        Reply reply = run(call -> {
            call.send(() -> "answer");
            call.counted(12, 7);
            throw new IllegalStateException("the answer would not map");
        });

        assertThat(metering.outcome()).isEqualTo("settle 12 7");
        assertThat(reply.status()).isEqualTo(500);
    }

    @Test
    void anError_isRethrown_afterTheReservationIsCharged() {
        assertThatThrownBy(() -> run(call -> call.send(() -> {
            throw new StackOverflowError();
        }))).isInstanceOf(StackOverflowError.class);

        assertThat(metering.outcome()).isEqualTo("charge unsettled");
        assertThat(endings()).isOne();
        assertThat(line.get("tokenReservation")).isEqualTo("recorded");
    }

    @Test
    void anErrorBeforeAnyCallWasSent_releasesTheReservation() {
        assertThatThrownBy(() -> run(call -> {
            throw new AssertionError("before the call");
        })).isInstanceOf(AssertionError.class);

        assertThat(metering.outcome()).isEqualTo("release");
    }

    @Test
    void aRouteThatForgetsToReportTheCount_isChargedTheWholeReservation_neverReleased() {
        run(call -> {
            call.send(() -> "answer");
            return ok(); // no call.counted(...)
        });

        assertThat(metering.outcome()).isEqualTo("charge unsettled");
    }

    @Test
    void aRouteThatReturnsWithoutCallingTheModel_releasesTheReservation() {
        Reply reply = run(call -> Reply.error(OpenAiError.timeout()));

        assertThat(metering.outcome()).isEqualTo("release");
        assertThat(reply.status()).isEqualTo(504);
    }

    @Test
    void severalCalls_aBilledFailure_chargesWhatWasCountedPlusTheFailedCallsEstimate() {
        run(call -> {
            call.send(30, 0, () -> "first batch");
            call.counted(25, 0);
            return call.send(40, 0, () -> {
                throw SdkClientException.create("connection reset", new IOException("reset"));
            });
        });

        assertThat(metering.outcome()).isEqualTo("charge unsettled 65 0");
    }

    @Test
    void severalCalls_aCallThatNeverLeft_settlesWhatWasCounted() {
        run(call -> {
            call.send(30, 0, () -> "first batch");
            call.counted(25, 0);
            return call.send(40, 0, () -> {
                throw SdkClientException.create("Unable to execute HTTP request", new ConnectException("refused"));
            });
        });

        assertThat(metering.outcome()).isEqualTo("settle 25 0");
    }

    @Test
    void severalCalls_anAnswerThatWasNeverCounted_staysChargedAtItsEstimate() {
        run(call -> {
            call.send(30, 0, () -> "first batch, never counted");
            call.send(40, 0, () -> "second batch");
            call.counted(35, 0);
            return ok();
        });

        assertThat(metering.outcome()).isEqualTo("charge unsettled 65 0");
    }

    @Test
    void aStream_settlesAfterTheLastEvent_toTheUsageTheStreamReported() {
        List<String> sent = new ArrayList<>();
        Reply reply = run(call -> {
            call.send(() -> {
                call.answering();
                sent.add("data: first");
                sent.add("data: last");
                call.counted(40, 90); // the stream's metadata event
                return null;
            });
            return ok();
        });

        assertThat(sent).hasSize(2);
        assertThat(metering.outcome()).isEqualTo("settle 40 90");
        assertThat(reply.status()).isEqualTo(200);
    }

    @Test
    void aStreamWhoseClientLeftBeforeTheUsageWasKnown_chargesTheReservation() {
        run(call -> call.send(() -> {
            call.answering();
            throw new UncheckedIOException(new IOException("the streamed response was cut off"));
        }));

        assertThat(metering.outcome()).isEqualTo("charge unsettled");
    }

    @Test
    void aStreamWhoseClientLeftAfterTheUsageWasKnown_settlesToIt() {
        run(call -> call.send(() -> {
            call.answering();
            call.counted(40, 25);
            throw new UncheckedIOException(new IOException("the streamed response was cut off"));
        }));

        assertThat(metering.outcome()).isEqualTo("settle 40 25");
    }

    @Test
    void aStreamThatBedrockBeganAnswering_isChargedHoweverItEnds() {
        // A failure that would mean "never sent" before the first event cannot take back what was generated.
        run(call -> call.send(() -> {
            call.answering();
            throw SdkClientException.create("Unable to execute HTTP request", new ConnectException("refused"));
        }));

        assertThat(metering.outcome()).isEqualTo("charge unsettled");
    }

    @Test
    void noTimeLeft_isA504_andNothingIsReserved() {
        ProxyRequest late;
        try {
            late = ProxyRequest.read(TestEvents.chat("{}", TestEvents.REQUEST_TIME_EPOCH - 60_000), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        Reply reply = calls.run(late, line, new MeteredCalls.Ask("claude-haiku", 100, MAX_TOKENS), call -> ok());

        assertThat(reply.status()).isEqualTo(504);
        assertThat(metering.events).noneMatch(e -> e.startsWith("reserve"));
    }

    @Test
    void aMeteringRefusal_isTheClientsAnswer_andNothingIsLeftReserved() {
        metering.refusal = new Refusal(OpenAiError.budgetExhausted("day", 60), Map.of(Headers.RETRY_AFTER, "60"),
                Map.of());

        Reply reply = run(call -> {
            throw new AssertionError("never called");
        });

        assertThat(reply.status()).isEqualTo(429);
        assertThat(reply.headers()).containsEntry(Headers.RETRY_AFTER, "60");
        assertThat(line.get(BackendLog.REFUSED_BY)).isEqualTo(BackendLog.REFUSED_BY_TOKENS);
        assertThat(endings()).isZero();
    }
}
