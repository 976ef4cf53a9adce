package io.llmgateway.backend.responses;

import io.llmgateway.backend.bedrock.ConverseReplay;
import io.llmgateway.backend.chat.ChatRequest;
import io.llmgateway.backend.chat.ChatTokenEstimate;
import io.llmgateway.backend.chat.ConverseMapping;
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
import io.llmgateway.common.Usage;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;

/**
 * {@code POST /v1/responses}, OpenAI's Responses API: parsed into the chat route's request
 * ({@link ResponsesRequestParser}), sent as one Converse call through the metered-call template exactly as
 * chat completions send it ({@link ConverseMapping}), and answered from the Converse events
 * ({@link ResponseEvents}): a Response object, or with {@code stream: true} its server-sent events. On a
 * streaming integration a stream is ConverseStream's events as they arrive ({@link ResponseStream},
 * {@code ConverseStreaming}); elsewhere it is one Converse answer replayed as those events and written
 * whole. Either way a failure before the first byte is an HTTP error with OpenAI's error body, which
 * every client reports with its message (a 200 with {@code response.failed} would make Codex and the
 * SDKs retry, and loses the message in some); after it, {@code response.failed} ends the stream.
 */
public final class ResponsesRoute {

    private final BedrockRuntimeClient bedrock;
    private final BedrockRuntimeAsyncClient bedrockStreams;
    private final boolean streams;
    private final BackendSettings settings;
    private final ResponsesRequestParser parser;
    private final MeteredCalls calls;
    private final Clock clock;
    private final StoredResponses stored;

    /**
     * @param bedrockStreams the client for ConverseStream, or null to answer {@code stream: true} from one
     *                       Converse call, written whole
     * @param calls          the template, with this route's integration timeout
     */
    public ResponsesRoute(BedrockRuntimeClient bedrock, BedrockRuntimeAsyncClient bedrockStreams,
                          BackendSettings settings, MeteredCalls calls, Clock clock) {
        this(bedrock, bedrockStreams, settings, calls, clock, null);
    }

    /** @param stored where responses are kept, or null when the stack keeps none */
    public ResponsesRoute(BedrockRuntimeClient bedrock, BedrockRuntimeAsyncClient bedrockStreams,
                          BackendSettings settings, MeteredCalls calls, Clock clock, StoredResponses stored) {
        this.bedrock = bedrock;
        this.bedrockStreams = bedrockStreams;
        this.streams = bedrockStreams != null && settings.streams(Route.RESPONSES.throttlePath());
        this.settings = settings;
        this.parser = new ResponsesRequestParser(settings, stored != null);
        this.calls = calls;
        this.clock = clock;
        this.stored = stored;
    }

    public Reply handle(ProxyRequest request, RequestLog line) {
        ResponsesRequest responses;
        ModelTarget target;
        Keeping keeping;
        try {
            Object json = request.jsonBody(settings.maxRequestBytes(), line);
            line.put("stream", json instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("stream")));
            Metering.Entitlement entitlement = calls.entitlement(request, line);
            Map<?, ?> body = ResponsesRequestParser.body(json);
            String previous = parser.previousResponseId(body);
            List<Object> history = previous == null ? List.of()
                    : stored.history(previous, request.apiKeyId(), line);
            responses = parser.parse(json, entitlement, history);
            keeping = parser.storing(body) ? new Keeping(request.apiKeyId(), body.get("input"), history) : null;
            // The plan's inference profile and guardrail, exactly as for chat completions.
            target = ModelTarget.of(entitlement, responses.chat().alias(), responses.chat().modelId());
        } catch (RequestError e) {
            return Reply.error(e);
        } catch (Refusal e) {
            return MeteredCalls.refused(e, line);
        }
        ChatRequest chat = responses.chat();
        chat.cache().logFields().forEach(line::put);
        return calls.run(request, line, new MeteredCalls.Ask(chat.alias(), ChatTokenEstimate.of(chat),
                chat.maxTokens(), target.guardrail().isPresent() ? ChatTokenEstimate.guardedTextUnits(chat) : 0,
                chat.cache().writes()), call -> answer(request, responses, target, call, keeping, line));
    }

    /** What storing this request's response needs: who asked, its input, and the history before it. */
    private record Keeping(String owner, Object input, List<Object> history) {
    }

    /** Stores the finished response when the request is to be kept; whether it was. */
    private boolean keep(Keeping keeping, Map<String, Object> response, RequestLog line) {
        return keeping != null && stored.keep(keeping.owner(), response, keeping.input(), keeping.history(), line);
    }

    private Reply answer(ProxyRequest request, ResponsesRequest responses, ModelTarget target, MeteredCall call,
                         Keeping keeping, RequestLog line) {
        ChatRequest chat = responses.chat();
        ChatRequest sent = call.maxOutputTokens() == chat.maxTokens() ? chat : chat.withMaxTokens(call.maxOutputTokens());
        if (sent.reasoning() != chat.reasoning()) {
            line.put("reasoning", sent.reasoning() == null ? "dropped" : "budget_lowered");
        }
        line.put(BackendLog.BEDROCK_CALLS, 1);
        ResponsesRequest answered = new ResponsesRequest(sent, responses.names(), responses.echoed(), responses.stream());
        String id = responseId(request.requestId());
        Duration timeout = Duration.ofMillis(call.budgetMs());
        if (responses.stream() && streams) {
            return Reply.streamed(Headers.EVENT_STREAM, Map.of(Headers.CACHE_CONTROL, "no-cache"),
                    ConverseStreaming.start(call, bedrockStreams, ConverseMapping.toConverseStream(sent, target, timeout),
                            new ResponseStream(id, clock, chat.alias(), answered,
                                    keeping == null ? null : response -> keep(keeping, response, line)), line));
        }
        ConverseResponse response = call.send(() -> bedrock.converse(ConverseMapping.toConverse(sent, target, timeout)));
        Usage usage = ConverseMapping.usage(response);
        call.counted(usage);
        if (target.guardrail().isPresent()) {
            GuardrailOutcome guardrail = GuardrailOutcome.of(response.trace());
            call.guardrailUnits(guardrail.units());
            line.guardrail(guardrail);
        }
        line.tokens(usage);
        StringBuilder stream = responses.stream() ? new StringBuilder() : null;
        ResponseEvents events = new ResponseEvents(id, clock.millis() / 1000, chat.alias(), answered,
                stream == null ? null : stream::append);
        events.begin();
        for (ConverseStreamOutput event : ConverseReplay.events(response)) {
            events.accept(event);
        }
        Map<String, Object> body = events.end(clock.millis() / 1000);
        if (keeping != null && !keep(keeping, body, line) && stream == null) {
            // Not kept (too large for an item, or the store failed): the answer says so.
            body = new java.util.LinkedHashMap<>(body);
            body.put("store", false);
        }
        if (stream != null) {
            return Reply.ok(Headers.EVENT_STREAM, stream.toString(), Map.of(Headers.CACHE_CONTROL, "no-cache"));
        }
        return Reply.ok(Headers.JSON, Json.write(body), Map.of());
    }

    /** {@code resp_} and the request's id, letters and digits only: one id per request, stable across its events. */
    static String responseId(String requestId) {
        StringBuilder id = new StringBuilder("resp_");
        for (char c : requestId.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 0x80) {
                id.append(c);
            }
        }
        return id.toString();
    }
}
