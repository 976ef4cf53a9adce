package io.llmgateway.backend.responses;

import io.llmgateway.backend.internal.StreamEncoder;
import io.llmgateway.contract.OpenAiError;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;

/**
 * The Responses API's events on the real streaming path ({@code ConverseStreaming}): each ConverseStream
 * event as the server-sent events {@link ResponseEvents} writes for it, with {@code response.created} and
 * {@code response.in_progress} before the first, and {@code response.completed} (or {@code .incomplete})
 * carrying the whole response at the end. A failure after the first byte ends the stream with
 * {@code response.failed} and the error's code and message, which Codex shows and the SDKs report; a
 * stream always ends with one of these terminal events.
 */
final class ResponseStream implements StreamEncoder {

    private final StringBuilder pending = new StringBuilder();
    private final ResponseEvents events;
    private final Clock clock;
    private final Consumer<Map<String, Object>> completed;
    private boolean begun;

    ResponseStream(String id, Clock clock, String model, ResponsesRequest request) {
        this(id, clock, model, request, null);
    }

    /** @param completed receives the finished Response object (to store it), or null */
    ResponseStream(String id, Clock clock, String model, ResponsesRequest request,
                   Consumer<Map<String, Object>> completed) {
        this.events = new ResponseEvents(id, clock.millis() / 1000, model, request, pending::append);
        this.clock = clock;
        this.completed = completed;
    }

    @Override
    public byte[] event(ConverseStreamOutput event) {
        begin();
        events.accept(event);
        return drain();
    }

    @Override
    public byte[] end() {
        begin();
        Map<String, Object> response = events.end(clock.millis() / 1000);
        byte[] bytes = drain();
        if (completed != null) {
            completed.accept(response);
        }
        return bytes;
    }

    @Override
    public byte[] error(OpenAiError error) {
        begin();
        events.fail(error.code() == null ? error.type() : error.code(), error.message());
        return drain();
    }

    private void begin() {
        if (!begun) {
            begun = true;
            events.begin();
        }
    }

    private byte[] drain() {
        byte[] bytes = pending.toString().getBytes(StandardCharsets.UTF_8);
        pending.setLength(0);
        return bytes;
    }
}
