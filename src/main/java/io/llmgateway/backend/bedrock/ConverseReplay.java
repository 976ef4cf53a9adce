package io.llmgateway.backend.bedrock;

import io.llmgateway.common.Json;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStart;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/**
 * A buffered Converse answer replayed as the events ConverseStream would have sent for it (Bedrock API
 * reference, "ConverseStream": messageStart, then per content block an optional contentBlockStart (tool
 * uses only), its deltas and a contentBlockStop, then messageStop and metadata). A surface that encodes
 * its stream from these events serves a buffered answer and a streamed one with one encoder.
 */
public final class ConverseReplay {

    private ConverseReplay() {
    }

    public static List<ConverseStreamOutput> events(ConverseResponse response) {
        List<ConverseStreamOutput> events = new ArrayList<>();
        events.add(ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build());
        List<ContentBlock> blocks = response.output() == null || response.output().message() == null
                || !response.output().message().hasContent() ? List.of() : response.output().message().content();
        int index = 0;
        for (ContentBlock block : blocks) {
            List<ContentBlockDelta> deltas = new ArrayList<>(2);
            if (block.text() != null) {
                deltas.add(ContentBlockDelta.fromText(block.text()));
            } else if (block.toolUse() != null) {
                ToolUseBlock use = block.toolUse();
                events.add(ConverseStreamOutput.contentBlockStartBuilder().contentBlockIndex(index)
                        .start(ContentBlockStart.fromToolUse(ToolUseBlockStart.builder()
                                .toolUseId(use.toolUseId()).name(use.name()).build()))
                        .build());
                String input = use.input() == null ? "{}" : Json.write(Documents.plain(use.input()));
                deltas.add(ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder().input(input).build()));
            } else if (block.reasoningContent() != null) {
                ReasoningContentBlock reasoning = block.reasoningContent();
                if (reasoning.reasoningText() != null) {
                    if (reasoning.reasoningText().text() != null) {
                        deltas.add(ContentBlockDelta.fromReasoningContent(
                                ReasoningContentBlockDelta.fromText(reasoning.reasoningText().text())));
                    }
                    if (reasoning.reasoningText().signature() != null) {
                        deltas.add(ContentBlockDelta.fromReasoningContent(
                                ReasoningContentBlockDelta.fromSignature(reasoning.reasoningText().signature())));
                    }
                } else if (reasoning.redactedContent() != null) {
                    deltas.add(ContentBlockDelta.fromReasoningContent(
                            ReasoningContentBlockDelta.fromRedactedContent(reasoning.redactedContent())));
                }
            } else {
                continue; // a block type no surface answers with (citations, images)
            }
            for (ContentBlockDelta delta : deltas) {
                events.add(ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(index).delta(delta).build());
            }
            events.add(ConverseStreamOutput.contentBlockStopBuilder().contentBlockIndex(index).build());
            index++;
        }
        events.add(ConverseStreamOutput.messageStopBuilder().stopReason(response.stopReason()).build());
        events.add(ConverseStreamOutput.metadataBuilder().usage(response.usage()).build());
        return events;
    }
}
