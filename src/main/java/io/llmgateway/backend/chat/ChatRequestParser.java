package io.llmgateway.backend.chat;

import static io.llmgateway.backend.internal.Fields.describe;
import static io.llmgateway.backend.internal.Fields.requiredString;

import io.llmgateway.backend.chat.ChatRequest.ResponseFormat;
import io.llmgateway.backend.chat.ChatRequest.Tool;
import io.llmgateway.backend.chat.ChatRequest.ToolChoice;
import io.llmgateway.backend.chat.ChatRequest.Turn;
import io.llmgateway.backend.internal.ConfiguredModel;
import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.ModelKind;
import io.llmgateway.contract.OpenAiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns an OpenAI Chat Completions body into a {@link ChatRequest}, or refuses it with the error
 * OpenAI would give, naming the field. It reads the body section by section, in this order, so the
 * first error a client sees does not depend on the JSON's field order: the model, the messages
 * ({@link MessagesParser}), the parameters Converse cannot honour ({@link ChatParameter}), the tools
 * ({@link ToolsParser}), the response format ({@link OutputParser}), the mapped parameters, and the
 * reasoning effort. What each parameter may be, and what becomes of it, is {@link ChatParameter}'s table.
 */
public final class ChatRequestParser {

    /** The forced tool that carries {@code response_format: json_object}; see {@link OutputParser}. */
    public static final String JSON_OBJECT_TOOL = OutputParser.JSON_OBJECT_TOOL;

    private final BackendSettings settings;

    public ChatRequestParser(BackendSettings settings) {
        this.settings = settings;
    }

    /**
     * @param json        the parsed body: maps, lists, strings, numbers, booleans and null
     * @param entitlement the caller's: a model it may not use does not exist for it
     * @throws RequestError a 400 naming the field at fault, or a 404 for an unknown model alias
     */
    public ChatRequest parse(Object json, Metering.Entitlement entitlement) throws RequestError {
        if (!(json instanceof Map<?, ?> body)) {
            throw new RequestError(OpenAiError.invalidType(null,
                    "The request body must be a JSON object, but got " + describe(json) + " instead."));
        }
        String alias = requiredString(body, ChatParameter.MODEL.key);
        String modelId = ConfiguredModel.lookup(settings, entitlement, alias, ModelKind.CHAT).modelId();

        List<String> system = new ArrayList<>();
        MessagesParser messages = new MessagesParser();
        List<Turn> turns = messages.parse(body.get(ChatParameter.MESSAGES.key), system);

        ChatParameter.rejectUnsupported(body);
        List<Tool> tools = ToolsParser.tools(body.get(ChatParameter.TOOLS.key));
        List<ChatRequest.CachePoint> marks = new ArrayList<>(ToolsParser.cachePoints(body.get(ChatParameter.TOOLS.key)));
        marks.addAll(messages.cachePoints());
        ToolChoice toolChoice = ToolsParser.toolChoice(body.get(ChatParameter.TOOL_CHOICE.key), tools);
        Boolean parallel = ChatParameter.PARALLEL_TOOL_CALLS.bool(body);
        ResponseFormat responseFormat = OutputParser.responseFormat(body.get(ChatParameter.RESPONSE_FORMAT.key),
                tools);
        int maxTokens = ChatParameter.maxTokens(body, settings.maxTokensDefault(), Math.min(
                settings.maxTokensCeiling(), entitlement.maxTokensCeiling().orElse(Integer.MAX_VALUE)));
        Double temperature = ChatParameter.TEMPERATURE.number(body);
        Double topP = ChatParameter.TOP_P.number(body);
        List<String> stop = ChatParameter.stop(body);
        boolean stream = Boolean.TRUE.equals(ChatParameter.STREAM.bool(body));
        boolean includeUsage = ChatParameter.includeUsage(body, stream);
        ChatParameter.USER.string(body);
        ChatRequest.Reasoning reasoning = OutputParser.reasoning(body.get(ChatParameter.REASONING_EFFORT.key), alias,
                modelId, maxTokens);

        ChatRequest request = new ChatRequest(alias, modelId, system, turns, maxTokens, temperature, topP, stop,
                stream, includeUsage, tools, toolChoice, !Boolean.FALSE.equals(parallel), responseFormat, reasoning);
        return withCache(request, marks);
    }

    /**
     * The request with the operator's automatic prompt-cache points for its alias, if any, fitted to its
     * model: for a surface whose requests carry no markers of their own (the Responses API).
     */
    public ChatRequest withAutomaticCache(ChatRequest request) {
        return withCache(request, List.of());
    }

    /** The client's markers and the operator's automatic points, fitted to the model's rules ({@link CachePlacement}). */
    private ChatRequest withCache(ChatRequest request, List<ChatRequest.CachePoint> marks) {
        String automaticTtl = settings.promptCache().get(request.alias());
        return request.withCache(CachePlacement.fit(request.modelId(), marks,
                automaticTtl == null ? null : new CachePlacement.Automatic(automaticTtl.equals("1h")),
                request.toolChoice().mode() != ToolChoice.Mode.NONE && !request.tools().isEmpty(),
                request.tools().size(), request.system().size(), ChatTokenEstimate.prefix(request)));
    }
}
