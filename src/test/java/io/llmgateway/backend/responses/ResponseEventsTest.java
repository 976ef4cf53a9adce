package io.llmgateway.backend.responses;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.bedrock.ConverseReplay;
import io.llmgateway.backend.chat.ChatRequest;
import io.llmgateway.common.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStart;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/** The encoder on hand-made Converse event sequences, as a real ConverseStream and a replay deliver them. */
class ResponseEventsTest {

    static ChatRequest chat(boolean parallel, ChatRequest.ResponseFormat format) {
        return new ChatRequest("m", "amazon.nova-micro-v1:0", List.of(), List.of(new ChatRequest.Turn(
                ChatRequest.Role.USER, List.of(new ChatRequest.Text("hi")))), 100, null, null, List.of(), true, false,
                List.of(), ChatRequest.ToolChoice.AUTO, parallel, format, null);
    }

    static ResponsesRequest request(boolean parallel) {
        return new ResponsesRequest(chat(parallel, ChatRequest.ResponseFormat.TEXT), new ToolNames(), Map.of(), true);
    }

    record Run(List<Map<String, Object>> events, Map<String, Object> response) {
        List<Object> types() {
            return events.stream().map(e -> e.get("type")).toList();
        }
    }

    static Run run(ResponsesRequest request, List<ConverseStreamOutput> converse) {
        List<String> sse = new ArrayList<>();
        ResponseEvents events = new ResponseEvents("resp_1", 100, "m", request, sse::add);
        events.begin();
        converse.forEach(events::accept);
        Map<String, Object> response = events.end(101);
        List<Map<String, Object>> parsed = new ArrayList<>();
        for (String event : sse) {
            try {
                parsed.add(Json.readObject(event.substring(event.indexOf("data: ") + 6)));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        return new Run(parsed, response);
    }

    static ConverseStreamOutput toolStart(int index, String id, String name) {
        return ConverseStreamOutput.contentBlockStartBuilder().contentBlockIndex(index)
                .start(ContentBlockStart.fromToolUse(ToolUseBlockStart.builder().toolUseId(id).name(name).build())).build();
    }

    static ConverseStreamOutput delta(int index, ContentBlockDelta delta) {
        return ConverseStreamOutput.contentBlockDeltaBuilder().contentBlockIndex(index).delta(delta).build();
    }

    static ConverseStreamOutput stop(int index) {
        return ConverseStreamOutput.contentBlockStopBuilder().contentBlockIndex(index).build();
    }

    static List<ConverseStreamOutput> end(StopReason reason) {
        return List.of(ConverseStreamOutput.messageStopBuilder().stopReason(reason).build(),
                ConverseStreamOutput.metadataBuilder().usage(TokenUsage.builder().inputTokens(5).outputTokens(7)
                        .totalTokens(12).build()).build());
    }

    @Test
    void streamedReasoningTextAndTwoArgumentDeltas_becomeReasoningThenMessageThenCall_inDocumentedOrder() {
        List<ConverseStreamOutput> converse = new ArrayList<>(List.of(
                ConverseStreamOutput.messageStartBuilder().role(ConversationRole.ASSISTANT).build(),
                delta(0, ContentBlockDelta.fromReasoningContent(ReasoningContentBlockDelta.fromText("Think"))),
                delta(0, ContentBlockDelta.fromReasoningContent(ReasoningContentBlockDelta.fromText("ing."))),
                delta(0, ContentBlockDelta.fromReasoningContent(ReasoningContentBlockDelta.fromSignature("sig"))),
                stop(0),
                delta(1, ContentBlockDelta.fromText("Let me ")),
                delta(1, ContentBlockDelta.fromText("check.")),
                stop(1),
                toolStart(2, "tu_1", "get_weather"),
                delta(2, ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder().input("{\"city\":").build())),
                delta(2, ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder().input("\"Paris\"}").build())),
                stop(2)));
        converse.addAll(end(StopReason.TOOL_USE));

        Run run = run(request(true), converse);

        assertThat(run.types()).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done",
                "response.output_item.done",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.delta", "response.output_text.done", "response.content_part.done",
                "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.delta", "response.function_call_arguments.done",
                "response.output_item.done", "response.completed");
        List<?> output = (List<?>) run.response().get("output");
        assertThat(output).hasSize(3);
        Map<?, ?> reasoning = (Map<?, ?>) output.get(0);
        assertThat(EncryptedReasoning.decode((String) reasoning.get("encrypted_content")))
                .isEqualTo(new ChatRequest.Thinking("Thinking.", "sig", null));
        Map<?, ?> call = (Map<?, ?>) output.get(2);
        assertThat(call.get("arguments")).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(call.get("call_id")).isEqualTo("tu_1");
        assertThat(call.get("status")).isEqualTo("completed");
        assertThat(run.response()).containsEntry("output_text", "Let me check.");
        assertThat(run.events()).extracting(e -> e.get("output_index")).filteredOn(i -> i != null)
                .containsOnly(0, 1, 2);
    }

    @Test
    void withParallelToolCallsOff_onlyTheFirstCallIsKept() {
        List<ConverseStreamOutput> converse = new ArrayList<>(List.of(
                toolStart(0, "tu_1", "a"), delta(0, ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder().input("{}").build())),
                stop(0),
                toolStart(1, "tu_2", "b"), delta(1, ContentBlockDelta.fromToolUse(ToolUseBlockDelta.builder().input("{}").build())),
                stop(1)));
        converse.addAll(end(StopReason.TOOL_USE));

        assertThat((List<?>) run(request(false), converse).response().get("output")).hasSize(1);
        assertThat((List<?>) run(request(true), converse).response().get("output")).hasSize(2);
    }

    @Test
    void theToolThatCarriesAJsonAnswer_isAMessage() {
        ChatRequest.ResponseFormat json = new ChatRequest.ResponseFormat(ChatRequest.ResponseFormat.Type.JSON_OBJECT,
                "json_object", null, Map.of("type", "object"));
        ResponsesRequest request = new ResponsesRequest(chat(true, json), new ToolNames(), Map.of(), false);
        ConverseResponse answer = ConverseResponse.builder().output(ConverseOutput.fromMessage(Message.builder()
                        .role(ConversationRole.ASSISTANT).content(ContentBlock.fromToolUse(ToolUseBlock.builder()
                                .toolUseId("tu").name("json_object").input(Document.fromMap(Map.of("a",
                                        Document.fromNumber(1)))).build())).build()))
                .stopReason(StopReason.TOOL_USE).usage(TokenUsage.builder().inputTokens(1).outputTokens(1).build())
                .build();

        Map<String, Object> response = run(request, ConverseReplay.events(answer)).response();

        assertThat(response).containsEntry("output_text", "{\"a\":1}");
        assertThat((Object) ((Map<?, ?>) ((List<?>) response.get("output")).get(0)).get("type")).isEqualTo("message");
    }

    @Test
    void aContentFilter_endsWithResponseIncomplete_andAFailureWithResponseFailed() {
        List<ConverseStreamOutput> converse = new ArrayList<>(List.of(delta(0, ContentBlockDelta.fromText("x")), stop(0)));
        converse.addAll(end(StopReason.GUARDRAIL_INTERVENED));
        Run run = run(request(true), converse);
        assertThat(run.types()).last().isEqualTo("response.incomplete");
        assertThat(run.response()).containsEntry("incomplete_details", Map.of("reason", "content_filter"));

        List<String> sse = new ArrayList<>();
        ResponseEvents failing = new ResponseEvents("resp_2", 100, "m", request(true), sse::add);
        failing.begin();
        failing.accept(delta(0, ContentBlockDelta.fromText("partial")));
        failing.fail("server_error", "Bedrock stopped answering.");
        assertThat(sse.get(sse.size() - 1)).startsWith("event: response.failed\n")
                .contains("\"status\":\"failed\"", "\"id\":\"resp_2\"", "Bedrock stopped answering.");
    }

    @Test
    void redactedReasoning_travelsAsItsBytes() {
        byte[] secret = {1, 2, 3, 4};
        ConverseResponse answer = ConverseResponse.builder().output(ConverseOutput.fromMessage(Message.builder()
                        .role(ConversationRole.ASSISTANT).content(
                                ContentBlock.fromReasoningContent(ReasoningContentBlock.fromRedactedContent(
                                        SdkBytes.fromByteArray(secret))),
                                ContentBlock.fromText("Done.")).build()))
                .stopReason(StopReason.END_TURN).usage(TokenUsage.builder().inputTokens(1).outputTokens(1).build())
                .build();

        Map<?, ?> reasoning = (Map<?, ?>) ((List<?>) run(request(true), ConverseReplay.events(answer)).response()
                .get("output")).get(0);

        assertThat(reasoning.get("summary")).isEqualTo(List.of());
        assertThat(EncryptedReasoning.decode((String) reasoning.get("encrypted_content")).redacted()).isEqualTo(secret);
        assertThat(EncryptedReasoning.decode("gAAAAB-openai-encrypted")).isNull();
        assertThat(EncryptedReasoning.decode(EncryptedReasoning.PREFIX + "not base64 json")).isNull();
    }
}
