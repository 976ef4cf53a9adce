package io.llmgateway.backend.embeddings;

import io.llmgateway.backend.internal.MeteredCall;
import io.llmgateway.backend.internal.MeteredCalls;
import io.llmgateway.backend.internal.ProxyRequest;
import io.llmgateway.backend.internal.Reply;
import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.backend.internal.RequestLog;
import io.llmgateway.backend.internal.TokenEstimate;
import io.llmgateway.backend.metering.Refusal;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.OpenAiError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/**
 * {@code POST /v1/embeddings}: parse, then InvokeModel once per batch the model allows within the
 * deadline, through the metered-call template ({@link MeteredCalls}): the estimated input tokens are
 * reserved (and no output), and settled to the tokens Bedrock counted for the batches answered, plus
 * the estimate of a failed batch that may have been billed; the batches never sent go back. The log
 * line says how many calls the request made.
 */
public final class EmbeddingsRoute {

    private final BedrockRuntimeClient bedrock;
    private final BackendSettings settings;
    private final EmbeddingRequestParser parser;
    private final MeteredCalls calls;

    public EmbeddingsRoute(BedrockRuntimeClient bedrock, BackendSettings settings, MeteredCalls calls) {
        this.bedrock = bedrock;
        this.settings = settings;
        this.parser = new EmbeddingRequestParser(settings);
        this.calls = calls;
    }

    public Reply handle(ProxyRequest request, RequestLog line) {
        EmbeddingRequest embedding;
        try {
            Object json = request.jsonBody(settings.maxRequestBytes(), line);
            embedding = parser.parse(json, calls.entitlement(request, line));
        } catch (RequestError e) {
            return Reply.error(e);
        } catch (Refusal e) {
            return MeteredCalls.refused(e, line);
        }
        line.put("inputs", embedding.texts().size());
        return calls.run(request, line, new MeteredCalls.Ask(embedding.alias(),
                TokenEstimate.ofTexts(embedding.texts()), 0), call -> answer(embedding, call, line));
    }

    private Reply answer(EmbeddingRequest embedding, MeteredCall call, RequestLog line) {
        List<List<Number>> vectors = new ArrayList<>(embedding.texts().size());
        int calls = 0;
        boolean estimated = false;
        line.put(BackendLog.BEDROCK_CALLS, calls);
        for (List<String> batch : EmbeddingMapping.batches(embedding)) {
            long budget = call.remainingMs();
            if (budget <= 0) {
                // This batch and the rest are never sent: only what was answered is charged.
                line.put("cause", "the deadline passed before the Bedrock call");
                return Reply.error(OpenAiError.timeout());
            }
            line.put(BackendLog.BEDROCK_CALLS, ++calls);
            int estimate = TokenEstimate.ofTexts(batch);
            InvokeModelResponse response = call.send(estimate, 0, () -> bedrock.invokeModel(
                    EmbeddingMapping.toInvokeModel(embedding, batch, Duration.ofMillis(budget))));
            // Answered, so billed: an answer in a shape that says nothing of it counts at its estimate.
            EmbeddingMapping.Batch answer = EmbeddingMapping.fromInvokeModel(embedding.family(), response, batch.size());
            vectors.addAll(answer.vectors());
            if (answer.inputTokens().isPresent()) {
                call.counted(answer.inputTokens().getAsInt(), 0);
            } else {
                call.counted(estimate, 0);
                estimated = true;
            }
        }
        int tokens = call.inputTokens();
        line.tokens(tokens, 0);
        if (estimated) {
            line.put("inputTokensEstimated", true);
        }
        return Reply.ok(Headers.JSON, Json.write(Embeddings.response(embedding.alias(), vectors, embedding.base64(),
                tokens)), Map.of());
    }
}
