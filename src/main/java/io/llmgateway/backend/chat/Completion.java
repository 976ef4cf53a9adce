package io.llmgateway.backend.chat;

import io.llmgateway.common.Usage;
import java.util.List;

/**
 * A model's answer, as the response needs it.
 *
 * @param text         the assistant message's text; empty when it only called tools
 * @param reasoning    the model's reasoning text, or null when it gave none
 * @param toolCalls    the tools the model called, in order
 * @param finishReason OpenAI's finish_reason
 * @param usage        what Bedrock counted, cache reads and writes apart
 */
public record Completion(String text, String reasoning, List<ToolCall> toolCalls, String finishReason, Usage usage) {

    public Completion {
        toolCalls = List.copyOf(toolCalls);
    }

    /** An answer without prompt caching: its input all counted as input. */
    public Completion(String text, String reasoning, List<ToolCall> toolCalls, String finishReason,
                      int promptTokens, int completionTokens, int totalTokens) {
        this(text, reasoning, toolCalls, finishReason, new Usage(promptTokens, completionTokens));
    }

    /** A text answer. */
    public Completion(String text, String finishReason, int promptTokens, int completionTokens, int totalTokens) {
        this(text, null, List.of(), finishReason, promptTokens, completionTokens, totalTokens);
    }

    /** OpenAI's {@code prompt_tokens}: all the input, cache reads and writes included. */
    public int promptTokens() {
        return usage.promptTokens();
    }

    public int completionTokens() {
        return usage.output();
    }

    public int totalTokens() {
        return usage.totalTokens();
    }

    /**
     * One tool call of the answer.
     *
     * @param arguments the arguments as a JSON string, as OpenAI sends them
     */
    public record ToolCall(String id, String name, String arguments) {
    }
}
