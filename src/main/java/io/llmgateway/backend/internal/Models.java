package io.llmgateway.backend.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code GET /v1/models}: the configured aliases in OpenAI's list shape. */
public final class Models {

    /** The geography prefixes of cross-Region inference-profile ids ({@code us.anthropic.claude-...}). */
    private static final Set<String> PROFILE_PREFIXES = Set.of("us", "eu", "apac", "jp", "au", "ca", "global", "us-gov");

    private Models() {
    }

    public static Map<String, Object> list(Map<String, String> aliases) {
        List<Map<String, Object>> data = new ArrayList<>(aliases.size());
        aliases.forEach((alias, modelId) -> {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("id", alias);
            model.put("object", "model");
            model.put("created", 0);
            model.put("owned_by", ownedBy(modelId));
            data.add(model);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", data);
        return body;
    }

    /**
     * The provider segment of a Bedrock model id: {@code anthropic} for
     * {@code anthropic.claude-3-haiku-20240307-v1:0}, for {@code us.anthropic.claude-...} and for an
     * inference-profile ARN ending in either. {@code bedrock} when the id names no provider (an
     * application inference profile's ARN).
     */
    static String ownedBy(String modelId) {
        String id = modelId.substring(modelId.lastIndexOf('/') + 1);
        String[] segments = id.split("\\.");
        if (segments.length >= 3 && PROFILE_PREFIXES.contains(segments[0])) {
            return segments[1];
        }
        return segments.length >= 2 && !segments[0].isEmpty() ? segments[0] : "bedrock";
    }
}
