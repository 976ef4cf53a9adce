package io.llmgateway.backend.internal;

import java.util.List;

/**
 * A validated chat-completions request, in the gateway's own terms: neither OpenAI's JSON nor
 * Bedrock's types.
 *
 * @param alias        the public model name the client asked for, echoed in the response
 * @param modelId      the Bedrock model id or inference-profile id the alias maps to
 * @param system       system and developer messages, in order
 * @param turns        the conversation, with consecutive messages of one role merged into one turn
 * @param maxTokens    the output limit sent to Bedrock: the request's (capped) or the configured default
 * @param temperature  null when unset
 * @param topP         null when unset
 * @param stop         stop sequences, possibly empty
 * @param stream       answer as a buffered {@code text/event-stream}
 * @param includeUsage {@code stream_options.include_usage}: end the stream with a usage chunk
 */
public record ChatRequest(
        String alias,
        String modelId,
        List<String> system,
        List<Turn> turns,
        int maxTokens,
        Double temperature,
        Double topP,
        List<String> stop,
        boolean stream,
        boolean includeUsage) {

    public ChatRequest {
        system = List.copyOf(system);
        turns = List.copyOf(turns);
        stop = List.copyOf(stop);
    }

    /** The same request with another output limit (metering may lower it to what is left). */
    public ChatRequest withMaxTokens(int limit) {
        return new ChatRequest(alias, modelId, system, turns, limit, temperature, topP, stop, stream, includeUsage);
    }

    /** One Converse message: a role and its text blocks. */
    public record Turn(Role role, List<String> texts) {
        public Turn {
            texts = List.copyOf(texts);
        }
    }

    public enum Role { USER, ASSISTANT }
}
