package io.llmgateway.backend;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** A Lambda context with a fixed remaining time. */
public record TestContext(int remainingTimeInMillis) implements Context {

    /** A function with a 30 s timeout, just invoked. */
    public static TestContext fresh() {
        return new TestContext(30_000);
    }

    @Override
    public String getAwsRequestId() {
        return "lambda-request-id";
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/llm-gateway-backend";
    }

    @Override
    public String getLogStreamName() {
        return "2025/11/27/[$LATEST]0123456789abcdef";
    }

    @Override
    public String getFunctionName() {
        return "llm-gateway-backend";
    }

    @Override
    public String getFunctionVersion() {
        return "1";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:eu-central-1:123456789012:function:llm-gateway-backend:live";
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
        return remainingTimeInMillis;
    }

    @Override
    public int getMemoryLimitInMB() {
        return 1024;
    }

    @Override
    public LambdaLogger getLogger() {
        return null;
    }
}
