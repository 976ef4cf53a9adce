package io.llmgateway.common;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the backend Lambda needs to know, and how it travels: as environment variables that the
 * stack sets on the function and the local gateway builds the same way. The encoding lives here,
 * once, for both sides.
 *
 * @param models              public model alias to Bedrock model id or inference-profile id
 * @param maxTokensDefault    max_tokens when the request sets none
 * @param maxTokensCeiling    the largest max_tokens a request may ask for
 * @param maxRequestBytes     the largest request body the backend accepts (413 above)
 * @param integrationTimeoutMs API Gateway's integration timeout; the backend ends its Bedrock call before it
 * @param planRatePerRoute    per route ({@link Route#throttlePath()}), the plan rate in requests per
 *                            second when every usage plan gives that route the same rate; only then is
 *                            {@code x-ratelimit-limit-requests} true for every caller
 * @param corsOrigins         the browser origins whose requests get CORS headers (config
 *                            {@code cors.allowedOrigins}); empty when CORS is off
 * @param maxEmbeddingInputs  the most inputs one embeddings request may carry (config
 *                            {@code maxEmbeddingInputs}): it bounds the Bedrock calls of one request
 * @param streamingRoutes     per route whose integration streams ({@code Route#throttlePath()}), its
 *                            integration timeout in ms (config {@code streaming}); empty when streaming
 *                            is off. Such a route answers in the streaming format, and its deadline
 *                            is its own timeout ({@link #integrationTimeoutMs(String)})
 * @param promptCache         per model alias whose prompt the backend caches by itself (config
 *                            {@code models.<alias>.promptCache}), the TTL of its automatic cache points:
 *                            {@code 5m} or {@code 1h}; empty when no alias has it
 */
public record BackendSettings(
        Map<String, String> models,
        int maxTokensDefault,
        int maxTokensCeiling,
        int maxRequestBytes,
        int integrationTimeoutMs,
        Map<String, Double> planRatePerRoute,
        List<String> corsOrigins,
        int maxEmbeddingInputs,
        Map<String, Integer> streamingRoutes,
        Map<String, String> promptCache) {

    /** OpenAI's limit on the inputs of one embeddings request, and so the most the config may allow. */
    public static final int MAX_EMBEDDING_INPUTS = 2048;
    /**
     * The config's default: 256 texts are 256 Titan calls (about 5 s at 20 ms each, well inside the
     * 29 s integration timeout) or 3 Cohere calls. Clients that send more per request (LangChain's
     * OpenAIEmbeddings sends 1,000 by default) lower their batch size or the operators raise this.
     */
    public static final int DEFAULT_MAX_EMBEDDING_INPUTS = 256;

    public static final String ENV_MODELS = "LLM_GATEWAY_MODELS";
    /**
     * The scalar limits, in one variable to spare the 4 KB environment (about 140 bytes against five
     * variables): whole numbers separated by spaces, in {@link #LIMITS} order.
     */
    public static final String ENV_LIMITS = "LLM_GATEWAY_LIMITS";
    /** The limits' order in {@link #ENV_LIMITS}. */
    public static final List<String> LIMITS = List.of("maxTokensDefault", "maxTokensCeiling", "maxRequestBytes",
            "integrationTimeoutMs", "maxEmbeddingInputs");
    public static final String ENV_PLAN_RATES = "LLM_GATEWAY_PLAN_RATES";
    /** A JSON array; set only when CORS is on, so a stack without CORS keeps its environment. */
    public static final String ENV_CORS_ORIGINS = "LLM_GATEWAY_CORS_ORIGINS";
    /**
     * A JSON object, route to integration timeout in ms; set only when streaming is on, so a stack
     * without it keeps its environment.
     */
    public static final String ENV_STREAMING_ROUTES = "LLM_GATEWAY_STREAMING_ROUTES";
    /** A JSON object, alias to TTL; set only when an alias caches automatically. */
    public static final String ENV_PROMPT_CACHE = "LLM_GATEWAY_PROMPT_CACHE";
    /** The TTLs of automatic cache points. */
    public static final List<String> PROMPT_CACHE_TTLS = List.of("5m", "1h");

    public BackendSettings {
        models = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(models, "models")));
        planRatePerRoute = Collections.unmodifiableMap(new LinkedHashMap<>(
                Objects.requireNonNull(planRatePerRoute, "planRatePerRoute")));
        corsOrigins = List.copyOf(Objects.requireNonNull(corsOrigins, "corsOrigins"));
        streamingRoutes = Collections.unmodifiableMap(new LinkedHashMap<>(
                Objects.requireNonNull(streamingRoutes, "streamingRoutes")));
        if (streamingRoutes.values().stream().anyMatch(timeout -> timeout == null || timeout < 1)) {
            throw new IllegalArgumentException("every streaming route's timeout must be positive: " + streamingRoutes);
        }
        promptCache = Collections.unmodifiableMap(new LinkedHashMap<>(
                Objects.requireNonNull(promptCache, "promptCache")));
        if (!PROMPT_CACHE_TTLS.containsAll(promptCache.values())) {
            throw new IllegalArgumentException("every prompt-cache TTL must be one of " + PROMPT_CACHE_TTLS + ": "
                    + promptCache);
        }
        if (maxTokensDefault < 1 || maxTokensCeiling < maxTokensDefault) {
            throw new IllegalArgumentException("need 1 <= maxTokensDefault <= maxTokensCeiling, got "
                    + maxTokensDefault + " and " + maxTokensCeiling);
        }
        if (maxRequestBytes < 1 || integrationTimeoutMs < 1) {
            throw new IllegalArgumentException("maxRequestBytes and integrationTimeoutMs must be positive");
        }
        if (maxEmbeddingInputs < 1 || maxEmbeddingInputs > MAX_EMBEDDING_INPUTS) {
            throw new IllegalArgumentException("maxEmbeddingInputs must be 1-" + MAX_EMBEDDING_INPUTS + ", got "
                    + maxEmbeddingInputs);
        }
    }

    /** Settings without automatic prompt caching. */
    public BackendSettings(Map<String, String> models, int maxTokensDefault, int maxTokensCeiling, int maxRequestBytes,
                           int integrationTimeoutMs, Map<String, Double> planRatePerRoute, List<String> corsOrigins,
                           int maxEmbeddingInputs, Map<String, Integer> streamingRoutes) {
        this(models, maxTokensDefault, maxTokensCeiling, maxRequestBytes, integrationTimeoutMs, planRatePerRoute,
                corsOrigins, maxEmbeddingInputs, streamingRoutes, Map.of());
    }

    /** Settings without streaming routes. */
    public BackendSettings(Map<String, String> models, int maxTokensDefault, int maxTokensCeiling, int maxRequestBytes,
                           int integrationTimeoutMs, Map<String, Double> planRatePerRoute, List<String> corsOrigins,
                           int maxEmbeddingInputs) {
        this(models, maxTokensDefault, maxTokensCeiling, maxRequestBytes, integrationTimeoutMs, planRatePerRoute,
                corsOrigins, maxEmbeddingInputs, Map.of());
    }

    /** Settings with the default bound on embedding inputs. */
    public BackendSettings(Map<String, String> models, int maxTokensDefault, int maxTokensCeiling, int maxRequestBytes,
                           int integrationTimeoutMs, Map<String, Double> planRatePerRoute, List<String> corsOrigins) {
        this(models, maxTokensDefault, maxTokensCeiling, maxRequestBytes, integrationTimeoutMs, planRatePerRoute,
                corsOrigins, DEFAULT_MAX_EMBEDDING_INPUTS);
    }

    /** Settings without CORS. */
    public BackendSettings(Map<String, String> models, int maxTokensDefault, int maxTokensCeiling, int maxRequestBytes,
                           int integrationTimeoutMs, Map<String, Double> planRatePerRoute) {
        this(models, maxTokensDefault, maxTokensCeiling, maxRequestBytes, integrationTimeoutMs, planRatePerRoute,
                List.of());
    }

    /** Whether this route ({@code Route#throttlePath()}) answers in the streaming format. */
    public boolean streams(String route) {
        return streamingRoutes.containsKey(route);
    }

    /**
     * This route's integration timeout, from which the backend takes its deadline: a streaming route's
     * own, else {@link #integrationTimeoutMs()}.
     */
    public int integrationTimeoutMs(String route) {
        return streamingRoutes.getOrDefault(route, integrationTimeoutMs);
    }

    /** The function's environment variables. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_MODELS, Json.write(models));
        env.put(ENV_LIMITS, maxTokensDefault + " " + maxTokensCeiling + " " + maxRequestBytes + " "
                + integrationTimeoutMs + " " + maxEmbeddingInputs);
        env.put(ENV_PLAN_RATES, Json.write(planRatePerRoute));
        if (!corsOrigins.isEmpty()) {
            env.put(ENV_CORS_ORIGINS, Json.write(corsOrigins));
        }
        if (!streamingRoutes.isEmpty()) {
            env.put(ENV_STREAMING_ROUTES, Json.write(streamingRoutes));
        }
        if (!promptCache.isEmpty()) {
            env.put(ENV_PROMPT_CACHE, Json.write(promptCache));
        }
        return env;
    }

    /**
     * Reads the settings back from a function's environment.
     *
     * @throws IllegalStateException naming the variable, when one is missing or malformed: a
     *                               deployment fault, never a client's
     */
    public static BackendSettings fromEnvironment(Map<String, String> env) {
        int[] limits = limits(env);
        return new BackendSettings(
                stringMap(env, ENV_MODELS),
                limits[0],
                limits[1],
                limits[2],
                limits[3],
                rateMap(env, ENV_PLAN_RATES),
                stringList(env, ENV_CORS_ORIGINS),
                limits[4],
                timeoutMap(env, ENV_STREAMING_ROUTES),
                env.get(ENV_PROMPT_CACHE) == null || env.get(ENV_PROMPT_CACHE).isBlank() ? Map.of()
                        : stringMap(env, ENV_PROMPT_CACHE));
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static int[] limits(Map<String, String> env) {
        String[] values = require(env, ENV_LIMITS).trim().split(" +");
        if (values.length != LIMITS.size()) {
            throw new IllegalStateException("environment variable " + ENV_LIMITS + " must hold " + LIMITS.size()
                    + " whole numbers (" + String.join(" ", LIMITS) + "), not " + values.length);
        }
        int[] limits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            try {
                limits[i] = Integer.parseInt(values[i]);
            } catch (NumberFormatException e) {
                throw new IllegalStateException("environment variable " + ENV_LIMITS + ": " + LIMITS.get(i)
                        + " is not an integer: " + values[i]);
            }
        }
        return limits;
    }

    private static Map<String, Object> object(Map<String, String> env, String name) {
        try {
            return Json.readObject(require(env, name));
        } catch (IOException e) {
            throw new IllegalStateException("environment variable " + name + " is not a JSON object");
        }
    }

    private static Map<String, String> stringMap(Map<String, String> env, String name) {
        Map<String, String> result = new LinkedHashMap<>();
        object(env, name).forEach((key, value) -> {
            if (!(value instanceof String s)) {
                throw new IllegalStateException("environment variable " + name + ": " + key + " is not a string");
            }
            result.put(key, s);
        });
        return result;
    }

    /** An optional JSON array of strings: absent means empty. */
    private static List<String> stringList(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return List.of();
        }
        Object parsed;
        try {
            parsed = Json.read(value);
        } catch (IOException e) {
            throw new IllegalStateException("environment variable " + name + " is not a JSON array");
        }
        if (!(parsed instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw new IllegalStateException("environment variable " + name + " is not a JSON array of strings");
        }
        return list.stream().map(String.class::cast).toList();
    }

    /** An optional JSON object of whole numbers: absent means empty. */
    private static Map<String, Integer> timeoutMap(Map<String, String> env, String name) {
        Map<String, Integer> result = new LinkedHashMap<>();
        if (env.get(name) == null || env.get(name).isBlank()) {
            return result;
        }
        object(env, name).forEach((key, value) -> {
            if (!(value instanceof Number n) || n.doubleValue() != n.intValue()) {
                throw new IllegalStateException("environment variable " + name + ": " + key + " is not a whole number");
            }
            result.put(key, n.intValue());
        });
        return result;
    }

    private static Map<String, Double> rateMap(Map<String, String> env, String name) {
        Map<String, Double> result = new LinkedHashMap<>();
        object(env, name).forEach((key, value) -> {
            if (!(value instanceof Number n)) {
                throw new IllegalStateException("environment variable " + name + ": " + key + " is not a number");
            }
            result.put(key, n.doubleValue());
        });
        return result;
    }
}
