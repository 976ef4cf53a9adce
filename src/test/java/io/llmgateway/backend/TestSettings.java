package io.llmgateway.backend;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.contract.Route;
import java.util.LinkedHashMap;
import java.util.Map;

/** The backend settings the tests run with. */
public final class TestSettings {

    public static final String HAIKU = "claude-haiku";
    public static final String HAIKU_ID = "anthropic.claude-3-haiku-20240307-v1:0";
    public static final String NOVA = "nova-pro";
    public static final String NOVA_ID = "us.amazon.nova-pro-v1:0";
    public static final String TITAN = "titan-embed";
    public static final String TITAN_ID = "amazon.titan-embed-text-v2:0";
    public static final String COHERE = "cohere-embed";
    public static final String COHERE_ID = "cohere.embed-english-v3";
    public static final int MAX_TOKENS_DEFAULT = 512;
    public static final int MAX_TOKENS_CEILING = 4096;
    public static final int MAX_REQUEST_BYTES = 64 * 1024;
    public static final int INTEGRATION_TIMEOUT_MS = 29_000;
    /** Two requests per second on chat completions in every plan: 120 per minute. */
    public static final double CHAT_RATE = 2.0;

    private TestSettings() {
    }

    public static BackendSettings settings() {
        return settings(INTEGRATION_TIMEOUT_MS);
    }

    public static BackendSettings settings(int integrationTimeoutMs) {
        Map<String, String> models = new LinkedHashMap<>();
        models.put(HAIKU, HAIKU_ID);
        models.put(NOVA, NOVA_ID);
        models.put(TITAN, TITAN_ID);
        models.put(COHERE, COHERE_ID);
        return new BackendSettings(models, MAX_TOKENS_DEFAULT, MAX_TOKENS_CEILING, MAX_REQUEST_BYTES,
                integrationTimeoutMs, Map.of(Route.CHAT_COMPLETIONS.throttlePath(), CHAT_RATE));
    }
}
