package io.llmgateway.common;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a configured model is for: chat completions (Bedrock's Converse API) or embeddings (InvokeModel
 * with a body each model family defines). It is a property of the model, so it follows from the model
 * id: the config infers it from there (or checks the kind an operator states) and the backend reads it
 * the same way, with this one function. Nothing about it travels in the backend's environment.
 */
public enum ModelKind {
    CHAT("chat"),
    EMBEDDING("embedding");

    private final String configName;

    ModelKind(String configName) {
        this.configName = configName;
    }

    /** How the config writes it: {@code chat} or {@code embedding}. */
    public String configName() {
        return configName;
    }

    public static Optional<ModelKind> named(String name) {
        return Arrays.stream(values()).filter(k -> k.configName.equals(name)).findFirst();
    }

    /**
     * The kind of a model: an embedding model when its name (after the provider) starts with
     * {@code embed} or has an {@code -embed} part, as every Bedrock embedding family does
     * ({@code amazon.titan-embed-text-v2:0}, {@code cohere.embed-v4:0},
     * {@code amazon.nova-2-multimodal-embeddings-v1:0}, {@code twelvelabs.marengo-embed-2-7-v1:0});
     * otherwise a chat model. Bedrock user guide, "Supported foundation models in Amazon Bedrock".
     */
    public static ModelKind of(BedrockModelId model) {
        String foundation = model.foundationModelId().toLowerCase(Locale.ROOT);
        String name = foundation.substring(foundation.indexOf('.') + 1);
        return name.startsWith("embed") || name.contains("-embed") ? EMBEDDING : CHAT;
    }

    /**
     * The embedding families the backend can call, each with its own InvokeModel body (Bedrock user
     * guide, "Amazon Titan Embeddings Text" and "Cohere Embed and Cohere Embed v4 models"), the output
     * dimensions it offers (the first is its default) and how many texts one call takes.
     */
    public enum EmbeddingFamily {
        /** {@code dimensions} 1024, 512 or 256; one text per call. */
        TITAN_TEXT_V2("Amazon Titan Text Embeddings V2", List.of("amazon.titan-embed-text-v2"), List.of(1024, 512, 256), 1),
        /** A fixed 1536 dimensions; one text per call. */
        TITAN_TEXT_V1("Amazon Titan Embeddings G1 - Text", List.of("amazon.titan-embed-text-v1"), List.of(1536), 1),
        /** A fixed 1024 dimensions; up to 96 texts per call. */
        COHERE_V3("Cohere Embed v3", List.of("cohere.embed-english-v3", "cohere.embed-multilingual-v3"), List.of(1024), 96),
        /** {@code output_dimension} 1536, 1024, 512 or 256; up to 96 texts per call. */
        COHERE_V4("Cohere Embed v4", List.of("cohere.embed-v4"), List.of(1536, 1024, 512, 256), 96);

        private final String title;
        private final List<String> idPrefixes;
        private final List<Integer> dimensions;
        private final int textsPerCall;

        EmbeddingFamily(String title, List<String> idPrefixes, List<Integer> dimensions, int textsPerCall) {
            this.title = title;
            this.idPrefixes = idPrefixes;
            this.dimensions = dimensions;
            this.textsPerCall = textsPerCall;
        }

        public String title() {
            return title;
        }

        /** The output dimensions the model offers; the first is what it gives when none is asked for. */
        public List<Integer> dimensions() {
            return dimensions;
        }

        public int defaultDimensions() {
            return dimensions.get(0);
        }

        /** How many texts one InvokeModel call may embed. */
        public int textsPerCall() {
            return textsPerCall;
        }

        public boolean isCohere() {
            return this == COHERE_V3 || this == COHERE_V4;
        }

        /** The family of an embedding model this gateway can call; empty for any other model. */
        public static Optional<EmbeddingFamily> of(BedrockModelId model) {
            String foundation = model.foundationModelId().toLowerCase(Locale.ROOT);
            return Arrays.stream(values())
                    .filter(f -> f.idPrefixes.stream().anyMatch(foundation::startsWith))
                    .findFirst();
        }

        /** The families for a message: {@code amazon.titan-embed-text-v2 (Amazon Titan Text Embeddings V2), ...}. */
        public static String supported() {
            return String.join(", ", Arrays.stream(values())
                    .map(f -> String.join(" or ", f.idPrefixes) + " (" + f.title + ")").toList());
        }
    }
}
