package io.llmgateway.backend.internal;

/**
 * A model's answer, as the response needs it.
 *
 * @param text             the assistant message's text
 * @param finishReason     OpenAI's finish_reason
 * @param promptTokens     Bedrock's input tokens
 * @param completionTokens Bedrock's output tokens
 * @param totalTokens      Bedrock's total
 */
public record Completion(String text, String finishReason, int promptTokens, int completionTokens, int totalTokens) {
}
