package io.llmgateway.verify;

import static io.llmgateway.verify.Checker.expect;
import static io.llmgateway.verify.Checker.quoted;

import com.openai.core.JsonValue;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletionAssistantMessageParam;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import io.llmgateway.verify.Replies.Chunk;
import io.llmgateway.verify.Replies.Delta;
import io.llmgateway.verify.Replies.Reply;
import io.llmgateway.verify.Replies.ToolCall;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Function calling: a forced call and its result sent back, and the same call streamed in pieces. */
final class ToolChecks {

    static final String TOOL = "get_weather";
    static final String TOOL_PROMPT = "What is the weather in Paris? Use " + TOOL + ".";
    static final String TOOL_RESULT = "{\"city\":\"Paris\",\"forecast\":\"sunny\",\"celsius\":21}";
    /** With a forced function, OpenAI ends with "stop"; otherwise with "tool_calls". */
    private static final Set<String> TOOL_ENDINGS = Set.of("tool_calls", "stop");

    private final Checker checker;

    ToolChecks(Checker checker) {
        this.checker = checker;
    }

    /** A function tool in OpenAI's wire format: {@code get_weather(city: string)}. */
    static ChatCompletionFunctionTool weatherTool() {
        Map<String, Object> properties = Map.of("city", Map.of("type", "string", "description", "The city's name"));
        return ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                .name(TOOL)
                .description("The current weather in a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(properties))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .build()).build();
    }

    /** Forces the call, so any model makes it: {@code {"type":"function","function":{"name":...}}}. */
    static ChatCompletionToolChoiceOption forced() {
        return ChatCompletionToolChoiceOption.ofNamedToolChoice(ChatCompletionNamedToolChoice.builder()
                .function(ChatCompletionNamedToolChoice.Function.builder().name(TOOL).build()).build());
    }

    private ChatCompletionCreateParams.Builder toolRequest(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage(TOOL_PROMPT)
                .addTool(weatherTool()).toolChoice(forced()).maxCompletionTokens(checker.settings().toolMaxTokens());
    }

    CheckResult toolsRoundTrip(String model) {
        long started = checker.start();
        CallOutcome<Reply> a = checker.create(Check.TOOLS_ROUND_TRIP, toolRequest(model).build());
        String expected = "200 with message.tool_calls: a function call of " + TOOL + " with an id and arguments"
                + " that parse as a JSON object; then, after the tool message, a text answer";
        if (!a.ok()) {
            return checker.failed(Check.TOOLS_ROUND_TRIP, started, expected, a);
        }
        Reply r = a.value();
        List<String> problems = new ArrayList<>();
        if (r.toolCalls().isEmpty()) {
            problems.add("no tool_calls (finish_reason " + quoted(r.finishReason()) + ", content "
                    + quoted(r.content()) + ")");
            return checker.wrong(Check.TOOLS_ROUND_TRIP, started, expected, problems, a);
        }
        ToolCall call = r.toolCalls().get(0);
        expect(problems, "function".equals(call.type()), "tool_calls[0].type is " + quoted(call.type()));
        expect(problems, call.id() != null && !call.id().isBlank(), "tool_calls[0].id is empty");
        expect(problems, TOOL.equals(call.name()), "tool_calls[0].function.name is " + quoted(call.name()));
        argumentProblems(problems, "tool_calls[0].function.arguments", call.arguments());
        expect(problems, TOOL_ENDINGS.contains(r.finishReason()), "finish_reason is " + quoted(r.finishReason())
                + ", expected tool_calls (or stop, as OpenAI ends a forced call)");
        if (!problems.isEmpty()) {
            return checker.wrong(Check.TOOLS_ROUND_TRIP, started, expected, problems, a);
        }

        ChatCompletionCreateParams second = ChatCompletionCreateParams.builder().model(model)
                .addUserMessage(TOOL_PROMPT)
                .addMessage(ChatCompletionAssistantMessageParam.builder()
                        .addToolCall(ChatCompletionMessageFunctionToolCall.builder().id(call.id())
                                .function(ChatCompletionMessageFunctionToolCall.Function.builder()
                                        .name(call.name()).arguments(call.arguments()).build())
                                .build())
                        .build())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content(TOOL_RESULT).build())
                .addTool(weatherTool())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.NONE)
                .maxCompletionTokens(checker.settings().maxTokens())
                .build();
        CallOutcome<Reply> b = checker.create(Check.TOOLS_ROUND_TRIP, second);
        String expectedAfter = "after the tool message (tool_choice none): 200 with a text answer, no tool_calls,"
                + " finish_reason stop or length";
        if (!b.ok()) {
            return checker.failed(Check.TOOLS_ROUND_TRIP, started, expectedAfter, b);
        }
        Reply after = b.value();
        expect(problems, after.content() != null && !after.content().isEmpty(), "no content after the tool result");
        expect(problems, after.toolCalls().isEmpty(), "tool_calls again, with tool_choice none");
        expect(problems, ChatChecks.TEXT_ENDINGS.contains(after.finishReason()),
                "finish_reason " + quoted(after.finishReason()));
        if (!problems.isEmpty()) {
            return checker.wrong(Check.TOOLS_ROUND_TRIP, started, expectedAfter, problems, b);
        }
        return checker.pass(Check.TOOLS_ROUND_TRIP, started, TOOL + Text.truncate(call.arguments()) + " as " + call.id()
                + ", then a text answer (finish_reason " + after.finishReason() + ")", b);
    }

    private static void argumentProblems(List<String> problems, String field, String arguments) {
        if (arguments == null) {
            problems.add(field + " is missing");
            return;
        }
        try {
            Json.readObject(arguments);
        } catch (IOException e) {
            problems.add(field + " " + Text.quote(arguments) + " is not a JSON object: " + e.getMessage());
        }
    }

    /** One tool call put together from its streamed pieces. */
    private static final class Assembled {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    CheckResult toolsStream(String model) {
        long started = checker.start();
        ChatCompletionCreateParams params = toolRequest(model)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        CallOutcome<Replies.Streamed> a = checker.stream(Check.TOOLS_STREAM, params);
        String expected = "200 event stream whose delta.tool_calls have indices from 0, an id and function.name"
                + " on each call's first piece, arguments that join into a JSON object, finish_reason tool_calls"
                + " (or stop), and a usage chunk";
        if (!a.ok()) {
            return checker.failed(Check.TOOLS_STREAM, started, expected, a);
        }
        List<Chunk> chunks = a.value().chunks();
        List<String> problems = new ArrayList<>();
        ChatChecks.streamShape(problems, chunks);
        Map<Long, Assembled> calls = new LinkedHashMap<>();
        for (Chunk chunk : chunks) {
            for (Delta delta : chunk.choices()) {
                for (ToolCall piece : delta.toolCalls()) {
                    if (piece.index() < 0) {
                        problems.add("delta.tool_calls[].index is " + piece.index() + ", a negative index");
                        continue;
                    }
                    Assembled call = calls.get(piece.index());
                    if (call == null) {
                        call = new Assembled();
                        calls.put(piece.index(), call);
                        call.id = piece.id();
                        call.name = piece.name();
                        expect(problems, call.id != null && !call.id.isBlank(),
                                "the first piece of tool call " + piece.index() + " has no id");
                        expect(problems, call.name != null, "the first piece of tool call " + piece.index()
                                + " has no function.name");
                    }
                    if (piece.arguments() != null) {
                        call.arguments.append(piece.arguments());
                    }
                }
            }
        }
        if (calls.isEmpty() && problems.isEmpty()) {
            problems.add("no delta.tool_calls in the stream");
        }
        long expectedIndex = 0;
        for (Map.Entry<Long, Assembled> entry : calls.entrySet()) {
            expect(problems, entry.getKey() == expectedIndex, "tool call indices " + calls.keySet()
                    + " do not count up from 0");
            expectedIndex++;
            expect(problems, entry.getValue().name == null || TOOL.equals(entry.getValue().name),
                    "tool call " + entry.getKey() + " names " + quoted(entry.getValue().name));
            argumentProblems(problems, "tool call " + entry.getKey() + " arguments", entry.getValue().arguments.toString());
        }
        List<String> endings = ChatChecks.finishReasons(chunks);
        expect(problems, endings.size() == 1 && TOOL_ENDINGS.contains(endings.get(0)),
                "finish_reason values " + endings + ", expected exactly one, tool_calls (or stop)");
        ChatChecks.streamUsage(problems, chunks);
        if (!problems.isEmpty()) {
            return checker.wrong(Check.TOOLS_STREAM, started, expected, problems.stream().distinct().toList(), a);
        }
        Assembled first = calls.values().iterator().next();
        return checker.pass(Check.TOOLS_STREAM, started, calls.size() + (calls.size() == 1 ? " call" : " calls")
                + " from "
                + chunks.size() + " chunks: index 0 " + first.name + Text.truncate(first.arguments.toString())
                + " as " + first.id, a);
    }
}
