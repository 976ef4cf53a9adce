package io.llmgateway.backend.internal;

import io.llmgateway.contract.OpenAiError;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;

/**
 * How one API surface writes Bedrock's stream: each ConverseStream event (messageStart,
 * contentBlockStart, contentBlockDelta, contentBlockStop, messageStop, metadata) as the surface's
 * server-sent events, the stream's end, and an error that ends a stream already begun. Chat
 * completions write {@code chat.completion.chunk} events; the Responses API its own. One instance per
 * stream, called from one thread, in event order.
 */
public interface StreamEncoder {

    /** The bytes for this event; empty for an event the surface does not show. */
    byte[] event(ConverseStreamOutput event);

    /** The bytes after the last event of a complete stream (chat: {@code data: [DONE]}). */
    byte[] end();

    /** The bytes that end a stream that failed after its first byte: the surface's error event. */
    byte[] error(OpenAiError error);
}
