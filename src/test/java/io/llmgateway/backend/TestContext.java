package io.llmgateway.backend;

import io.llmgateway.backend.runtime.LambdaContext;

/** The Lambda context the handler tests invoke with: the project's one context, its remaining time fixed. */
public final class TestContext {

    private static final LambdaContext.Function FUNCTION = new LambdaContext.Function("llm-gateway-backend", "1",
            1024, "/aws/lambda/llm-gateway-backend", "2025/11/27/[$LATEST]0123456789abcdef");

    private TestContext() {
    }

    /** A function with a 30 s timeout, just invoked. */
    public static LambdaContext fresh() {
        return remaining(30_000);
    }

    /** A function with this much time left. */
    public static LambdaContext remaining(int remainingTimeInMillis) {
        return LambdaContext.fixed("lambda-request-id", FUNCTION,
                "arn:aws:lambda:eu-central-1:123456789012:function:llm-gateway-backend:live", remainingTimeInMillis);
    }
}
