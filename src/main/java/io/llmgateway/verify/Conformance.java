package io.llmgateway.verify;

import com.openai.client.OpenAIClient;
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
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import io.llmgateway.verify.Replies.Chunk;
import io.llmgateway.verify.Replies.Delta;
import io.llmgateway.verify.Replies.Reply;
import io.llmgateway.verify.Replies.ToolCall;
import io.llmgateway.verify.Replies.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The checks a client relies on, sent with the official OpenAI Java SDK and judged against OpenAI's
 * documented behaviour (API reference, https://platform.openai.com/docs/api-reference) and the
 * gateway's contract (README, "Rate limits and errors: one contract").
 */
final class Conformance {

    static final String TOOL = "get_weather";
    static final String PROMPT = "Reply with one word: ready.";
    static final String TOOL_PROMPT = "What is the weather in Paris? Use " + TOOL + ".";
    static final String TOOL_RESULT = "{\"city\":\"Paris\",\"forecast\":\"sunny\",\"celsius\":21}";
    static final String EMBEDDING_INPUT = "llm-gateway verify";
    /** Names no alias: a gateway must answer 404 model_not_found, not 500 or a default model. */
    static final String UNKNOWN_MODEL = "verify-no-such-model";
    /** A path no gateway serves, under the base URL. */
    static final String UNKNOWN_PATH = "/verify-no-such-path";
    /** A well-formed key no plan holds. */
    static final String WRONG_KEY = "sk-verify-wrong-key-0000000000000000";
    /** OpenAI's documented range for temperature is 0 to 2. */
    static final double BAD_TEMPERATURE = 5.0;

    private static final Set<String> TEXT_ENDINGS = Set.of("stop", "length");
    /** With a forced function, OpenAI ends with "stop"; otherwise with "tool_calls". */
    private static final Set<String> TOOL_ENDINGS = Set.of("tool_calls", "stop");

    /**
     * @param apiKey         the client's key
     * @param model          the chat model to use, or null for the first one listed
     * @param embeddingModel the embedding model, or null for the first listed id containing "embed"
     * @param maxTokens      max_completion_tokens of the chat checks
     * @param toolMaxTokens  max_completion_tokens of the tool checks (arguments need a few more)
     */
    record Settings(String apiKey, String model, String embeddingModel, long maxTokens, long toolMaxTokens) {
        Settings {
            Objects.requireNonNull(apiKey, "apiKey");
        }
    }

    private final Session session;
    private final Settings settings;
    private List<String> listed = List.of();
    private String model;

    Conformance(Session session, Settings settings) {
        this.session = session;
        this.settings = settings;
    }

    /** Runs every check but the header checks, which judge all answers at the end. */
    List<CheckResult> run() {
        List<CheckResult> results = new ArrayList<>();
        client(); // builds the SDK client before the first check's clock starts
        results.add(modelsList());
        model = settings.model() != null ? settings.model() : firstChatModel(listed);
        if (model == null) {
            String why = "no model to use: " + (listed.isEmpty() ? "models.list gave none" : "every listed model"
                    + " looks like an embedding model") + "; pass --model NAME";
            for (Check c : List.of(Check.MODELS_RETRIEVE, Check.CHAT, Check.CHAT_STREAM, Check.TOOLS_ROUND_TRIP,
                    Check.TOOLS_STREAM, Check.ERROR_BODY)) {
                results.add(CheckResult.skip(c, why));
            }
        } else {
            results.add(modelsRetrieve(model));
            results.add(chat(model));
            results.add(chatStream(model));
            results.add(toolsRoundTrip(model));
            results.add(toolsStream(model));
        }
        results.add(embeddings());
        results.add(wrongKey());
        results.add(unknownModel());
        if (model != null) {
            results.add(badBody(model));
        }
        results.add(unknownUrl());
        return results;
    }

    /** The chat model the checks used, or null when there was none; known after {@link #run()}. */
    String model() {
        return model;
    }

    /** The model the chat checks use when none is named: the first listed that is not an embedding model. */
    static String firstChatModel(List<String> ids) {
        return ids.stream().filter(id -> !isEmbeddingModel(id)).findFirst().orElse(null);
    }

    static boolean isEmbeddingModel(String id) {
        return id.toLowerCase(Locale.ROOT).contains("embed");
    }

    private OpenAIClient client() {
        return session.client(settings.apiKey());
    }

    // ---- models ---------------------------------------------------------------------------------

    private record ModelInfo(String id, String object) {
        static ModelInfo of(Model m) {
            return new ModelInfo(m.id(), Replies.text(m._object_()));
        }
    }

    private CheckResult modelsList() {
        long started = session.time().nanoTime();
        CallOutcome<List<ModelInfo>> a = session.send(Check.MODELS_LIST, Session.route("GET", "/models"),
                () -> client().models().withRawResponse().list(),
                page -> page.data().stream().map(ModelInfo::of).toList());
        String expected = "200 with a list of model objects, at least one";
        if (!a.ok()) {
            return failed(Check.MODELS_LIST, started, expected, a);
        }
        List<String> problems = new ArrayList<>();
        if (a.value().isEmpty()) {
            problems.add("the list is empty");
        }
        a.value().stream().filter(m -> !"model".equals(m.object()))
                .forEach(m -> problems.add(quoted(m.id()) + " has object " + quoted(m.object()) + ", not 'model'"));
        listed = a.value().stream().map(ModelInfo::id).toList();
        if (!problems.isEmpty()) {
            return wrong(Check.MODELS_LIST, started, expected, problems, a);
        }
        return pass(Check.MODELS_LIST, started, listed.size() + (listed.size() == 1 ? " model: " : " models: ")
                + Text.truncate(String.join(", ", listed)), a);
    }

    private CheckResult modelsRetrieve(String model) {
        long started = session.time().nanoTime();
        CallOutcome<ModelInfo> a = session.send(Check.MODELS_RETRIEVE, Session.route("GET", "/models/" + model),
                () -> client().models().withRawResponse().retrieve(model), ModelInfo::of);
        String expected = "200 with the model object of " + Text.quote(model);
        if (!a.ok()) {
            return failed(Check.MODELS_RETRIEVE, started, expected, a);
        }
        List<String> problems = new ArrayList<>();
        if (!model.equals(a.value().id())) {
            problems.add("id is " + quoted(a.value().id()));
        }
        if (!"model".equals(a.value().object())) {
            problems.add("object is " + quoted(a.value().object()) + ", not 'model'");
        }
        if (!problems.isEmpty()) {
            return wrong(Check.MODELS_RETRIEVE, started, expected, problems, a);
        }
        return pass(Check.MODELS_RETRIEVE, started, "id " + model, a);
    }

    // ---- chat -----------------------------------------------------------------------------------

    private CallOutcome<Reply> create(Check check, ChatCompletionCreateParams params) {
        CallOutcome<Reply> a = session.send(check, Session.route("POST", "/chat/completions"),
                () -> client().chat().completions().withRawResponse().create(params), Reply::of);
        if (a.ok() && a.value().usage() != null) {
            session.spent(a.value().usage().total());
        }
        return a;
    }

    private CallOutcome<List<Chunk>> stream(Check check, ChatCompletionCreateParams params) {
        CallOutcome<List<Chunk>> a = session.send(check, Session.route("POST", "/chat/completions"),
                () -> client().chat().completions().withRawResponse().createStreaming(params),
                stream -> {
                    try (stream) {
                        return stream.stream().map(Chunk::of).toList();
                    }
                });
        if (a.ok()) {
            a.value().stream().filter(c -> c.usage() != null).reduce((x, y) -> y)
                    .ifPresent(c -> session.spent(c.usage().total()));
        }
        return a;
    }

    private CheckResult chat(String model) {
        long started = session.time().nanoTime();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(model).addUserMessage(PROMPT)
                .maxCompletionTokens(settings.maxTokens()).build();
        CallOutcome<Reply> a = create(Check.CHAT, params);
        String expected = "200 chat.completion: message.content, finish_reason stop or length, usage with total ="
                + " prompt + completion and completion <= max_completion_tokens " + settings.maxTokens();
        if (!a.ok()) {
            return failed(Check.CHAT, started, expected, a);
        }
        Reply r = a.value();
        List<String> problems = new ArrayList<>();
        expect(problems, "chat.completion".equals(r.object()), "object is " + quoted(r.object()));
        expect(problems, r.choices() >= 1, "no choices");
        if (r.choices() >= 1) {
            expect(problems, r.content() != null, "message.content is missing");
            expect(problems, TEXT_ENDINGS.contains(r.finishReason()), "finish_reason is " + quoted(r.finishReason()));
        }
        usageProblems(problems, r.usage());
        if (!problems.isEmpty()) {
            return wrong(Check.CHAT, started, expected, problems, a);
        }
        return pass(Check.CHAT, started, "finish_reason " + r.finishReason() + ", " + r.usage(), a);
    }

    private void usageProblems(List<String> problems, Usage usage) {
        if (usage == null) {
            problems.add("usage is missing");
            return;
        }
        expect(problems, usage.total() == usage.prompt() + usage.completion(),
                "usage.total_tokens " + usage.total() + " is not prompt " + usage.prompt() + " + completion " + usage.completion());
        expect(problems, usage.completion() <= settings.maxTokens(), "usage.completion_tokens " + usage.completion()
                + " is above max_completion_tokens " + settings.maxTokens());
    }

    private CheckResult chatStream(String model) {
        long started = session.time().nanoTime();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(model).addUserMessage(PROMPT)
                .maxCompletionTokens(settings.maxTokens())
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        CallOutcome<List<Chunk>> a = stream(Check.CHAT_STREAM, params);
        String expected = "200 event stream of chat.completion.chunk: content, exactly one finish_reason (stop or"
                + " length), and a last chunk with usage and no choices";
        if (!a.ok()) {
            return failed(Check.CHAT_STREAM, started, expected, a);
        }
        List<Chunk> chunks = a.value();
        List<String> problems = new ArrayList<>();
        streamShape(problems, chunks);
        String text = chunks.stream().flatMap(c -> c.choices().stream()).map(Delta::content).filter(Objects::nonNull)
                .collect(Collectors.joining());
        expect(problems, !text.isEmpty(), "no content in any delta");
        List<String> endings = finishReasons(chunks);
        expect(problems, endings.size() == 1 && TEXT_ENDINGS.contains(endings.get(0)),
                "finish_reason values " + endings + ", expected exactly one of stop or length");
        Usage usage = streamUsage(problems, chunks);
        if (usage != null) {
            usageProblems(problems, usage);
        }
        if (!problems.isEmpty()) {
            return wrong(Check.CHAT_STREAM, started, expected, problems, a);
        }
        return pass(Check.CHAT_STREAM, started, chunks.size() + " chunks, finish_reason " + endings.get(0) + ", "
                + usage, a);
    }

    private static void streamShape(List<String> problems, List<Chunk> chunks) {
        expect(problems, !chunks.isEmpty(), "no chunks before [DONE]");
        chunks.stream().map(Chunk::object).filter(o -> !"chat.completion.chunk".equals(o)).findFirst()
                .ifPresent(o -> problems.add("a chunk has object " + quoted(o)));
    }

    private static List<String> finishReasons(List<Chunk> chunks) {
        return chunks.stream().flatMap(c -> c.choices().stream()).map(Delta::finishReason).filter(Objects::nonNull)
                .toList();
    }

    /**
     * With {@code stream_options.include_usage}, OpenAI sends usage on one extra chunk before
     * {@code [DONE]}, whose choices are empty; every other chunk has usage null (API reference,
     * "Create chat completion", stream_options).
     */
    private static Usage streamUsage(List<String> problems, List<Chunk> chunks) {
        if (chunks.isEmpty()) {
            return null;
        }
        Chunk last = chunks.get(chunks.size() - 1);
        if (last.usage() == null) {
            problems.add("the last chunk has no usage (stream_options.include_usage was true)");
            return null;
        }
        expect(problems, last.choices().isEmpty(), "the usage chunk has " + last.choices().size() + " choices, not none");
        long earlier = chunks.subList(0, chunks.size() - 1).stream().filter(c -> c.usage() != null).count();
        expect(problems, earlier == 0, earlier + " chunks before the last carry usage");
        return last.usage();
    }

    // ---- tools ----------------------------------------------------------------------------------

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
                .addTool(weatherTool()).toolChoice(forced()).maxCompletionTokens(settings.toolMaxTokens());
    }

    private CheckResult toolsRoundTrip(String model) {
        long started = session.time().nanoTime();
        CallOutcome<Reply> a = create(Check.TOOLS_ROUND_TRIP, toolRequest(model).build());
        String expected = "200 with message.tool_calls: a function call of " + TOOL + " with an id and arguments"
                + " that parse as a JSON object; then, after the tool message, a text answer";
        if (!a.ok()) {
            return failed(Check.TOOLS_ROUND_TRIP, started, expected, a);
        }
        Reply r = a.value();
        List<String> problems = new ArrayList<>();
        if (r.toolCalls().isEmpty()) {
            problems.add("no tool_calls (finish_reason " + quoted(r.finishReason()) + ", content "
                    + quoted(r.content()) + ")");
            return wrong(Check.TOOLS_ROUND_TRIP, started, expected, problems, a);
        }
        ToolCall call = r.toolCalls().get(0);
        expect(problems, "function".equals(call.type()), "tool_calls[0].type is " + quoted(call.type()));
        expect(problems, call.id() != null && !call.id().isBlank(), "tool_calls[0].id is empty");
        expect(problems, TOOL.equals(call.name()), "tool_calls[0].function.name is " + quoted(call.name()));
        argumentProblems(problems, "tool_calls[0].function.arguments", call.arguments());
        expect(problems, TOOL_ENDINGS.contains(r.finishReason()), "finish_reason is " + quoted(r.finishReason())
                + ", expected tool_calls (or stop, as OpenAI ends a forced call)");
        if (!problems.isEmpty()) {
            return wrong(Check.TOOLS_ROUND_TRIP, started, expected, problems, a);
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
                .maxCompletionTokens(settings.maxTokens())
                .build();
        CallOutcome<Reply> b = create(Check.TOOLS_ROUND_TRIP, second);
        String expectedAfter = "after the tool message (tool_choice none): 200 with a text answer, no tool_calls,"
                + " finish_reason stop or length";
        if (!b.ok()) {
            return failed(Check.TOOLS_ROUND_TRIP, started, expectedAfter, b);
        }
        Reply after = b.value();
        expect(problems, after.content() != null && !after.content().isEmpty(), "no content after the tool result");
        expect(problems, after.toolCalls().isEmpty(), "tool_calls again, with tool_choice none");
        expect(problems, TEXT_ENDINGS.contains(after.finishReason()), "finish_reason " + quoted(after.finishReason()));
        if (!problems.isEmpty()) {
            return wrong(Check.TOOLS_ROUND_TRIP, started, expectedAfter, problems, b);
        }
        return pass(Check.TOOLS_ROUND_TRIP, started, TOOL + Text.truncate(call.arguments()) + " as " + call.id()
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

    private CheckResult toolsStream(String model) {
        long started = session.time().nanoTime();
        ChatCompletionCreateParams params = toolRequest(model)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        CallOutcome<List<Chunk>> a = stream(Check.TOOLS_STREAM, params);
        String expected = "200 event stream whose delta.tool_calls have indices from 0, an id and function.name"
                + " on each call's first piece, arguments that join into a JSON object, finish_reason tool_calls"
                + " (or stop), and a usage chunk";
        if (!a.ok()) {
            return failed(Check.TOOLS_STREAM, started, expected, a);
        }
        List<Chunk> chunks = a.value();
        List<String> problems = new ArrayList<>();
        streamShape(problems, chunks);
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
        List<String> endings = finishReasons(chunks);
        expect(problems, endings.size() == 1 && TOOL_ENDINGS.contains(endings.get(0)),
                "finish_reason values " + endings + ", expected exactly one, tool_calls (or stop)");
        streamUsage(problems, chunks);
        if (!problems.isEmpty()) {
            return wrong(Check.TOOLS_STREAM, started, expected, problems.stream().distinct().toList(), a);
        }
        Assembled first = calls.values().iterator().next();
        return pass(Check.TOOLS_STREAM, started, calls.size() + (calls.size() == 1 ? " call" : " calls") + " from "
                + chunks.size() + " chunks: index 0 " + first.name + Text.truncate(first.arguments.toString())
                + " as " + first.id, a);
    }

    // ---- embeddings -----------------------------------------------------------------------------

    private record EmbeddingInfo(int data, long index, int dimensions, boolean finite, long tokens) {
        static EmbeddingInfo of(CreateEmbeddingResponse r) {
            if (r.data().isEmpty()) {
                return new EmbeddingInfo(0, -1, 0, true, r.usage().totalTokens());
            }
            List<Float> vector = r.data().get(0).embedding();
            boolean finite = vector.stream().allMatch(f -> f != null && Float.isFinite(f));
            return new EmbeddingInfo(r.data().size(), r.data().get(0).index(), vector.size(), finite,
                    r.usage().totalTokens());
        }
    }

    private CheckResult embeddings() {
        String model = settings.embeddingModel() != null ? settings.embeddingModel()
                : listed.stream().filter(Conformance::isEmbeddingModel).findFirst().orElse(null);
        if (model == null) {
            return CheckResult.skip(Check.EMBEDDINGS, "no embedding model listed by models.list"
                    + " (pass --embedding-model NAME to check one)");
        }
        long started = session.time().nanoTime();
        // The Java SDK asks for encoding_format base64 unless told otherwise, and decodes it.
        EmbeddingCreateParams params = EmbeddingCreateParams.builder().model(model).input(EMBEDDING_INPUT).build();
        CallOutcome<EmbeddingInfo> a = session.send(Check.EMBEDDINGS, Session.route("POST", "/embeddings"),
                () -> session.client(settings.apiKey()).embeddings().withRawResponse().create(params), EmbeddingInfo::of);
        String expected = "200 with one embedding (index 0, a non-empty vector of finite numbers) and usage, for "
                + Text.quote(model);
        if (!a.ok()) {
            return failed(Check.EMBEDDINGS, started, expected, a);
        }
        EmbeddingInfo e = a.value();
        session.spent(e.tokens());
        List<String> problems = new ArrayList<>();
        expect(problems, e.data() == 1, e.data() + " embeddings for one input");
        if (e.data() >= 1) {
            expect(problems, e.index() == 0, "data[0].index is " + e.index());
            expect(problems, e.dimensions() > 0, "data[0].embedding is empty");
            expect(problems, e.finite(), "data[0].embedding holds a value that is not a finite number");
        }
        if (!problems.isEmpty()) {
            return wrong(Check.EMBEDDINGS, started, expected, problems, a);
        }
        return pass(Check.EMBEDDINGS, started, model + ": " + e.dimensions() + " dimensions (base64), "
                + e.tokens() + " tokens", a);
    }

    // ---- errors ---------------------------------------------------------------------------------

    private CheckResult wrongKey() {
        long started = session.time().nanoTime();
        CallOutcome<Integer> a = session.send(Check.ERROR_API_KEY, Session.route("GET", "/models"),
                () -> session.client(WRONG_KEY).models().withRawResponse().list(), page -> page.data().size());
        return expectError(Check.ERROR_API_KEY, started, a, 401, "invalid_api_key", e -> true, "");
    }

    private CheckResult unknownModel() {
        long started = session.time().nanoTime();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(UNKNOWN_MODEL)
                .addUserMessage(PROMPT).maxCompletionTokens(1).build();
        CallOutcome<Reply> a = create(Check.ERROR_MODEL, params);
        return expectError(Check.ERROR_MODEL, started, a, 404, "model_not_found", e -> true,
                " for model " + Text.quote(UNKNOWN_MODEL));
    }

    private CheckResult badBody(String model) {
        long started = session.time().nanoTime();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model(model).addUserMessage(PROMPT)
                .temperature(BAD_TEMPERATURE).maxCompletionTokens(1).build();
        CallOutcome<Reply> a = create(Check.ERROR_BODY, params);
        return expectError(Check.ERROR_BODY, started, a, 400, null,
                e -> "temperature".equals(e.param()) || (e.message() != null && e.message().contains("temperature")),
                " naming 'temperature' in error.param or error.message, for temperature " + Text.number(BAD_TEMPERATURE));
    }

    private CheckResult unknownUrl() {
        long started = session.time().nanoTime();
        String base = session.baseUrl() + UNKNOWN_PATH;
        CallOutcome<Integer> a = session.send(Check.ERROR_URL, Session.route("GET", UNKNOWN_PATH + "/models"),
                () -> session.clientAt(base, settings.apiKey()).models().withRawResponse().list(),
                page -> page.data().size());
        return expectError(Check.ERROR_URL, started, a, 404, "unknown_url", e -> true,
                " for GET " + UNKNOWN_PATH + "/models under the base URL");
    }

    private CheckResult expectError(Check check, long started, CallOutcome<?> a, int status, String code,
                                    Predicate<ApiError> more, String context) {
        String expected = status + (code == null ? "" : " " + code) + context;
        if (a.error() != null && a.error().status() == status && (code == null || code.equals(a.error().code()))
                && more.test(a.error())) {
            ApiError e = a.error();
            return pass(check, started, status + " " + (e.code() != null ? e.code() : e.type())
                    + (e.param() != null ? " (param " + e.param() + ")" : ""), a);
        }
        if (a.ok()) {
            return CheckResult.fail(check, elapsed(started), "accepted: " + a.seen().status(), expected,
                    a.seen().status() + ": the request was accepted", a.requestId());
        }
        return failed(check, started, expected, a);
    }

    // ---- results --------------------------------------------------------------------------------

    private static void expect(List<String> problems, boolean ok, String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    private static String quoted(String s) {
        return s == null ? "missing" : Text.quote(s);
    }

    private long elapsed(long started) {
        return session.time().nanoTime() - started;
    }

    private CheckResult pass(Check check, long started, String detail, CallOutcome<?> a) {
        return CheckResult.pass(check, elapsed(started), detail, a.requestId());
    }

    /** No usable answer, or an error answer. */
    private CheckResult failed(Check check, long started, String expected, CallOutcome<?> a) {
        String summary = a.error() != null ? a.error().summary() : Text.truncate(a.describe());
        return CheckResult.fail(check, elapsed(started), summary, expected, a.describe(), a.requestId());
    }

    /** A 2xx answer that breaks the contract. */
    private CheckResult wrong(Check check, long started, String expected, List<String> problems, CallOutcome<?> a) {
        return CheckResult.fail(check, elapsed(started), Text.truncate(problems.get(0)), expected,
                String.join("; ", problems), a.requestId());
    }
}
