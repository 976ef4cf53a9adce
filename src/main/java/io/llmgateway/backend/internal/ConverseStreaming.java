package io.llmgateway.backend.internal;

import io.llmgateway.common.Usage;
import java.io.IOException;
import java.io.OutputStream;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;

/**
 * A streamed model call inside the metered-call template, for any surface: the ConverseStream call
 * goes out through {@link MeteredCall#send} and is open once its first event is in (so a refusal
 * before that is an ordinary HTTP error); then every event is written through the surface's
 * {@link StreamEncoder} and flushed as it arrives, and the stream's metadata event reports Bedrock's
 * usage to the call ({@link MeteredCall#counted}). How it ends goes on the log line as {@value #END}:
 * <ul>
 *   <li>{@value #COMPLETE}: the encoder's end was written; the reservation settles to Bedrock's usage.</li>
 *   <li>{@value #UPSTREAM_ERROR}: Bedrock failed after the first byte; the encoder's error event ends the
 *       stream (never a silent cut or a hang), and without a usage event the call is charged.</li>
 *   <li>{@value #CLIENT_GONE}: the client went away (the output threw); Bedrock's call is cancelled, and
 *       the reservation is charged whole unless the usage event had arrived (what Bedrock generated after
 *       the cut cannot be known), which the template logs as an unsettled charge.</li>
 * </ul>
 */
public final class ConverseStreaming {

    public static final String END = "streamEnd";
    public static final String COMPLETE = "complete";
    public static final String UPSTREAM_ERROR = "upstream_error";
    public static final String CLIENT_GONE = "client_disconnected";

    private ConverseStreaming() {
    }

    /**
     * Sends the call and waits for its first event.
     *
     * @return the body's writer, for {@link Reply#streamed}
     * @throws RuntimeException what Bedrock threw before its first event: the template answers it
     */
    public static Reply.Stream start(MeteredCall call, BedrockRuntimeAsyncClient bedrock, ConverseStreamRequest request,
                                     StreamEncoder encoder, RequestLog line) {
        BedrockStream stream = call.send(() -> BedrockStream.open(bedrock, request, call.budgetMs()));
        return out -> relay(stream, call, encoder, line, out);
    }

    private static void relay(BedrockStream stream, MeteredCall call, StreamEncoder encoder, RequestLog line,
                              OutputStream out) {
        try (stream) {
            while (true) {
                ConverseStreamOutput event;
                try {
                    event = stream.next();
                } catch (RuntimeException e) {
                    BedrockErrors.Failure failure = BedrockErrors.classify(e);
                    line.put(END, UPSTREAM_ERROR).put(RequestLog.UPSTREAM_ERROR, failure.upstream());
                    if (failure.cause() != null) {
                        line.put("cause", failure.cause());
                    }
                    write(out, encoder.error(failure.error()));
                    return;
                }
                if (event == null) {
                    break;
                }
                if (event instanceof ConverseStreamMetadataEvent metadata && metadata.usage() != null) {
                    Usage usage = BedrockUsage.of(metadata.usage());
                    call.counted(usage);
                    line.tokens(usage);
                }
                if (event instanceof ConverseStreamMetadataEvent metadata && metadata.trace() != null
                        && metadata.trace().guardrail() != null) {
                    // The plan's guardrail: its units for the budget, its interventions for the line.
                    GuardrailOutcome guardrail = GuardrailOutcome.of(metadata.trace().guardrail());
                    call.guardrailUnits(guardrail.units());
                    line.guardrail(guardrail);
                }
                write(out, encoder.event(event));
            }
            write(out, encoder.end());
            line.put(END, COMPLETE);
        } catch (IOException e) {
            line.put(END, CLIENT_GONE);
        }
    }

    private static void write(OutputStream out, byte[] bytes) throws IOException {
        if (bytes.length > 0) {
            out.write(bytes);
            out.flush();
        }
    }
}
