package io.llmgateway.common;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where the backend keeps token counters and reads entitlements, and what it does when that store
 * fails. Like {@link BackendSettings}, it travels as environment variables the stack sets.
 *
 * @param tableName   the token table (entitlement items and counters)
 * @param failureMode what a request gets when DynamoDB cannot be reached
 */
public record TokenStoreSettings(String tableName, FailureMode failureMode) {

    public static final String ENV_TABLE = "LLM_GATEWAY_TOKEN_TABLE";
    public static final String ENV_FAILURE_MODE = "LLM_GATEWAY_TOKEN_STORE_FAILURE_MODE";

    /** What a request gets when the store fails: either way it is logged and counted. */
    public enum FailureMode {
        /** 503 with Retry-After: no model call goes uncounted. */
        REFUSE("refuse"),
        /** The model call goes ahead uncounted. */
        SERVE("serve");

        private final String configName;

        FailureMode(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public static FailureMode fromConfigName(String name) {
            for (FailureMode mode : values()) {
                if (mode.configName.equals(name)) {
                    return mode;
                }
            }
            throw new IllegalArgumentException("not a failure mode: " + name);
        }
    }

    public TokenStoreSettings {
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(failureMode, "failureMode");
    }

    public Map<String, String> toEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(ENV_TABLE, tableName);
        env.put(ENV_FAILURE_MODE, failureMode.configName());
        return env;
    }

    /**
     * The settings in a function's environment, or null when it names no table (a function deployed
     * without token budgets).
     *
     * @throws IllegalStateException naming the variable, when the failure mode is malformed
     */
    public static TokenStoreSettings fromEnvironment(Map<String, String> env) {
        String table = env.get(ENV_TABLE);
        if (table == null || table.isBlank()) {
            return null;
        }
        String mode = env.getOrDefault(ENV_FAILURE_MODE, FailureMode.REFUSE.configName());
        try {
            return new TokenStoreSettings(table, FailureMode.fromConfigName(mode));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("environment variable " + ENV_FAILURE_MODE + " is not refuse or serve: "
                    + Text.truncate(mode));
        }
    }
}
