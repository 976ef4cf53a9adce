package io.llmgateway.backend.internal;

import java.nio.charset.StandardCharsets;

/**
 * The input tokens a request will cost, estimated before the model call so tokens can be reserved.
 * Without each model's tokenizer the estimate errs high: UTF-8 bytes / 3, rounded up, plus a few
 * tokens per message for the chat template. English prose runs about 4 characters per token and CJK
 * text about 1 character (3 bytes) per token, so the estimate is above the real count for both; the
 * reservation is settled to the count Bedrock reports, so erring high costs headroom, never money.
 */
public final class TokenEstimate {

    /** Tokens a chat template adds per message (role markers, separators). */
    static final int PER_MESSAGE = 4;

    private TokenEstimate() {
    }

    public static int of(ChatRequest request) {
        long bytes = 0;
        long images = 0;
        int messages = request.system().size();
        for (String system : request.system()) {
            bytes += utf8Length(system);
        }
        for (ChatRequest.Turn turn : request.turns()) {
            messages++;
            for (ChatRequest.Block block : turn.blocks()) {
                if (block instanceof ChatRequest.Text text) {
                    bytes += utf8Length(text.text());
                } else if (block instanceof ChatRequest.ToolCall call) {
                    bytes += utf8Length(call.name()) + utf8Length(io.llmgateway.common.Json.write(call.input()));
                } else if (block instanceof ChatRequest.ToolResult result) {
                    bytes += utf8Length(result.text());
                } else if (block instanceof ChatRequest.Image image) {
                    images += imageTokens(image.width(), image.height());
                }
            }
        }
        for (ChatRequest.Tool tool : request.tools()) {
            bytes += utf8Length(tool.name()) + utf8Length(io.llmgateway.common.Json.write(tool.schema()))
                    + (tool.description() == null ? 0 : utf8Length(tool.description()));
        }
        if (request.responseFormat().schema() != null) {
            bytes += utf8Length(io.llmgateway.common.Json.write(request.responseFormat().schema()));
        }
        long tokens = (bytes + 2) / 3 + (long) PER_MESSAGE * messages + images;
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    /**
     * An image's tokens: width x height / 750, as Anthropic counts them (Anthropic docs, "Vision": images
     * are scaled to at most about 1.15 megapixels first, some 1600 tokens); capped at 3200 so a large
     * image, which every model scales down, does not hold back a whole budget.
     */
    static long imageTokens(int width, int height) {
        return Math.min(3200, ((long) width * height + 749) / 750);
    }

    /** Texts embedded as they are: no chat template, so no per-message tokens. */
    public static int ofTexts(java.util.List<String> texts) {
        long bytes = 0;
        for (String text : texts) {
            bytes += utf8Length(text);
        }
        return (int) Math.min(Integer.MAX_VALUE, (bytes + 2) / 3);
    }

    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
