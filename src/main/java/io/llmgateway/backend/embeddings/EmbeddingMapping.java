package io.llmgateway.backend.embeddings;

import io.llmgateway.common.Json;
import io.llmgateway.common.ModelKind.EmbeddingFamily;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;

/**
 * The InvokeModel bodies of Bedrock's embedding families and their answers (Bedrock user guide, "Amazon
 * Titan Embeddings Text" and "Cohere Embed and Cohere Embed v4 models"):
 * <ul>
 *   <li>Titan Text v2: {@code {"inputText", "dimensions", "normalize": true}} answered by
 *       {@code {"embedding": [...], "inputTextTokenCount": n}}; v1 takes {@code inputText} alone;</li>
 *   <li>Cohere v3: {@code {"texts": [...], "input_type"}} answered by {@code {"embeddings": [[...]], ...}};
 *       v4 also takes {@code "embedding_types": ["float"]} and {@code output_dimension} and answers
 *       {@code {"embeddings": {"float": [[...]]}, ...}}.</li>
 * </ul>
 * Vectors are normalized, as OpenAI's are: Titan v2 is asked to normalize; Cohere's come normalized.
 */
final class EmbeddingMapping {

    /**
     * Bedrock's own count of a call's input tokens. Titan's body carries it ({@code inputTextTokenCount});
     * for Cohere, Bedrock sends it as this InvokeModel response header (it is not among the response
     * elements of the InvokeModel API reference, but boto3 users read it from
     * {@code ResponseMetadata.HTTPHeaders}, and LiteLLM's Bedrock handler does the same), and Cohere's own
     * {@code meta.billed_units.input_tokens} when the body has it. When neither says, the route counts its
     * estimate and logs that it did.
     */
    static final String INPUT_TOKEN_COUNT_HEADER = "X-Amzn-Bedrock-Input-Token-Count";

    /** One call's vectors and input tokens (empty when neither the body nor the headers said). */
    record Batch(List<List<Number>> vectors, OptionalInt inputTokens) {
    }

    private EmbeddingMapping() {
    }

    /** The texts of each call, in order: one per call for Titan, up to 96 for Cohere. */
    static List<List<String>> batches(EmbeddingRequest request) {
        int size = request.family().textsPerCall();
        List<List<String>> batches = new ArrayList<>();
        for (int i = 0; i < request.texts().size(); i += size) {
            batches.add(request.texts().subList(i, Math.min(request.texts().size(), i + size)));
        }
        return batches;
    }

    static InvokeModelRequest toInvokeModel(EmbeddingRequest request, List<String> texts, Duration timeout) {
        return InvokeModelRequest.builder()
                .modelId(request.modelId())
                .contentType("application/json")
                .accept("application/json")
                .body(SdkBytes.fromByteArray(Json.writeBytes(body(request, texts))))
                .overrideConfiguration(AwsRequestOverrideConfiguration.builder().apiCallTimeout(timeout).build())
                .build();
    }

    static Map<String, Object> body(EmbeddingRequest request, List<String> texts) {
        Map<String, Object> body = new LinkedHashMap<>();
        switch (request.family()) {
            case TITAN_TEXT_V2 -> {
                body.put("inputText", texts.get(0));
                body.put("dimensions", request.dimensions() == null ? request.family().defaultDimensions()
                        : request.dimensions());
                body.put("normalize", true);
            }
            case TITAN_TEXT_V1 -> body.put("inputText", texts.get(0));
            case COHERE_V3 -> {
                body.put("texts", texts);
                body.put("input_type", request.inputType());
            }
            case COHERE_V4 -> {
                body.put("texts", texts);
                body.put("input_type", request.inputType());
                body.put("embedding_types", List.of("float"));
                if (request.dimensions() != null) {
                    body.put("output_dimension", request.dimensions());
                }
            }
            default -> throw new IllegalStateException("unknown embedding family " + request.family());
        }
        return body;
    }

    /**
     * @param expected how many vectors the call must return
     * @throws IllegalStateException when the answer is not the family's shape (a fault of the model, not the client)
     */
    static Batch fromInvokeModel(EmbeddingFamily family, InvokeModelResponse response, int expected) {
        Map<?, ?> body;
        try {
            body = Json.read(response.body().asByteArray()) instanceof Map<?, ?> map ? map : null;
        } catch (IOException e) {
            body = null;
        }
        if (body == null) {
            throw new IllegalStateException("the embedding answer is not a JSON object");
        }
        List<List<Number>> vectors = new ArrayList<>(expected);
        OptionalInt tokens = OptionalInt.empty();
        if (family.isCohere()) {
            Object embeddings = body.get("embeddings");
            if (embeddings instanceof Map<?, ?> byType) {
                embeddings = byType.get("float"); // embeddings_by_type
            }
            if (embeddings instanceof List<?> list) {
                for (Object vector : list) {
                    vectors.add(vector(vector));
                }
            }
        } else {
            vectors.add(vector(body.get("embedding")));
            if (body.get("inputTextTokenCount") instanceof Number n) {
                tokens = OptionalInt.of(n.intValue());
            }
        }
        if (vectors.size() != expected) {
            throw new IllegalStateException("the embedding answer holds " + vectors.size() + " vectors for "
                    + expected + " texts");
        }
        if (tokens.isEmpty()) {
            tokens = headerCount(response);
        }
        if (tokens.isEmpty() && body.get("meta") instanceof Map<?, ?> meta
                && meta.get("billed_units") instanceof Map<?, ?> billed && billed.get("input_tokens") instanceof Number n) {
            tokens = OptionalInt.of(n.intValue());
        }
        return new Batch(vectors, tokens);
    }

    private static OptionalInt headerCount(InvokeModelResponse response) {
        if (response.sdkHttpResponse() == null) {
            return OptionalInt.empty();
        }
        return response.sdkHttpResponse().firstMatchingHeader(INPUT_TOKEN_COUNT_HEADER).map(value -> {
            try {
                return OptionalInt.of(Integer.parseInt(value.trim()));
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
        }).orElse(OptionalInt.empty());
    }

    private static List<Number> vector(Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalStateException("an embedding is not an array of numbers");
        }
        List<Number> vector = new ArrayList<>(list.size());
        for (Object item : list) {
            if (!(item instanceof Number n)) {
                throw new IllegalStateException("an embedding is not an array of numbers");
            }
            vector.add(n);
        }
        return vector;
    }
}
