package io.llmgateway.common;

import java.util.Map;

/**
 * Stored Responses API responses, as the backend learns of them: one small variable, set only when
 * storage is on, so a stack without it keeps its environment. The table's name is not in the
 * environment (which is near Lambda's 4 KB): it is the token table's name with {@value #TABLE_SUFFIX},
 * which the stack names the table.
 *
 * @param tableName the responses table
 * @param ttlDays   days from writing until a stored response expires
 */
public record ResponseStoreSettings(String tableName, int ttlDays) {

    public static final String ENV_DAYS = "LLM_GATEWAY_RESPONSE_DAYS";
    /** The table's partition key, the response id: the stack declares it, the backend reads and writes it. */
    public static final String KEY = "id";
    /** The table's TTL attribute, unix seconds. */
    public static final String TTL_ATTRIBUTE = "expiresAt";
    public static final String TABLE_SUFFIX = "-responses";

    public ResponseStoreSettings {
        if (tableName == null || tableName.isBlank()) {
            throw new IllegalArgumentException("tableName must be set");
        }
        if (ttlDays < 1) {
            throw new IllegalArgumentException("ttlDays must be positive, got " + ttlDays);
        }
    }

    /** The responses table beside this token table. */
    public static String tableNameFor(String tokenTableName) {
        return tokenTableName + TABLE_SUFFIX;
    }

    public Map<String, String> toEnvironment() {
        return Map.of(ENV_DAYS, Integer.toString(ttlDays));
    }

    /**
     * The settings in a function's environment, or null when storage is off (no days, or no token table
     * to name the table after).
     *
     * @throws IllegalStateException naming the variable, when the days are malformed
     */
    public static ResponseStoreSettings fromEnvironment(Map<String, String> env) {
        String days = env.get(ENV_DAYS);
        String tokens = env.get(TokenStoreSettings.ENV_TABLE);
        if (days == null || days.isBlank() || tokens == null || tokens.isBlank()) {
            return null;
        }
        try {
            return new ResponseStoreSettings(tableNameFor(tokens), Integer.parseInt(days.trim()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("environment variable " + ENV_DAYS + " is not a positive whole number: "
                    + Text.truncate(days));
        }
    }
}
