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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/**
 * {@code POST /v1/embeddings}: parse, reserve the estimated input tokens (and no output), call
 * InvokeModel once per batch the model allows within the deadline, settle. Every path after the
 * reservation settles it: to the tokens Bedrock counted for the batches answered, plus the estimate of a
 * failed batch that may have been billed; the log line says how many calls the request made.
 */
final class EmbeddingsRoute {

    private final BedrockRuntimeClient bedrock;
    private final BackendSettings settings;
    private final EmbeddingRequestParser parser;
    private final Metering metering;
    private final Clock clock;

    EmbeddingsRoute(BedrockRuntimeClient bedrock, BackendSettings settings, Metering metering, Clock clock) {
        this.bedrock = bedrock;
        this.settings = settings;
        this.parser = new EmbeddingRequestParser(settings);
        this.metering = metering;
        this.clock = clock;
    }

    Reply handle(Request request, RequestLog line) {
        EmbeddingRequest embedding;
        try {
            Object json = ModelCalls.readJson(request, settings.maxRequestBytes(), line);
            embedding = parser.parse(json, ModelCalls.entitlement(metering, request, line));
        } catch (RequestError e) {
            return Reply.error(e);
        } catch (Refusal e) {
            return ModelCalls.refused(e, line);
        }
        line.put("inputs", embedding.texts().size());

        long firstBudget = request.budgetMs(clock, settings.integrationTimeoutMs());
        if (firstBudget <= 0) {
            line.put("cause", "the deadline passed before the Bedrock call");
            return Reply.error(OpenAiError.timeout());
        }
        Metering.Reservation reservation;
        try {
            reservation = metering.reserve(request.caller(), embedding.alias(),
                    TokenEstimate.ofTexts(embedding.texts()), 0, Deadline.invocationEnd(clock.instant(), firstBudget));
        } catch (Refusal e) {
            return ModelCalls.refused(e, line);
        }

        List<List<Number>> vectors = new ArrayList<>(embedding.texts().size());
        int tokens = 0;
        int calls = 0;
        boolean estimated = false;
        line.put(BackendLog.BEDROCK_CALLS, calls);
        for (List<String> batch : EmbeddingMapping.batches(embedding)) {
            long budget = request.budgetMs(clock, settings.integrationTimeoutMs());
            if (budget <= 0) {
                // This batch and the rest are never sent: only what was answered is charged.
                line.put("cause", "the deadline passed before the Bedrock call");
                finish(reservation, tokens, false, batch, line);
                return Reply.error(OpenAiError.timeout());
            }
            InvokeModelResponse response;
            try {
                line.put(BackendLog.BEDROCK_CALLS, ++calls);
                response = bedrock.invokeModel(
                        EmbeddingMapping.toInvokeModel(embedding, batch, Duration.ofMillis(budget)));
            } catch (RuntimeException e) {
                finish(reservation, tokens, BedrockErrors.mayHaveBeenBilled(e), batch, line);
                return ModelCalls.failed(e, line);
            }
            EmbeddingMapping.Batch answer;
            try {
                answer = EmbeddingMapping.fromInvokeModel(embedding.family(), response, batch.size());
            } catch (RuntimeException e) {
                // Answered, so billed, in a shape that says nothing of it: the batch counts at its estimate.
                finish(reservation, tokens, true, batch, line);
                return ModelCalls.failed(e, line);
            }
            vectors.addAll(answer.vectors());
            if (answer.inputTokens().isPresent()) {
                tokens += answer.inputTokens().getAsInt();
            } else {
                tokens += TokenEstimate.ofTexts(batch);
                estimated = true;
            }
        }
        reservation.settle(tokens, 0);
        ModelCalls.logged(reservation, line);
        ModelCalls.tokens(line, tokens, 0);
        if (estimated) {
            line.put("inputTokensEstimated", true);
        }
        Map<String, String> headers = new LinkedHashMap<>(reservation.headers());
        return Reply.ok(Headers.JSON, Json.write(Embeddings.response(embedding.alias(), vectors, embedding.base64(),
                tokens)), headers);
    }

    /**
     * A request that ended at a failed batch: the batches answered are charged what Bedrock counted, the
     * failed one its estimate when it may have been billed (Bedrock has no cancel), and the batches never
     * sent go back.
     */
    private static void finish(Metering.Reservation reservation, int answered, boolean failedMayBeBilled,
                               List<String> failed, RequestLog line) {
        if (failedMayBeBilled) {
            reservation.chargeUnsettled(answered + TokenEstimate.ofTexts(failed), 0);
        } else if (answered > 0) {
            reservation.settle(answered, 0);
        } else {
            reservation.release();
        }
        ModelCalls.logged(reservation, line);
    }
}
