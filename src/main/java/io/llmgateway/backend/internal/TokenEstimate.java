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
        int messages = request.system().size();
        for (String system : request.system()) {
            bytes += utf8Length(system);
        }
        for (ChatRequest.Turn turn : request.turns()) {
            messages++;
            for (String text : turn.texts()) {
                bytes += utf8Length(text);
            }
        }
        long tokens = (bytes + 2) / 3 + (long) PER_MESSAGE * messages;
        return (int) Math.min(Integer.MAX_VALUE, tokens);
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
