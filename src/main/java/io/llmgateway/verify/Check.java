package io.llmgateway.verify;

/**
 * Every check the command runs, in the order it runs them, each with what its pass proves. The
 * docs/deploy.md's "Verify your deployment" table lists the same text.
 */
public enum Check {
    MODELS_LIST("models.list", "GET /models answers a list of model objects; the first chat model is used below"),
    MODELS_RETRIEVE("models.retrieve", "GET /models/{id} answers that model's object"),
    CHAT("chat.completion", "a completion with a small max_completion_tokens: content, finish_reason stop or length,"
            + " usage that adds up and stays within the limit"),
    CHAT_STREAM("chat.stream", "the same streamed: chunks with content, exactly one finish_reason, and a last chunk"
            + " with usage (stream_options.include_usage); reports the time to the first content against the total,"
            + " as the client saw them (`first content 410 ms of 2300 ms total`: on a streaming deployment the first"
            + " is a fraction of the second; equal times mean the answer was buffered)"),
    TOOLS_ROUND_TRIP("tools.round_trip", "a forced function call with an id and JSON arguments, then its result"
            + " sent back as a tool message gets a text answer"),
    TOOLS_STREAM("tools.stream", "streamed delta.tool_calls: indices >= 0, an id and name first, arguments that"
            + " parse, finish_reason tool_calls"),
    RESPONSES("responses.create", "POST /responses (OpenAI's Responses API) with a small max_output_tokens: object"
            + " response, status completed or incomplete, a message with output_text, usage that adds up"),
    RESPONSES_STREAM("responses.stream", "the same streamed: response.created first, one response id, text deltas"
            + " that add up to the message, response.completed last with the whole response"),
    EMBEDDINGS("embeddings", "an embedding vector (in the SDK's default base64 encoding) and usage; only when an"
            + " embedding model is listed or named"),
    ERROR_API_KEY("error.invalid_api_key", "a wrong key gets 401 invalid_api_key"),
    ERROR_MODEL("error.model_not_found", "an unknown model gets 404 model_not_found"),
    ERROR_BODY("error.bad_request", "an out-of-range temperature gets 400 naming the field"),
    ERROR_URL("error.unknown_url", "an unknown path gets the gateway's own 404 unknown_url"),
    HEADER_REQUEST_ID("header.request_id", "every response carries x-request-id or x-amzn-RequestId"),
    HEADER_RETRY_AFTER("header.retry_after", "every 429 and 503 seen carries Retry-After"),
    HEADER_RATE_LIMIT("header.rate_limit", "x-ratelimit-* headers, where sent, are well-formed, consistent and"
            + " match the plan"),
    LIMITS_THROTTLE("limits.throttle", "--probe-limits: a burst past the plan gets 429 with Retry-After, and the"
            + " accepted count is near burst + rate x time"),
    LIMITS_QUOTA("limits.quota", "--probe-limits --i-know on a small quota: the quota ends in 429"
            + " insufficient_quota with Retry-After and x-should-retry: false");

    private final String label;
    private final String proves;

    Check(String label, String proves) {
        this.label = label;
        this.proves = proves;
    }

    /** The name printed in the table. */
    public String label() {
        return label;
    }

    /** What a pass proves. */
    public String proves() {
        return proves;
    }
}
