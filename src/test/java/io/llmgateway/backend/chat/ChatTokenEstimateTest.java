package io.llmgateway.backend.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.llmgateway.backend.internal.TokenEstimate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The input estimate errs high for the kinds of text requests carry, against two published byte-pair
 * tokenizers (Bedrock's own are not public): reserving less than a call costs would let in-flight
 * calls overspend a budget.
 */
class ChatTokenEstimateTest {

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
        int estimate = ChatTokenEstimate.of(user(text));
        for (Encoding tokenizer : TOKENIZERS) {
            assertThat(estimate).as(tokenizer.getName()).isGreaterThanOrEqualTo(tokenizer.countTokens(text) + TokenEstimate.PER_MESSAGE);
        }
    }

    static final ChatRequest.Tool WEATHER = new ChatRequest.Tool("get_weather", "The weather in a city",
            Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string"))));
    static final ChatRequest.ResponseFormat JSON_OBJECT = new ChatRequest.ResponseFormat(
            ChatRequest.ResponseFormat.Type.JSON_OBJECT, ChatRequestParser.JSON_OBJECT_TOOL, null, Map.of("type", "object"));

    private static ChatRequest withTools(String modelId, List<ChatRequest.Tool> tools, ChatRequest.ToolChoice choice,
                                         ChatRequest.ResponseFormat format) {
        return new ChatRequest("m", modelId, List.of(), user("What is the weather in Paris?").turns(), 100, null,
                null, List.of(), false, false, tools, choice, true, format, null);
    }

    static Stream<Arguments> toolPrompts() {
        ChatRequest.ToolChoice auto = ChatRequest.ToolChoice.AUTO;
        ChatRequest.ToolChoice required = ChatRequest.ToolChoice.REQUIRED;
        ChatRequest.ToolChoice named = new ChatRequest.ToolChoice(ChatRequest.ToolChoice.Mode.NAMED, "get_weather");
        ChatRequest.ResponseFormat text = ChatRequest.ResponseFormat.TEXT;
        return Stream.of(
                Arguments.of("anthropic.claude-3-haiku-20240307-v1:0", auto, text, 264),
                Arguments.of("anthropic.claude-3-haiku-20240307-v1:0", required, text, 340),
                Arguments.of("us.anthropic.claude-3-5-haiku-20241022-v1:0", named, text, 340),
                Arguments.of("anthropic.claude-3-opus-20240229-v1:0", auto, text, 530),
                Arguments.of("anthropic.claude-3-sonnet-20240229-v1:0", required, text, 235),
                Arguments.of("us.anthropic.claude-3-7-sonnet-20250219-v1:0", auto, text, 346),
                Arguments.of("anthropic.claude-sonnet-4-20250514-v1:0", required, text, 313),
                Arguments.of("global.anthropic.claude-haiku-4-5-20251001-v1:0", auto, text, 346),
                // A JSON answer without tools is a forced tool: Anthropic's "tool" choice.
                Arguments.of("anthropic.claude-3-haiku-20240307-v1:0", ChatRequest.ToolChoice.NONE, JSON_OBJECT, 340),
                // No tools offered, and families that document no tool prompt.
                Arguments.of("anthropic.claude-3-haiku-20240307-v1:0", ChatRequest.ToolChoice.NONE, text, 0),
                Arguments.of("amazon.nova-micro-v1:0", required, text, 0));
    }

    @ParameterizedTest(name = "{0} {1} {2}: +{3}")
    @MethodSource("toolPrompts")
    void offeredTools_addTheProvidersToolUseSystemPrompt_byModelAndToolChoice(String modelId,
            ChatRequest.ToolChoice choice, ChatRequest.ResponseFormat format, int added) {
        ChatRequest withTools = withTools(modelId, List.of(WEATHER), choice, format);
        ChatRequest same = withTools("amazon.nova-micro-v1:0", List.of(WEATHER), choice, format);

        assertThat(ChatTokenEstimate.of(withTools) - ChatTokenEstimate.of(same)).isEqualTo(added);
    }
}
