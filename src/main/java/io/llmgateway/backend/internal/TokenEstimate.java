package io.llmgateway.backend.internal;

import java.util.List;

/**
 * The input tokens a request will cost, estimated before the model call so tokens can be reserved.
 * Without each model's tokenizer (Bedrock's models do not publish theirs) the estimate errs high for
 * the texts requests carry, at one pass over the characters:
 * <ul>
 *   <li>ASCII letters, digits and whitespace: a third of a token each. English prose and code run at 4
 *       to 5 characters a token;</li>
 *   <li>ASCII punctuation and symbols: one token each. JSON, markup and symbol runs split at them;</li>
 *   <li>other characters: two thirds of a token per UTF-8 byte (1.3 per Cyrillic or Arabic letter, 2
 *       per CJK character), and 3 per four-byte character (emoji), where byte-pair tokenizers spend
 *       up to 1.5 and 3;</li>
 *   <li>for a chat request, plus {@value #PER_MESSAGE} tokens per message for the chat template, and
 *       the system prompt a provider adds when tools are offered, hundreds of tokens (the chat route's
 *       {@code ChatTokenEstimate});</li>
 * </ul>
 * Measured against cl100k_base and o200k_base ({@code bench.TokenEstimateBenchmark}, docs/benchmarks.md), the estimate is above the real count for English, code, JSON, CJK, Cyrillic, Arabic,
 * digits, punctuation and emoji; only long random letter-and-digit strings (base64) come out higher,
 * by at most 2.1 times. No byte-pair tokenizer spends more than a token per byte, so the estimate is never
 * below a third of the real count. The reservation is settled to the count Bedrock reports, so erring
 * high costs headroom for the length of the call, never money.
 */
public final class TokenEstimate {

    /** Tokens a chat template adds per message (role markers, separators). */
    public static final int PER_MESSAGE = 4;

    private TokenEstimate() {
    }

    /** Texts embedded as they are: no chat template, so no per-message tokens. */
    public static int ofTexts(List<String> texts) {
        long thirds = 0;
        for (String text : texts) {
            thirds += thirds(text);
        }
        return (int) Math.min(Integer.MAX_VALUE, (thirds + 2) / 3);
    }

    /**
     * An image's tokens: width x height / 750, as Anthropic counts them (Anthropic docs, "Vision": images
     * are scaled to at most about 1.15 megapixels first, some 1600 tokens); capped at 3200 so a large
     * image, which every model scales down, does not hold back a whole budget.
     */
    public static long imageTokens(int width, int height) {
        return Math.min(3200, ((long) width * height + 749) / 750);
    }

    /** Characters in one guardrail text unit (Bedrock user guide, "How Amazon Bedrock Guardrails works"). */
    public static final int TEXT_UNIT_CHARACTERS = 1000;
    /**
     * Characters an output token is taken to hold when a guardrail's units are reserved for an answer not
     * yet written: above the 3-4 of English prose, so the reservation errs high; the settlement counts the
     * units Bedrock reports.
     */
    public static final int GUARDED_CHARACTERS_PER_OUTPUT_TOKEN = 6;

    /** A text's guardrail text units: its characters in units of 1,000, rounded up; none for no text. */
    public static long textUnits(String text) {
        return text == null || text.isEmpty() ? 0 : (text.length() + TEXT_UNIT_CHARACTERS - 1L) / TEXT_UNIT_CHARACTERS;
    }

    /** The estimate of one text, in thirds of a token. */
    public static long thirds(String text) {
        long thirds = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c < 0x80) {
                thirds += Character.isLetterOrDigit(c) || Character.isWhitespace(c) ? 1 : 3;
            } else {
                // Two thirds of a token per UTF-8 byte; a four-byte character (emoji) a whole token per
                // byte but one.
                thirds += c < 0x800 ? 4 : c < 0x10000 ? 6 : 9;
            }
        }
        return thirds;
    }
}
