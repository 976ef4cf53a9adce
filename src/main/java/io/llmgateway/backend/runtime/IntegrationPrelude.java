package io.llmgateway.backend.runtime;

import io.llmgateway.common.Json;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The start of a streamed HTTP response from a Lambda function behind an API Gateway STREAM
 * integration (API Gateway developer guide, "Set up a Lambda proxy integration with payload response
 * streaming in API Gateway", "Lambda proxy integration format for response streaming"): a JSON object
 * with {@code statusCode}, {@code headers} (one value each) and {@code multiValueHeaders}, then a
 * delimiter of 8 NUL bytes, then the raw body. The delimiter must lie within the first 16 KB of the
 * stream; API Gateway starts the client's response once it has read it. The Runtime API request
 * carries the content type {@value #CONTENT_TYPE}, as AWS's Node.js runtime sends it for
 * {@code awslambda.HttpResponseStream} (aws-lambda-nodejs-runtime-interface-client,
 * {@code src/stream/http-response-stream.ts}).
 */
public final class IntegrationPrelude {

    public static final String CONTENT_TYPE = "application/vnd.awslambda.http-integration-response";
    public static final int DELIMITER_LENGTH = 8;
    /** The delimiter must appear within the first 16 KB of stream data. */
    public static final int DELIMITER_WITHIN = 16 * 1024;

    private IntegrationPrelude() {
    }

    /**
     * The prelude and its delimiter.
     *
     * @throws IllegalArgumentException for a status outside 100-599, a malformed header, or headers
     *                                  so large that the delimiter would end beyond 16 KB
     */
    public static byte[] encode(int statusCode, Map<String, List<String>> headers) {
        return encode(new HttpHead(statusCode, headers));
    }

    static byte[] encode(HttpHead head) {
        byte[] json = Json.writeBytes(head.json());
        if (json.length + DELIMITER_LENGTH > DELIMITER_WITHIN) {
            throw new IllegalArgumentException("the response prelude is " + json.length
                    + " bytes; with its 8-byte delimiter it must fit in the first " + DELIMITER_WITHIN + " bytes");
        }
        // A new array is zero-filled: the tail past the JSON is the delimiter.
        return Arrays.copyOf(json, json.length + DELIMITER_LENGTH);
    }
}
