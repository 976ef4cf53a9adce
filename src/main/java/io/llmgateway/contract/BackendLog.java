package io.llmgateway.contract;

/**
 * The fields of the backend's request log line that operators' tools read: the stack's Contributor
 * Insights rules and Logs Insights widgets, and the queries in docs/operations.md. The backend writes them
 * under these names (a test holds the line to them); the line also carries the metrics of
 * {@link Metrics} as embedded metric format. Never the key, the prompt or the completion.
 */
public final class BackendLog {

    public static final String REQUEST_ID = "requestId";
    /** API Gateway's id of the caller's key ({@code requestContext.identity.apiKeyId}), never the key. */
    public static final String API_KEY_ID = "apiKeyId";
    /** The model the request named, as sent (cut to {@link io.llmgateway.common.Text#MAX_ECHO} characters). */
    public static final String MODEL = "model";
    /** The caller's plan, when token metering knows it. */
    public static final String PLAN = "plan";
    public static final String STATUS = "status";
    public static final String ERROR_CODE = "errorCode";
    public static final String INPUT_TOKENS = "inputTokens";
    public static final String OUTPUT_TOKENS = "outputTokens";
    /** Input plus output tokens of an answered chat request: what a Contributor Insights rule can sum. */
    public static final String TOTAL_TOKENS = "totalTokens";
    /** Input tokens read from the prompt cache (part of {@link #INPUT_TOKENS}); only on a call that cached. */
    public static final String CACHE_READ_TOKENS = "cacheReadTokens";
    /** Input tokens written to the prompt cache, any TTL (part of {@link #INPUT_TOKENS}); only on a call that cached. */
    public static final String CACHE_WRITE_TOKENS = "cacheWriteTokens";
    public static final String LATENCY_MS = "latencyMs";
    /** How many model calls (Converse or InvokeModel) one request made: embeddings make one per batch. */
    public static final String BEDROCK_CALLS = "bedrockCalls";
    /** {@value #REFUSED_BY_TOKENS} when token metering refused the request. */
    public static final String REFUSED_BY = "refusedBy";
    public static final String REFUSED_BY_TOKENS = "tokens";
    /**
     * Which token limit refused: {@value #TOKEN_LIMIT_PER_MINUTE}, {@value #TOKEN_LIMIT_BUDGET} (spent for
     * the period) or {@value #TOKEN_LIMIT_IN_FLIGHT} (held by the caller's calls in flight: retryable).
     */
    public static final String TOKEN_LIMIT = "tokenLimit";
    public static final String TOKEN_LIMIT_PER_MINUTE = "tokens_per_minute";
    public static final String TOKEN_LIMIT_BUDGET = "budget";
    public static final String TOKEN_LIMIT_IN_FLIGHT = "budget_in_flight";

    /**
     * What the plan's guardrail did to the call: {@value #GUARDRAIL_INTERVENED} (it blocked or masked
     * something; the answer's finish_reason is content_filter) or {@value #GUARDRAIL_PASSED}.
     */
    public static final String GUARDRAIL = "guardrail";
    public static final String GUARDRAIL_INTERVENED = "intervened";
    public static final String GUARDRAIL_PASSED = "passed";
    /** The guardrail policies that acted ({@code contentPolicy}, {@code topicPolicy}, ...), never what matched. */
    public static final String GUARDRAIL_POLICIES = "guardrailPolicies";
    /** The policy an intervention counts under in the metrics: the first of {@link #GUARDRAIL_POLICIES}. */
    public static final String GUARDRAIL_POLICY = "guardrailPolicy";
    /** The guardrail text units Bedrock billed for the call, all policies together. */
    public static final String GUARDRAIL_UNITS = "guardrailUnits";

    private BackendLog() {
    }
}
