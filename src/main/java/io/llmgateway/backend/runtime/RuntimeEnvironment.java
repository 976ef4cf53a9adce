package io.llmgateway.backend.runtime;

import java.util.Map;

/**
 * What the runtime reads from the execution environment, once, at start (Lambda developer guide,
 * "Defined runtime environment variables").
 *
 * @param runtimeApi      {@code AWS_LAMBDA_RUNTIME_API}: host and port of the Runtime API
 * @param handler         {@code _HANDLER}: the function's handler setting
 * @param snapStart       {@code AWS_LAMBDA_INITIALIZATION_TYPE} is {@value #SNAP_START}: this init
 *                        ends in a snapshot (Lambda developer guide, "Implementing SnapStart hooks
 *                        for container images")
 * @param functionName    {@code AWS_LAMBDA_FUNCTION_NAME}
 * @param functionVersion {@code AWS_LAMBDA_FUNCTION_VERSION}
 * @param memoryMb        {@code AWS_LAMBDA_FUNCTION_MEMORY_SIZE}; 0 when absent
 * @param logGroup        {@code AWS_LAMBDA_LOG_GROUP_NAME}
 * @param logStream       {@code AWS_LAMBDA_LOG_STREAM_NAME}
 */
public record RuntimeEnvironment(String runtimeApi, String handler, boolean snapStart, String functionName,
                                 String functionVersion, int memoryMb, String logGroup, String logStream) {

    public static final String RUNTIME_API = "AWS_LAMBDA_RUNTIME_API";
    public static final String HANDLER = "_HANDLER";
    public static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
    public static final String SNAP_START = "snap-start";

    /** @throws IllegalStateException when {@value #RUNTIME_API} is not set: nothing to talk to */
    public static RuntimeEnvironment of(Map<String, String> env) {
        String api = env.get(RUNTIME_API);
        if (api == null || api.isBlank()) {
            throw new IllegalStateException(RUNTIME_API + " is not set: this runtime runs inside a Lambda "
                    + "execution environment (or against a Runtime API emulator)");
        }
        int memory;
        try {
            memory = Integer.parseInt(env.getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "0"));
        } catch (NumberFormatException e) {
            memory = 0;
        }
        return new RuntimeEnvironment(api, env.get(HANDLER), SNAP_START.equals(env.get(INITIALIZATION_TYPE)),
                env.get("AWS_LAMBDA_FUNCTION_NAME"), env.get("AWS_LAMBDA_FUNCTION_VERSION"), memory,
                env.get("AWS_LAMBDA_LOG_GROUP_NAME"), env.get("AWS_LAMBDA_LOG_STREAM_NAME"));
    }
}
