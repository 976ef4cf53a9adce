package io.llmgateway.backend.embeddings;

import static io.llmgateway.backend.internal.Fields.integer;
import static io.llmgateway.backend.internal.Fields.optional;
import static io.llmgateway.backend.internal.Fields.requiredString;
import static io.llmgateway.backend.internal.Fields.typeError;

import io.llmgateway.backend.internal.ConfiguredModel;
import io.llmgateway.backend.internal.Fields;
import io.llmgateway.backend.internal.RequestError;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.ModelKind.EmbeddingFamily;
import io.llmgateway.common.ModelKind;
import io.llmgateway.common.Text;
import io.llmgateway.contract.OpenAiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns an OpenAI embeddings body ({@code model}, {@code input}, {@code dimensions},
 * {@code encoding_format}, {@code user}) into an {@link EmbeddingRequest}, or refuses it naming the field.
 * Cohere's {@code input_type} is accepted as an extension, as LiteLLM accepts it.
 */
final class EmbeddingRequestParser {

    /** Cohere Embed's input types; the first is what a request without one gets (embedding documents for search). */
    static final List<String> COHERE_INPUT_TYPES = List.of("search_document", "search_query", "classification", "clustering");

    private final BackendSettings settings;

    EmbeddingRequestParser(BackendSettings settings) {
        this.settings = settings;
    }

    EmbeddingRequest parse(Object json, Metering.Entitlement entitlement) throws RequestError {
        if (!(json instanceof Map<?, ?> body)) {
            throw new RequestError(OpenAiError.invalidType(null,
                    "The request body must be a JSON object, but got " + Fields.describe(json) + " instead."));
        }
        String alias = requiredString(body, "model");
        ConfiguredModel model = ConfiguredModel.lookup(settings, entitlement, alias, ModelKind.EMBEDDING);
        Optional<EmbeddingFamily> family = EmbeddingFamily.of(model.id());
        if (family.isEmpty()) {
            // The config refuses such a model; only a hand-edited environment gets here.
            throw new IllegalStateException("no embedding family for the configured model " + model.modelId());
        }
        List<String> texts = input(body.get("input"), settings.maxEmbeddingInputs());
        Integer dimensions = dimensions(body.get("dimensions"), family.get());
        boolean base64 = encodingFormat(body.get("encoding_format"));
        optional(body, "user", String.class, "a string");
        String inputType = inputType(body.get("input_type"), family.get());
        return new EmbeddingRequest(alias, model.modelId(), family.get(), texts, dimensions, base64, inputType);
    }

    /** @param maxInputs the deployment's bound ({@code maxEmbeddingInputs}), at most OpenAI's 2,048 */
    private static List<String> input(Object value, int maxInputs) throws RequestError {
        if (value == null) {
            throw new RequestError(OpenAiError.missingParameter("input"));
        }
        if (value instanceof String text) {
            return List.of(nonEmpty("input", text));
        }
        if (!(value instanceof List<?> list)) {
            throw typeError("input", "a string or an array of strings", value);
        }
        if (list.isEmpty()) {
            throw new RequestError(OpenAiError.invalidValue("input",
                    "Invalid 'input': empty array. Expected an array with minimum length 1."));
        }
        if (list.size() > maxInputs) {
            throw new RequestError(OpenAiError.invalidValue("input", "Invalid 'input': array too long. Expected an "
                    + "array with maximum length " + maxInputs + ", but got an array with length " + list.size()
                    + " instead. This gateway's limit (its maxEmbeddingInputs setting) bounds the model calls one "
                    + "request makes; send the inputs in smaller batches."));
        }
        List<String> texts = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            String at = "input[" + i + "]";
            if (item instanceof Number || item instanceof List) {
                // OpenAI also takes token ids of its own tokenizers, which mean nothing to Bedrock's models.
                throw new RequestError(OpenAiError.unsupported(at, "Token arrays are not supported by this "
                        + "gateway: Bedrock's embedding models tokenize themselves. Send text."));
            }
            if (!(item instanceof String text)) {
                throw typeError(at, "a string", item);
            }
            texts.add(nonEmpty(at, text));
        }
        return texts;
    }

    private static String nonEmpty(String param, String text) throws RequestError {
        if (text.isEmpty()) {
            throw new RequestError(OpenAiError.invalidValue(param,
                    "Invalid '" + param + "': empty string. Expected a non-empty string."));
        }
        return text;
    }

    private static Integer dimensions(Object value, EmbeddingFamily family) throws RequestError {
        if (value == null) {
            return null;
        }
        long dimensions = integer("dimensions", value);
        if (!family.dimensions().contains((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, dimensions)))) {
            throw new RequestError(OpenAiError.invalidValue("dimensions", "Invalid 'dimensions': "
                    + Text.truncate(String.valueOf(value)) + ". " + family.title() + " offers "
                    + family.dimensions().stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " (default " + family.defaultDimensions() + ")."));
        }
        return (int) dimensions;
    }

    private static boolean encodingFormat(Object value) throws RequestError {
        if (value == null || "float".equals(value)) {
            return false;
        }
        if ("base64".equals(value)) {
            return true;
        }
        if (!(value instanceof String s)) {
            throw typeError("encoding_format", "a string", value);
        }
        throw new RequestError(OpenAiError.invalidValue("encoding_format", "Invalid value: " + Text.quote(s)
                + ". Supported values are: 'float' and 'base64'."));
    }

    private static String inputType(Object value, EmbeddingFamily family) throws RequestError {
        if (value == null) {
            return family.isCohere() ? COHERE_INPUT_TYPES.get(0) : null;
        }
        if (!family.isCohere()) {
            throw new RequestError(OpenAiError.unsupported("input_type", "'input_type' is a Cohere Embed "
                    + "parameter; " + family.title() + " has none."));
        }
        if (!(value instanceof String s)) {
            throw typeError("input_type", "a string", value);
        }
        if (!COHERE_INPUT_TYPES.contains(s)) {
            throw new RequestError(OpenAiError.invalidValue("input_type", "Invalid value: " + Text.quote(s)
                    + ". Supported values are: " + COHERE_INPUT_TYPES.stream().map(t -> "'" + t + "'")
                    .collect(Collectors.joining(", ")) + "."));
        }
        return s;
    }
}
