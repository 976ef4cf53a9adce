package io.llmgateway.backend.chat;

import io.llmgateway.backend.internal.BedrockUsage;
import io.llmgateway.backend.internal.StreamEncoder;
import io.llmgateway.contract.OpenAiError;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/**
 * ConverseStream's events as OpenAI's {@code chat.completion.chunk} server-sent events, one chunk per
 * delta as it arrives (Bedrock API reference, "ConverseStream"; OpenAI API reference, "The chat
 * completion chunk object"):
 * <ul>
 *   <li>messageStart: the role chunk ({@code role: assistant}, empty content);</li>
 *   <li>a text delta: {@code delta.content}; a reasoning delta: {@code delta.reasoning_content};</li>
 *   <li>a toolUse block's start: {@code delta.tool_calls[{index, id, type: function, function: {name,
 *       arguments: ""}}]}, the index counting the answer's tool calls from 0 (a content block index
 *       counts text blocks too, so it is not used); its input deltas: {@code function.arguments} pieces
 *       under the same index;</li>
 *   <li>the forced tool that carries a JSON answer ({@code response_format}): its input is the
 *       content; with {@code parallel_tool_calls: false} only the first tool call is shown;</li>
 *   <li>messageStop: the finish chunk ({@code tool_calls} when a tool call was shown);</li>
 *   <li>metadata: the usage chunk ({@code choices: []}) when {@code stream_options.include_usage};</li>
 *   <li>the end: {@code data: [DONE]}; an error after the first byte: {@code data: {"error": {...}}}, which
 *       OpenAI's SDKs raise as an API error, and no [DONE].</li>
 * </ul>
 */
final class ChatChunks implements StreamEncoder {

    private final String id;
    private final long created;
    private final String model;
    private final boolean includeUsage;
    private final boolean parallelToolCalls;
    private final String responseTool;
    /** Content block index to what its deltas are: a tool call's OpenAI index, or {@link #AS_CONTENT}. */
    private final Map<Integer, Integer> blocks = new HashMap<>();
    private int toolCalls;
    private boolean answeredByTool;

    /** A block whose deltas are the content (the JSON answer's forced tool). */
    private static final int AS_CONTENT = -1;
    /** A block whose deltas are not shown (a tool call beyond the first without parallel tool calls). */
    private static final int HIDDEN = -2;

    ChatChunks(String id, long created, ChatRequest request) {
        this.id = id;
        this.created = created;
        this.model = request.alias();
        this.includeUsage = request.includeUsage();
        this.parallelToolCalls = request.parallelToolCalls();
        this.responseTool = ConverseMapping.responseTool(request);
    }

    @Override
    public byte[] event(ConverseStreamOutput event) {
        if (event instanceof MessageStartEvent) {
            return chunk(ChatCompletions.roleDelta(), null);
        }
        if (event instanceof ContentBlockStartEvent start && start.start() != null && start.start().toolUse() != null) {
            return toolStart(start.contentBlockIndex(), start.start().toolUse());
        }
        if (event instanceof ContentBlockDeltaEvent delta && delta.delta() != null) {
            return delta(delta.contentBlockIndex(), delta.delta());
        }
        if (event instanceof MessageStopEvent stop) {
            String finish = ConverseMapping.finishReason(stop.stopReason());
            if (toolCalls > 0) {
                finish = "tool_calls";
            } else if (answeredByTool || finish.equals("tool_calls")) {
                finish = "stop";
            }
            return chunk(Map.of(), finish);
        }
        if (event instanceof ConverseStreamMetadataEvent metadata && includeUsage) {
            return bytes(ChatCompletions.event(ChatCompletions.usageChunk(id, created, model,
                    ChatCompletions.usage(BedrockUsage.of(metadata.usage())))));
        }
        return new byte[0];
    }

    private byte[] toolStart(Integer blockIndex, ToolUseBlockStart tool) {
        int block = blockIndex == null ? 0 : blockIndex;
        if (tool.name() != null && tool.name().equals(responseTool)) {
            answeredByTool = true;
            blocks.put(block, AS_CONTENT);
            return new byte[0];
        }
        if (answeredByTool || (!parallelToolCalls && toolCalls > 0)) {
            blocks.put(block, HIDDEN);
            return new byte[0];
        }
        int index = toolCalls++;
        blocks.put(block, index);
        return chunk(Map.of("tool_calls", List.of(ChatCompletions.toolCall(index, tool.toolUseId(), tool.name(), ""))),
                null);
    }

    private byte[] delta(Integer blockIndex, ContentBlockDelta delta) {
        Integer shownAs = blocks.get(blockIndex == null ? 0 : blockIndex);
        if (delta.text() != null && !delta.text().isEmpty()) {
            return chunk(Map.of("content", delta.text()), null);
        }
        if (delta.reasoningContent() != null && delta.reasoningContent().text() != null
                && !delta.reasoningContent().text().isEmpty()) {
            return chunk(Map.of("reasoning_content", delta.reasoningContent().text()), null);
        }
        if (delta.toolUse() != null && delta.toolUse().input() != null && !delta.toolUse().input().isEmpty()
                && shownAs != null && shownAs != HIDDEN) {
            String input = delta.toolUse().input();
            if (shownAs == AS_CONTENT) {
                return chunk(Map.of("content", input), null);
            }
            Map<String, Object> piece = new LinkedHashMap<>();
            piece.put("index", shownAs);
            piece.put("function", Map.of("arguments", input));
            return chunk(Map.of("tool_calls", List.of(piece)), null);
        }
        return new byte[0];
    }

    @Override
    public byte[] end() {
        return bytes(ChatCompletions.DONE);
    }

    @Override
    public byte[] error(OpenAiError error) {
        return bytes("data: " + error.toJson() + "\n\n");
    }

    private byte[] chunk(Map<String, Object> delta, String finishReason) {
        return bytes(ChatCompletions.event(ChatCompletions.chunk(id, created, model, delta, finishReason, includeUsage)));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
