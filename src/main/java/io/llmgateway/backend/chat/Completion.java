package io.llmgateway.backend.chat;

import java.util.List;

/**
 * A model's answer, as the response needs it.
 *
 * @param text             the assistant message's text; empty when it only called tools
 * @param reasoning        the model's reasoning text, or null when it gave none
 * @param toolCalls        the tools the model called, in order
 * @param finishReason     OpenAI's finish_reason
 * @param promptTokens     Bedrock's input tokens
 * @param completionTokens Bedrock's output tokens
 * @param totalTokens      Bedrock's total
 */
public record Completion(String text, String reasoning, List<ToolCall> toolCalls, String finishReason,
                         int promptTokens, int completionTokens, int totalTokens) {

    public Completion {
        toolCalls = List.copyOf(toolCalls);
    }

    /** A text answer. */
    public Completion(String text, String finishReason, int promptTokens, int completionTokens, int totalTokens) {
        this(text, null, List.of(), finishReason, promptTokens, completionTokens, totalTokens);
    }

    /**
     * One tool call of the answer.
     *
     * @param arguments the arguments as a JSON string, as OpenAI sends them
     */
    public record ToolCall(String id, String name, String arguments) {
    }
}
