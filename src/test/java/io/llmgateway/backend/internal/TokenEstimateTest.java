package io.llmgateway.backend.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The input estimate errs high for the kinds of text requests carry, against two published byte-pair
 * tokenizers (Bedrock's own are not public): reserving less than a call costs would let in-flight
 * calls overspend a budget.
 */
class TokenEstimateTest {

    private static final List<Encoding> TOKENIZERS = List.of(
            Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE),
            Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE));

    private static ChatRequest user(String text) {
        return new ChatRequest("m", "m", List.of(), List.of(new ChatRequest.Turn(ChatRequest.Role.USER, List.of(new ChatRequest.Text(text)))),
                1, null, null, List.of(), false, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Summarise the following meeting notes in three bullet points, keeping every decision and its owner.",
            "{\"model\": \"nova-micro\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 10}",
            "for (int i = 0; i < n; i++) { total += values[i] * weights[i]; }",
            "请用三句话总结以下会议记录，并保留每个决定及其负责人。",
            "会議メモを三つの箇条書きにまとめ、すべての決定と担当者を残してください。",
            "Кратко изложите следующие заметки о встрече в трёх пунктах.",
            "🎉🚀🔥😀👍🏽🌍✨💡📈🤖",
            "!@#$%^&*()_+-=[]{}|;':\",./<>?`~",
            "31415926535897932384626433832795028841971693993751"})
    void theEstimateIsAtLeastTheRealCount(String text) {
        int estimate = TokenEstimate.of(user(text));
        for (Encoding tokenizer : TOKENIZERS) {
            assertThat(estimate).as(tokenizer.getName()).isGreaterThanOrEqualTo(tokenizer.countTokens(text) + TokenEstimate.PER_MESSAGE);
        }
    }
}
