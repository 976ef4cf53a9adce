package io.llmgateway.backend.chat;

import io.llmgateway.backend.internal.TokenEstimate;
import io.llmgateway.common.Json;

/**
 * The input tokens a chat request will cost, estimated before the call ({@link TokenEstimate}'s rules
 * over its texts, images, tools and schema), plus the chat template's tokens per message and the system
 * prompt a provider adds when tools are offered: Anthropic documents its size per model and tool choice
 * ({@link ModelFeatures#toolUseSystemPromptTokens}).
 */
public final class ChatTokenEstimate {

    private ChatTokenEstimate() {
    }

    /**
     * The estimated prefix each automatic cache point would close, in Bedrock's order: the tools, then
     * the tools and the system prompts (with the chat template's tokens per system prompt).
     */
    static CachePlacement.Prefix prefix(ChatRequest request) {
        long tools = 0;
        for (ChatRequest.Tool tool : request.tools()) {
            tools += toolThirds(tool);
        }
        long system = 0;
        for (String text : request.system()) {
            system += TokenEstimate.thirds(text);
        }
        long toolTokens = (tools + 2) / 3;
        return new CachePlacement.Prefix(toolTokens,
                toolTokens + (system + 2) / 3 + (long) TokenEstimate.PER_MESSAGE * request.system().size());
    }

    private static long toolThirds(ChatRequest.Tool tool) {
        return TokenEstimate.thirds(tool.name()) + TokenEstimate.thirds(Json.write(tool.schema()))
                + (tool.description() == null ? 0 : TokenEstimate.thirds(tool.description()));
    }

    public static int of(ChatRequest request) {
        long thirds = 0;
        long images = 0;
        int messages = request.system().size();
        for (String system : request.system()) {
            thirds += TokenEstimate.thirds(system);
        }
        for (ChatRequest.Turn turn : request.turns()) {
            messages++;
            for (ChatRequest.Block block : turn.blocks()) {
                if (block instanceof ChatRequest.Text text) {
                    thirds += TokenEstimate.thirds(text.text());
                } else if (block instanceof ChatRequest.ToolCall call) {
                    thirds += TokenEstimate.thirds(call.name()) + TokenEstimate.thirds(Json.write(call.input()));
                } else if (block instanceof ChatRequest.ToolResult result) {
                    thirds += TokenEstimate.thirds(result.text());
                } else if (block instanceof ChatRequest.Thinking thinking) {
                    thirds += thinking.text() == null ? thinking.redacted().length * 3L : TokenEstimate.thirds(thinking.text());
                } else if (block instanceof ChatRequest.Image image) {
                    images += TokenEstimate.imageTokens(image.width(), image.height());
                }
            }
        }
        for (ChatRequest.Tool tool : request.tools()) {
            thirds += toolThirds(tool);
        }
        if (request.responseFormat().schema() != null) {
            thirds += TokenEstimate.thirds(Json.write(request.responseFormat().schema()));
        }
        long tokens = (thirds + 2) / 3 + (long) TokenEstimate.PER_MESSAGE * messages + images
                + ModelFeatures.toolUseSystemPromptTokens(request.modelId(), ConverseMapping.offeredChoice(request));
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    /**
     * The guardrail text units the request's input may bill, erring high: a text unit holds up to 1,000
     * characters, and each text a guardrail evaluates is counted on its own, so every text block is rounded
     * up (Bedrock user guide, "How charges are calculated" under "How Amazon Bedrock Guardrails works",
     * https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails-how.html). System prompts and tool
     * texts are counted too, though a guardrail may not evaluate them.
     */
    public static int guardedTextUnits(ChatRequest request) {
        long units = 0;
        for (String system : request.system()) {
            units += TokenEstimate.textUnits(system);
        }
        for (ChatRequest.Turn turn : request.turns()) {
            for (ChatRequest.Block block : turn.blocks()) {
                if (block instanceof ChatRequest.Text text) {
                    units += TokenEstimate.textUnits(text.text());
                } else if (block instanceof ChatRequest.ToolCall call) {
                    units += TokenEstimate.textUnits(Json.write(call.input()));
                } else if (block instanceof ChatRequest.ToolResult result) {
                    units += TokenEstimate.textUnits(result.text());
                }
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, units);
    }
}
