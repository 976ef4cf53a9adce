package io.llmgateway.backend.runtime;

import java.io.OutputStream;

/**
 * Where a handler writes its HTTP response: a status, header fields, then the body. The handler
 * does not know how the bytes travel: buffered into one API Gateway proxy response, or streamed
 * behind the integration-response prelude as it writes them ({@link ResponseMode}).
 *
 * <p>Set the status and the headers before the first byte of the body; after it they are fixed.
 * {@code body().flush()} means "what I wrote so far should reach the client now": a streamed
 * response sends it as a chunk, a buffered one ignores it. A handler that returns normally has
 * finished its response; one that throws has failed it (before the first byte Lambda reports an
 * invocation error, after it the stream ends with the error trailers). An {@link java.io.IOException}
 * from the body means the response cannot be delivered any more (the caller went away): stop
 * generating, settle what was produced, and return.
 *
 * <p>One thread at a time.
 */
public interface ResponseSink {

    /** 200 unless set. @throws IllegalStateException after the first byte of the body */
    ResponseSink status(int statusCode);

    /** Adds a value; a name may repeat. @throws IllegalStateException after the first byte of the body */
    ResponseSink header(String name, String value);

    /** The body. Closing it is not required: the runtime ends the response when the handler returns. */
    OutputStream body();
}
