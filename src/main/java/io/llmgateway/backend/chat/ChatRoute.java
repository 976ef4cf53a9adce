package io.llmgateway.backend.chat;

import io.llmgateway.backend.internal.ConverseStreaming;
import io.llmgateway.backend.internal.GuardrailOutcome;
import io.llmgateway.backend.internal.MeteredCall;
import io.llmgateway.backend.internal.MeteredCalls;
import io.llmgateway.backend.internal.ModelTarget;
import io.llmgateway.backend.internal.ProxyRequest;
import io.llmgateway.backend.internal.Reply;
import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.backend.internal.RequestLog;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * {@code POST /v1/chat/completions}: parse, then one Converse call within the deadline through the
 * metered-call template ({@link MeteredCalls}), which reserves the tokens and settles them. With
 * {@code stream: true} on a streaming integration the call is ConverseStream instead, and its events
 * reach the client as chunks while the model generates them ({@link ChatChunks}, {@link ConverseStreaming}).
 */
public final class ChatRoute {

    private final BedrockRuntimeClient bedrock;
    private final BedrockRuntimeAsyncClient bedrockStreams;
    private final boolean streams;
    private final BackendSettings settings;
    private final ChatRequestParser parser;
    private final MeteredCalls calls;
    private final Clock clock;

    /**
     * @param bedrockStreams the client for ConverseStream, or null to answer {@code stream: true} from one
     *                       Converse call, written whole
     * @param calls          the template, with this route's integration timeout
     */
    public ChatRoute(BedrockRuntimeClient bedrock, BedrockRuntimeAsyncClient bedrockStreams, BackendSettings settings,
                     MeteredCalls calls, Clock clock) {
        this.bedrock = bedrock;
        this.bedrockStreams = bedrockStreams;
        this.streams = bedrockStreams != null && settings.streams(Route.CHAT_COMPLETIONS.throttlePath());
        this.settings = settings;
        this.parser = new ChatRequestParser(settings);
        this.calls = calls;
        this.clock = clock;
    }

    public Reply handle(ProxyRequest request, RequestLog line) {
        ChatRequest chat;
        ModelTarget target;
        try {
            Object json = request.jsonBody(settings.maxRequestBytes(), line);
            line.put("stream", json instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("stream")));
            Metering.Entitlement entitlement = calls.entitlement(request, line);
            chat = parser.parse(json, entitlement);
            target = ModelTarget.of(entitlement, chat.alias(), chat.modelId());
        } catch (RequestError e) {
            return Reply.error(e);
        } catch (Refusal e) {
            return MeteredCalls.refused(e, line);
        }
        chat.cache().logFields().forEach(line::put);
        return calls.run(request, line, new MeteredCalls.Ask(chat.alias(), ChatTokenEstimate.of(chat),
                chat.maxTokens(), target.guardrail().isPresent() ? ChatTokenEstimate.guardedTextUnits(chat) : 0,
                chat.cache().writes()), call -> answer(request, chat, target, call, line));
    }

    private Reply answer(ProxyRequest request, ChatRequest chat, ModelTarget target, MeteredCall call,
                         RequestLog line) {
        ChatRequest sent = call.maxOutputTokens() == chat.maxTokens() ? chat : chat.withMaxTokens(call.maxOutputTokens());
        if (sent.reasoning() != chat.reasoning()) {
            // A thinking budget must stay below max_tokens: lowered with it, or dropped when the minimum no
            // longer fits.
            line.put("reasoning", sent.reasoning() == null ? "dropped" : "budget_lowered");
        }
        line.put(BackendLog.BEDROCK_CALLS, 1);
        String id = "chatcmpl-" + request.requestId();
        long created = clock.millis() / 1000;
        Duration timeout = Duration.ofMillis(call.budgetMs());
        if (chat.stream() && streams) {
            return Reply.streamed(Headers.EVENT_STREAM, Map.of(Headers.CACHE_CONTROL, "no-cache"),
                    ConverseStreaming.start(call, bedrockStreams, ConverseMapping.toConverseStream(sent, target, timeout),
                            new ChatChunks(id, created, sent), line));
        }
        ConverseResponse response = call.send(
                () -> bedrock.converse(ConverseMapping.toConverse(sent, target, timeout)));
        // Bedrock counted these, whatever becomes of the answer.
        call.counted(ConverseMapping.usage(response));
        if (target.guardrail().isPresent()) {
            GuardrailOutcome guardrail = GuardrailOutcome.of(response.trace());
            call.guardrailUnits(guardrail.units());
            line.guardrail(guardrail);
        }
        Completion completion = ConverseMapping.fromConverse(response, sent);
        line.tokens(completion.usage());
        if (chat.stream()) {
            return Reply.ok(Headers.EVENT_STREAM,
                    ChatCompletions.eventStream(id, created, chat.alias(), completion, chat.includeUsage()),
                    Map.of(Headers.CACHE_CONTROL, "no-cache"));
        }
        return Reply.ok(Headers.JSON, Json.write(ChatCompletions.completion(id, created, chat.alias(), completion)),
                Map.of());
    }
}
