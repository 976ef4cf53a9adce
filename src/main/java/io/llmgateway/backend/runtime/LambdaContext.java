package io.llmgateway.backend.runtime;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The {@code com.amazonaws.services.lambda.runtime.Context} of an invocation, for handlers written
 * against aws-lambda-java-core: the one context of the project, whoever invokes the handler. The
 * runtime client builds it from the Runtime API's invocation ({@link #of}); the local gateway counts
 * the function's timeout down on its own clock; tests and the benchmark probes fix the remaining time
 * ({@link #fixed}). Mobile SDK identity and client context are not parsed (null).
 */
public final class LambdaContext implements Context {

    /**
     * The function an invocation runs in.
     *
     * @param memoryMb 0 when unknown
     */
    public record Function(String name, String version, int memoryMb, String logGroup, String logStream) {
    }

    private final String requestId;
    private final Function function;
    private final String invokedFunctionArn;
    private final String traceId;
    private final LongSupplier remainingMillis;
    private final LambdaLogger logger;

    /**
     * @param invokedFunctionArn the function, version or alias invoked; null when unknown
     * @param traceId            the X-Ray trace header; null when none
     * @param remainingMillis    what {@link #getRemainingTimeInMillis()} answers, asked at each call
     * @param log                where {@link #getLogger()} writes (CloudWatch Logs on AWS)
     */
    public LambdaContext(String requestId, Function function, String invokedFunctionArn, String traceId,
                         LongSupplier remainingMillis, Consumer<String> log) {
        this.requestId = requestId;
        this.function = Objects.requireNonNull(function, "function");
        this.invokedFunctionArn = invokedFunctionArn;
        this.traceId = traceId;
        this.remainingMillis = Objects.requireNonNull(remainingMillis, "remainingMillis");
        Objects.requireNonNull(log, "log");
        this.logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                log.accept(message);
            }

            @Override
            public void log(byte[] message) {
                log.accept(new String(message, StandardCharsets.UTF_8));
            }
        };
    }

    /** The runtime's: the remaining time counts down to the invocation's deadline on {@code clock}. */
    public static LambdaContext of(Invocation invocation, RuntimeEnvironment environment, Clock clock) {
        return new LambdaContext(invocation.requestId(), new Function(environment.functionName(),
                environment.functionVersion(), environment.memoryMb(), environment.logGroup(), environment.logStream()),
                invocation.invokedFunctionArn(), invocation.traceId(), () -> invocation.remainingMillis(clock),
                System.out::println);
    }

    /** A context whose remaining time stays at {@code remainingMillis}, logging to standard output. */
    public static LambdaContext fixed(String requestId, Function function, String invokedFunctionArn,
                                      int remainingMillis) {
        return new LambdaContext(requestId, function, invokedFunctionArn, null, () -> remainingMillis,
                System.out::println);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return function.logGroup();
    }

    @Override
    public String getLogStreamName() {
        return function.logStream();
    }

    @Override
    public String getFunctionName() {
        return function.name();
    }

    @Override
    public String getFunctionVersion() {
        return function.version();
    }

    @Override
    public String getInvokedFunctionArn() {
        return invokedFunctionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, remainingMillis.getAsLong()));
    }

    @Override
    public int getMemoryLimitInMB() {
        return function.memoryMb();
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }

    @Override
    public String getXrayTraceId() {
        return traceId;
    }
}
