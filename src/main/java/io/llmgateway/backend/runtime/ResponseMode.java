package io.llmgateway.backend.runtime;

/** How a {@link ResponseSink}'s bytes travel to Lambda, chosen per invocation ({@link ResponseModes}). */
public enum ResponseMode {
    /**
     * One API Gateway Lambda-proxy response ({@code statusCode}, {@code headers},
     * {@code multiValueHeaders}, {@code body}, {@code isBase64Encoded}) posted when the handler returns:
     * what a BUFFERED integration invoked with Invoke expects.
     */
    BUFFERED,
    /**
     * The integration-response prelude ({@link IntegrationPrelude}) and then the body, streamed to
     * the Runtime API as the handler flushes: what a STREAM integration invoked with
     * InvokeWithResponseStream expects (API Gateway developer guide, "Set up a Lambda proxy integration
     * with payload response streaming in API Gateway": output that does not follow that format gets a 500).
     */
    STREAMED,
    /**
     * The body bytes are the function's whole result, posted as they are: for handlers that render
     * the proxy response themselves (a {@code RequestStreamHandler}). Status and headers are refused.
     */
    RAW
}
