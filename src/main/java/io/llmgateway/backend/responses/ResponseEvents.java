package io.llmgateway.backend.responses;

import io.llmgateway.backend.chat.ConverseMapping;
import io.llmgateway.backend.internal.BedrockUsage;
import io.llmgateway.common.Json;
import io.llmgateway.common.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * The Responses API's answer, built from the events of a Converse stream (messageStart,
 * contentBlockStart/Delta/Stop, messageStop, metadata; a buffered answer replays as the same events,
 * {@code ConverseReplay}): the server-sent events in OpenAI's documented order, and the Response object.
 *
 * <p>What the clients hold a stream to (each was tried against them): {@code response.created} first and
 * the same response id throughout (the Node SDK throws otherwise); every item announced with
 * {@code output_item.added} and finished with {@code output_item.done} (Codex builds its answer from
 * these alone); a message item with an id and {@code content: []}, its {@code content_part.added} before
 * the first text delta, and {@code item_id} the item's id (Node SDK); the whole {@code output} in the
 * terminal event (the Agents SDK and openai-java read only that); {@code sequence_number} from 0,
 * {@code logprobs: []} and {@code annotations: []} (openai-java's validation); and always a terminal
 * event: {@code response.completed}, {@code response.incomplete} (max_output_tokens, content filter) or
 * {@code response.failed}.
 *
 * <p>Items: text blocks are {@code message} items with one {@code output_text} part; tool uses are
 * {@code function_call} items ({@code call_id} is Bedrock's toolUseId; a namespaced tool's call carries
 * {@code namespace}); reasoning blocks are {@code reasoning} items whose summary is the model's reasoning
 * text and whose {@code encrypted_content} carries it back ({@link EncryptedReasoning}). The tool that
 * carries a JSON answer ({@code text.format} on models without structured output) is a message; with
 * {@code parallel_tool_calls: false} only the first call is kept, as in the chat route.
 */
final class ResponseEvents {

    private enum Kind { MESSAGE, FUNCTION_CALL, REASONING, SKIPPED }

    private static final class Item {
        final Kind kind;
        final int outputIndex;
        final String id;
        final StringBuilder text = new StringBuilder();
        String callId;
        String converseName;
        String signature;
        byte[] redacted;
        Map<String, Object> done;

        Item(Kind kind, int outputIndex, String id) {
            this.kind = kind;
            this.outputIndex = outputIndex;
            this.id = id;
        }
    }

    private final String id;
    private final long createdAt;
    private final String model;
    private final ResponsesRequest request;
    private final Consumer<String> sse;
    private final String responseTool;
    private final String idSuffix;
    private final Map<Integer, Item> blocks = new HashMap<>();
    private final List<Item> items = new ArrayList<>();
    /** A block Bedrock closed, finished when the next one begins or the message stops (its status waits on the stop reason). */
    private Item closing;
    private int sequence;
    private int functionCalls;
    private boolean answeredByTool;
    private StopReason stopReason;
    private TokenUsage usage;

    /**
     * @param id  the response's id, {@code resp_...}: the same in every event
     * @param sse receives each server-sent event as written ({@code event: ...\ndata: ...\n\n}); null for
     *            a response that is not streamed
     */
    ResponseEvents(String id, long createdAt, String model, ResponsesRequest request, Consumer<String> sse) {
        this.id = id;
        this.createdAt = createdAt;
        this.model = model;
        this.request = request;
        this.sse = sse;
        this.responseTool = ConverseMapping.responseTool(request.chat());
        this.idSuffix = id.startsWith("resp_") ? id.substring(5) : id;
    }

    /** The stream's first events: {@code response.created} and {@code response.in_progress}. */
    void begin() {
        if (sse == null) {
            sequence += 2; // nobody reads the events of an answer that is not streamed
            return;
        }
        emit("response.created", Map.of("response", response("in_progress", null, false)));
        emit("response.in_progress", Map.of("response", response("in_progress", null, false)));
    }

    void accept(ConverseStreamOutput event) {
        if (event instanceof ContentBlockStartEvent start && start.start() != null && start.start().toolUse() != null) {
            finishClosing(true);
            int index = start.contentBlockIndex() == null ? blocks.size() : start.contentBlockIndex();
            String name = start.start().toolUse().name();
            Item item;
            if (name != null && name.equals(responseTool) && !answeredByTool) {
                answeredByTool = true;
                item = openMessage();
            } else if (answeredByTool || (!request.chat().parallelToolCalls() && functionCalls > 0)) {
                item = new Item(Kind.SKIPPED, -1, null);
            } else {
                functionCalls++;
                item = new Item(Kind.FUNCTION_CALL, items.size(), "fc_" + idSuffix + "_" + items.size());
                item.callId = start.start().toolUse().toolUseId();
                item.converseName = name;
                items.add(item);
                emit("response.output_item.added", itemEvent(item.outputIndex, functionCall(item, "in_progress")));
            }
            blocks.put(index, item);
        } else if (event instanceof ContentBlockDeltaEvent delta && delta.delta() != null) {
            delta(delta.contentBlockIndex() == null ? 0 : delta.contentBlockIndex(), delta.delta());
        } else if (event instanceof ContentBlockStopEvent stop) {
            Item item = blocks.remove(stop.contentBlockIndex() == null ? 0 : stop.contentBlockIndex());
            if (item != null && item.kind != Kind.SKIPPED) {
                finishClosing(true);
                closing = item;
            }
        } else if (event instanceof MessageStopEvent stop) {
            stopReason = stop.stopReason();
        } else if (event instanceof ConverseStreamMetadataEvent metadata) {
            usage = metadata.usage();
        }
    }

    private void delta(int index, ContentBlockDelta delta) {
        Item item = blocks.get(index);
        if (delta.text() != null) {
            if (item == null) {
                finishClosing(true);
                item = answeredByTool ? new Item(Kind.SKIPPED, -1, null) : openMessage();
                blocks.put(index, item);
            }
            if (item.kind == Kind.MESSAGE) {
                textDelta(item, delta.text());
            }
        } else if (delta.toolUse() != null && item != null) {
            String input = delta.toolUse().input() == null ? "" : delta.toolUse().input();
            if (item.kind == Kind.MESSAGE) {
                textDelta(item, input);
            } else if (item.kind == Kind.FUNCTION_CALL) {
                item.text.append(input);
                emit("response.function_call_arguments.delta", argumentsDelta(item, input));
            }
        } else if (delta.reasoningContent() != null) {
            if (item == null) {
                finishClosing(true);
                item = new Item(Kind.REASONING, items.size(), "rs_" + idSuffix + "_" + items.size());
                items.add(item);
                blocks.put(index, item);
                Map<String, Object> added = new LinkedHashMap<>();
                added.put("id", item.id);
                added.put("type", "reasoning");
                added.put("summary", List.of());
                emit("response.output_item.added", itemEvent(item.outputIndex, added));
            }
            if (item.kind != Kind.REASONING) {
                return;
            }
            if (delta.reasoningContent().text() != null) {
                if (item.text.length() == 0) {
                    emit("response.reasoning_summary_part.added", summaryEvent(item, "part", summaryPart("")));
                }
                item.text.append(delta.reasoningContent().text());
                emit("response.reasoning_summary_text.delta", summaryEvent(item, "delta",
                        delta.reasoningContent().text()));
            }
            if (delta.reasoningContent().signature() != null) {
                item.signature = delta.reasoningContent().signature();
            }
            if (delta.reasoningContent().redactedContent() != null) {
                item.redacted = delta.reasoningContent().redactedContent().asByteArray();
            }
        }
    }

    private Item openMessage() {
        Item item = new Item(Kind.MESSAGE, items.size(), "msg_" + idSuffix + "_" + items.size());
        items.add(item);
        emit("response.output_item.added", itemEvent(item.outputIndex, message(item, "in_progress", List.of())));
        emit("response.content_part.added", partEvent(item, outputText("")));
        return item;
    }

    private void textDelta(Item item, String text) {
        if (text.isEmpty()) {
            return;
        }
        item.text.append(text);
        emit("response.output_text.delta", textEvent(item, "delta", text));
    }

    /** An output_text event of a message's one content part: its {@code delta} or its whole {@code text}. */
    private static Map<String, Object> textEvent(Item item, String field, String text) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("item_id", item.id);
        event.put("output_index", item.outputIndex);
        event.put("content_index", 0);
        event.put(field, text);
        event.put("logprobs", List.of());
        return event;
    }

    /** Finishes the block Bedrock closed last: its done events, as completed, or incomplete when the answer was cut. */
    private void finishClosing(boolean completed) {
        Item item = closing;
        closing = null;
        if (item != null) {
            finish(item, completed);
        }
    }

    private void finish(Item item, boolean completed) {
        String status = completed ? "completed" : "incomplete";
        switch (item.kind) {
            case MESSAGE -> {
                String text = item.text.toString();
                emit("response.output_text.done", textEvent(item, "text", text));
                emit("response.content_part.done", partEvent(item, outputText(text)));
                item.done = message(item, status, List.of(outputText(text)));
            }
            case FUNCTION_CALL -> {
                String arguments = item.text.length() == 0 ? "{}" : item.text.toString();
                item.text.setLength(0);
                item.text.append(arguments);
                Map<String, Object> done = new LinkedHashMap<>();
                done.put("item_id", item.id);
                done.put("output_index", item.outputIndex);
                done.put("name", names().name(item.converseName));
                done.put("arguments", arguments);
                emit("response.function_call_arguments.done", done);
                item.done = functionCall(item, status);
            }
            case REASONING -> {
                List<Object> summary = new ArrayList<>();
                if (item.text.length() > 0) {
                    String text = item.text.toString();
                    emit("response.reasoning_summary_text.done", summaryEvent(item, "text", text));
                    emit("response.reasoning_summary_part.done", summaryEvent(item, "part", summaryPart(text)));
                    summary.add(summaryPart(text));
                }
                Map<String, Object> done = new LinkedHashMap<>();
                done.put("id", item.id);
                done.put("type", "reasoning");
                done.put("summary", summary);
                if (item.signature != null || item.redacted != null) {
                    done.put("encrypted_content", EncryptedReasoning.encode(item.text.toString(), item.signature,
                            item.redacted));
                }
                item.done = done;
            }
            default -> {
                return;
            }
        }
        emit("response.output_item.done", itemEvent(item.outputIndex, item.done));
    }

    /**
     * The stream's end: the last items finished, then {@code response.completed} (or
     * {@code response.incomplete}) carrying the whole Response object, which is returned.
     *
     * @param completedAt unix seconds
     */
    Map<String, Object> end(long completedAt) {
        String incomplete = incompleteReason(stopReason);
        finishClosing(incomplete == null);
        for (Item item : items) {
            if (item.done == null) {
                finish(item, false);
            }
        }
        Map<String, Object> response = response(incomplete == null ? "completed" : "incomplete",
                incomplete == null ? completedAt : null, true);
        if (incomplete != null) {
            response.put("incomplete_details", Map.of("reason", incomplete));
        }
        emit(incomplete == null ? "response.completed" : "response.incomplete", Map.of("response", response));
        Map<String, Object> body = new LinkedHashMap<>(response);
        body.put("output_text", outputText());
        return body;
    }

    /** A failure after the stream began: {@code response.failed} with the error, the stream's terminal event. */
    void fail(String code, String message) {
        Map<String, Object> response = response("failed", null, false);
        response.put("error", Map.of("code", code, "message", message));
        emit("response.failed", Map.of("response", response));
    }

    /** Converse's stop reason as the reason an answer is incomplete, or null when it is complete. */
    static String incompleteReason(StopReason reason) {
        if (reason == null) {
            return null;
        }
        return switch (reason) {
            case MAX_TOKENS, MODEL_CONTEXT_WINDOW_EXCEEDED -> "max_output_tokens";
            case CONTENT_FILTERED, GUARDRAIL_INTERVENED -> "content_filter";
            default -> null;
        };
    }

    private ToolNames names() {
        return request.names();
    }

    private String outputText() {
        StringBuilder text = new StringBuilder();
        for (Item item : items) {
            if (item.kind == Kind.MESSAGE) {
                text.append(item.text);
            }
        }
        return text.toString();
    }

    private Map<String, Object> response(String status, Long completedAt, boolean withOutput) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("id", id);
        response.put("object", "response");
        response.put("created_at", createdAt);
        response.put("status", status);
        response.put("background", false);
        response.put("completed_at", completedAt);
        response.put("error", null);
        response.put("incomplete_details", null);
        response.put("model", model);
        List<Object> output = new ArrayList<>();
        if (withOutput) {
            items.stream().filter(i -> i.done != null).forEach(i -> output.add(i.done));
        }
        response.put("output", output);
        response.putAll(request.echoed());
        response.put("usage", withOutput ? usage() : null);
        return response;
    }

    /**
     * Converse's usage in OpenAI's terms, from the one usage record ({@link BedrockUsage}) chat reports from
     * too: {@code input_tokens} counts the tokens read from and written to the prompt cache, which
     * {@code input_tokens_details} splits out as {@code cached_tokens} and {@code cache_write_tokens} (both
     * always present: openai-java requires them); Converse reports no reasoning count (it is in the output
     * tokens), so {@code reasoning_tokens} is 0.
     */
    private Map<String, Object> usage() {
        Usage tokens = BedrockUsage.of(usage);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("cached_tokens", tokens.cacheRead());
        details.put("cache_write_tokens", tokens.cacheWrites());
        Map<String, Object> usageMap = new LinkedHashMap<>();
        usageMap.put("input_tokens", tokens.promptTokens());
        usageMap.put("input_tokens_details", details);
        usageMap.put("output_tokens", tokens.output());
        usageMap.put("output_tokens_details", Map.of("reasoning_tokens", Math.max(0, tokens.reasoning())));
        usageMap.put("total_tokens", tokens.totalTokens());
        return usageMap;
    }

    private Map<String, Object> message(Item item, String status, List<Object> content) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", item.id);
        message.put("type", "message");
        message.put("status", status);
        message.put("role", "assistant");
        message.put("content", content);
        return message;
    }

    private Map<String, Object> functionCall(Item item, String status) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", item.id);
        call.put("type", "function_call");
        call.put("status", status);
        call.put("call_id", item.callId);
        call.put("name", names().name(item.converseName));
        String namespace = names().namespace(item.converseName);
        if (namespace != null) {
            call.put("namespace", namespace);
        }
        call.put("arguments", status.equals("in_progress") ? "" : item.text.toString());
        return call;
    }

    private static Map<String, Object> outputText(String text) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("type", "output_text");
        part.put("text", text);
        part.put("annotations", List.of());
        part.put("logprobs", List.of());
        return part;
    }

    private static Map<String, Object> summaryPart(String text) {
        Map<String, Object> part = new LinkedHashMap<>();
        part.put("type", "summary_text");
        part.put("text", text);
        return part;
    }

    /** Fields in the documented order, so the same answer is the same bytes. */
    private static Map<String, Object> itemEvent(int outputIndex, Map<String, Object> item) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("output_index", outputIndex);
        event.put("item", item);
        return event;
    }

    private static Map<String, Object> argumentsDelta(Item item, String delta) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("item_id", item.id);
        event.put("output_index", item.outputIndex);
        event.put("delta", delta);
        return event;
    }

    private static Map<String, Object> partEvent(Item item, Map<String, Object> part) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("item_id", item.id);
        event.put("output_index", item.outputIndex);
        event.put("content_index", 0);
        event.put("part", part);
        return event;
    }

    private static Map<String, Object> summaryEvent(Item item, String field, Object value) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("item_id", item.id);
        event.put("output_index", item.outputIndex);
        event.put("summary_index", 0);
        event.put(field, value);
        return event;
    }

    private void emit(String type, Map<String, Object> fields) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("sequence_number", sequence++);
        event.putAll(fields);
        if (sse == null) {
            return;
        }
        sse.accept("event: " + type + "\ndata: " + Json.write(event) + "\n\n");
    }
}
