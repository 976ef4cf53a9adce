package io.llmgateway.backend.internal;

import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.OpenAiError;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * {@code POST /v1/chat/completions}: parse, reserve tokens, call Converse within the deadline, settle.
 * Every path after the reservation settles it: to Bedrock's usage, to nothing when Bedrock refused the
 * call before a model ran, or to the whole reservation when the call may have been billed unanswered.
 */
final class ChatRoute {

    private final BedrockRuntimeClient bedrock;
    private final BackendSettings settings;
    private final ChatRequestParser parser;
    private final Metering metering;
    private final Clock clock;

    ChatRoute(BedrockRuntimeClient bedrock, BackendSettings settings, Metering metering, Clock clock) {
        this.bedrock = bedrock;
        this.settings = settings;
        this.parser = new ChatRequestParser(settings);
        this.metering = metering;
        this.clock = clock;
    }

    Reply handle(Request request, RequestLog line) {
        ChatRequest chat;
        try {
            Object json = ModelCalls.readJson(request, settings.maxRequestBytes(), line);
            line.put("stream", json instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("stream")));
            chat = parser.parse(json, ModelCalls.entitlement(metering, request, line));
        } catch (RequestError e) {
            return Reply.error(e);
        } catch (Refusal e) {
            return ModelCalls.refused(e, line);
        }

        long budget = request.budgetMs(clock, settings.integrationTimeoutMs());
        if (budget <= 0) {
            line.put("cause", "the deadline passed before the Bedrock call");
            return Reply.error(OpenAiError.timeout());
        }

        Metering.Reservation reservation;
        try {
            reservation = metering.reserve(request.caller(), chat.alias(), TokenEstimate.of(chat), chat.maxTokens(),
                    Deadline.invocationEnd(clock.instant(), budget));
        } catch (Refusal e) {
            return ModelCalls.refused(e, line);
        }
        ChatRequest sent = reservation.maxOutputTokens() == chat.maxTokens() ? chat : chat.withMaxTokens(reservation.maxOutputTokens());
        if (sent.reasoning() != chat.reasoning()) {
            // A thinking budget must stay below max_tokens: lowered with it, or dropped when the minimum no
            // longer fits.
            line.put("reasoning", sent.reasoning() == null ? "dropped" : "budget_lowered");
        }

        ConverseResponse response;
        try {
            line.put(BackendLog.BEDROCK_CALLS, 1);
            response = bedrock.converse(ConverseMapping.toConverse(sent, Duration.ofMillis(budget)));
        } catch (RuntimeException e) {
            return ModelCalls.failed(e, reservation, line);
        }
        // Bedrock counted these, whatever becomes of the answer.
        reservation.settle(ConverseMapping.inputTokens(response), ConverseMapping.outputTokens(response));
        ModelCalls.logged(reservation, line);
        Completion completion;
        try {
            completion = ConverseMapping.fromConverse(response, sent);
        } catch (RuntimeException e) {
            return ModelCalls.failed(e, line);
        }
        ModelCalls.tokens(line, completion.promptTokens(), completion.completionTokens());
        String id = "chatcmpl-" + request.caller().requestId();
        long created = clock.millis() / 1000;
        Map<String, String> headers = new LinkedHashMap<>(reservation.headers());
        if (chat.stream()) {
            headers.put(Headers.CACHE_CONTROL, "no-cache");
            return Reply.ok(Headers.EVENT_STREAM,
                    ChatCompletions.eventStream(id, created, chat.alias(), completion, chat.includeUsage()), headers);
        }
        return Reply.ok(Headers.JSON, Json.write(ChatCompletions.completion(id, created, chat.alias(), completion)),
                headers);
    }
}
