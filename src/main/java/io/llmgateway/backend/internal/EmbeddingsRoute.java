package io.llmgateway.backend.internal;

import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.OpenAiError;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/**
 * {@code POST /v1/embeddings}: parse, reserve the estimated input tokens (and no output), call
 * InvokeModel once per batch the model allows within the deadline, settle. Every path after the
 * reservation settles it to the tokens Bedrock counted so far, or releases it when none were.
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
            embedding = parser.parse(json, line.entitled(metering.entitlement(request.caller())));
        } catch (RequestError e) {
            return Reply.error(e);
        }
        line.put("inputs", embedding.texts().size());

        long firstBudget = request.budgetMs(clock, settings.integrationTimeoutMs());
        if (firstBudget <= 0) {
            line.put("cause", "the deadline passed before the Bedrock call");
            return Reply.error(OpenAiError.timeout());
        }
        Metering.Reservation reservation;
        try {
            reservation = metering.reserve(request.caller(), embedding.alias(), TokenEstimate.ofTexts(embedding.texts()), 0,
                    Deadline.invocationEnd(clock.instant(), firstBudget));
        } catch (Refusal e) {
            return ModelCalls.refused(e, line);
        }

        List<List<Number>> vectors = new ArrayList<>(embedding.texts().size());
        int tokens = 0;
        boolean estimated = false;
        for (List<String> batch : EmbeddingMapping.batches(embedding)) {
            long budget = request.budgetMs(clock, settings.integrationTimeoutMs());
            EmbeddingMapping.Batch answer;
            try {
                if (budget <= 0) {
                    throw ApiCallTimeoutException.create(settings.integrationTimeoutMs());
                }
                InvokeModelResponse response = bedrock.invokeModel(
                        EmbeddingMapping.toInvokeModel(embedding, batch, Duration.ofMillis(budget)));
                answer = EmbeddingMapping.fromInvokeModel(embedding.family(), response, batch.size());
            } catch (RuntimeException e) {
                // Whatever Bedrock already counted was spent; the rest goes back.
                if (tokens > 0) {
                    reservation.settle(tokens, 0);
                } else {
                    reservation.release();
                }
                ModelCalls.logged(reservation, line);
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
}
