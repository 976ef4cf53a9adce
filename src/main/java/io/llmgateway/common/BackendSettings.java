package io.llmgateway.common;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 */
public record BackendSettings(
        Map<String, String> models,
        int maxTokensDefault,
        int maxTokensCeiling,
        int maxRequestBytes,
        int integrationTimeoutMs,
        Map<String, Double> planRatePerRoute) {

    public static final String ENV_MODELS = "LLM_GATEWAY_MODELS";
    public static final String ENV_MAX_TOKENS_DEFAULT = "LLM_GATEWAY_MAX_TOKENS_DEFAULT";
    public static final String ENV_MAX_TOKENS_CEILING = "LLM_GATEWAY_MAX_TOKENS_CEILING";
    public static final String ENV_MAX_REQUEST_BYTES = "LLM_GATEWAY_MAX_REQUEST_BYTES";
    public static final String ENV_INTEGRATION_TIMEOUT_MS = "LLM_GATEWAY_INTEGRATION_TIMEOUT_MS";
    public static final String ENV_PLAN_RATES = "LLM_GATEWAY_PLAN_RATES";

    public BackendSettings {
        models = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(models, "models")));
        planRatePerRoute = Collections.unmodifiableMap(new LinkedHashMap<>(
                Objects.requireNonNull(planRatePerRoute, "planRatePerRoute")));
        if (maxTokensDefault < 1 || maxTokensCeiling < maxTokensDefault) {
            throw new IllegalArgumentException("need 1 <= maxTokensDefault <= maxTokensCeiling, got "
                    + maxTokensDefault + " and " + maxTokensCeiling);
        }
        if (maxRequestBytes < 1 || integrationTimeoutMs < 1) {
            throw new IllegalArgumentException("maxRequestBytes and integrationTimeoutMs must be positive");
        }
    }

    /** The function's environment variables. */
    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_MODELS, Json.write(models));
        env.put(ENV_MAX_TOKENS_DEFAULT, Integer.toString(maxTokensDefault));
        env.put(ENV_MAX_TOKENS_CEILING, Integer.toString(maxTokensCeiling));
        env.put(ENV_MAX_REQUEST_BYTES, Integer.toString(maxRequestBytes));
        env.put(ENV_INTEGRATION_TIMEOUT_MS, Integer.toString(integrationTimeoutMs));
        env.put(ENV_PLAN_RATES, Json.write(planRatePerRoute));
        return env;
    }

    /**
     * Reads the settings back from a function's environment.
     *
     * @throws IllegalStateException naming the variable, when one is missing or malformed: a
     *                               deployment fault, never a client's
     */
    public static BackendSettings fromEnvironment(Map<String, String> env) {
        return new BackendSettings(
                stringMap(env, ENV_MODELS),
                integer(env, ENV_MAX_TOKENS_DEFAULT),
                integer(env, ENV_MAX_TOKENS_CEILING),
                integer(env, ENV_MAX_REQUEST_BYTES),
                integer(env, ENV_INTEGRATION_TIMEOUT_MS),
                rateMap(env, ENV_PLAN_RATES));
    }

    private static String require(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + name + " is not set");
        }
        return value;
    }

    private static int integer(Map<String, String> env, String name) {
        String value = require(env, name);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " is not an integer: " + value);
        }
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
