package io.llmgateway.backend.runtime;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The {@code com.amazonaws.services.lambda.runtime.Context} of an invocation, for handlers written
 * against aws-lambda-java-core. The remaining time counts down to the invocation's deadline on the
 * given clock. Mobile SDK identity and client context are not parsed (null).
 */
public final class LambdaContext implements Context {

    private static final LambdaLogger STDOUT = new LambdaLogger() {
        @Override
        public void log(String message) {
            System.out.println(message);
        }

        @Override
        public void log(byte[] message) {
            System.out.println(new String(message, StandardCharsets.UTF_8));
        }
    };

    private final Invocation invocation;
    private final RuntimeEnvironment environment;
    private final Clock clock;

    public LambdaContext(Invocation invocation, RuntimeEnvironment environment, Clock clock) {
        this.invocation = invocation;
        this.environment = environment;
        this.clock = clock;
    }

    @Override
    public String getAwsRequestId() {
        return invocation.requestId();
    }

    @Override
    public String getLogGroupName() {
        return environment.logGroup();
    }

    @Override
    public String getLogStreamName() {
        return environment.logStream();
    }

    @Override
    public String getFunctionName() {
        return environment.functionName();
    }

    @Override
    public String getFunctionVersion() {
        return environment.functionVersion();
    }

    @Override
    public String getInvokedFunctionArn() {
        return invocation.invokedFunctionArn();
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
        return (int) Math.min(Integer.MAX_VALUE, invocation.remainingMillis(clock));
    }

    @Override
    public int getMemoryLimitInMB() {
        return environment.memoryMb();
    }

    @Override
    public LambdaLogger getLogger() {
        return STDOUT;
    }

    @Override
    public String getXrayTraceId() {
        return invocation.traceId();
    }
}
