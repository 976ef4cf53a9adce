package io.llmgateway.backend.embeddings;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OpenAI's embeddings response: a list of {@code embedding} objects, the model and the usage. */
final class Embeddings {

    private Embeddings() {
    }

    static Map<String, Object> response(String model, List<List<Number>> vectors, boolean base64, int promptTokens) {
        List<Map<String, Object>> data = new ArrayList<>(vectors.size());
        for (int i = 0; i < vectors.size(); i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("object", "embedding");
            item.put("index", i);
            item.put("embedding", base64 ? base64(vectors.get(i)) : vectors.get(i));
            data.add(item);
        }
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("prompt_tokens", promptTokens);
        usage.put("total_tokens", promptTokens);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", data);
        body.put("model", model);
        body.put("usage", usage);
        return body;
    }

    /**
     * {@code encoding_format: base64}: the vector as little-endian IEEE 754 float32 values, base64-encoded,
     * which is what OpenAI sends and what its SDKs decode.
     */
    static String base64(List<Number> vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (Number value : vector) {
            bytes.putFloat(value.floatValue());
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
