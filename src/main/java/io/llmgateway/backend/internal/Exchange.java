package io.llmgateway.backend.internal;

import com.amazonaws.services.lambda.runtime.Context;
import io.llmgateway.backend.runtime.ResponseSink;
import io.llmgateway.contract.BackendLog;
import io.llmgateway.contract.Cors;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.Metrics;
import io.llmgateway.contract.OpenAiError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One invocation of the backend, whoever answers it: the proxy event read, the headers every answer
 * carries (CORS, {@code x-request-id}), the answer written as a proxy response, and one log line with
 * the request's metrics. It is stateless and thread-safe, so the local gateway may call it from several
 * threads.
 *
 * <p>Whatever the input, the answer is an OpenAI-shaped response: client mistakes are 4xx, and a 5xx
 * only ever reports a fault of Bedrock or of the deployment, with its real cause in the log.
 */
public final class Exchange {

    /** The API's id as the event gives it, on the line until the metrics bound it ({@link EmbeddedMetrics}). */
    private static final String API_ID = Metrics.Dimension.API_ID.key();

    /** What answers a request that was read: the routes, or the answer of a function that failed to start. */
    @FunctionalInterface
    public interface Responder {
        /** The answer, with what it did noted on the line; a RuntimeException is a bug, answered with a 500. */
        Reply respond(ProxyRequest request, RequestLog line);
    }

    private final Cors cors;
    private final Set<String> models;
    private final Clock clock;
    private final Consumer<String> log;
    private final Responder responder;

    /**
     * @param models the configured model aliases: the metrics' model dimension is one of them or none
     * @param clock  the time of the metrics
     * @param log    where each request's JSON log line goes
     */
    public Exchange(Cors cors, Set<String> models, Clock clock, Consumer<String> log, Responder responder) {
        this.cors = cors;
        this.models = Set.copyOf(models);
        this.clock = clock;
        this.log = log;
        this.responder = responder;
    }

    /**
     * @param eventJson the REST API proxy event (payload 1.0)
     * @param context   the invocation's context, or null outside Lambda
     * @return the proxy response, as JSON; a streamed answer's body is written out whole first
     */
    public byte[] handle(byte[] eventJson, Context context) {
        Answer answer = answer(eventJson, context);
        Reply reply = answer.reply;
        if (reply.stream() != null) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            try {
                reply.stream().writeTo(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // a byte array does not fail
            }
            reply = new Reply(reply.status(), reply.contentType(), body.toString(StandardCharsets.UTF_8),
                    reply.error(), reply.headers());
        }
        answer.logLine(reply);
        return reply.toProxyResponse(answer.headers);
    }

    /**
     * The same exchange answered through the runtime's {@link ResponseSink}: the status and the headers,
     * then the body, a streamed answer's as it is produced (flushed event by event). The log line is
     * written once the body is done.
     *
     * @throws IOException when the runtime cannot take the response any more
     */
    public void handle(byte[] eventJson, Context context, ResponseSink sink) throws IOException {
        Answer answer = answer(eventJson, context);
        Reply reply = answer.reply;
        try {
            sink.status(reply.status());
            sink.header(Headers.CONTENT_TYPE, reply.contentType());
            Map<String, String> all = new LinkedHashMap<>(answer.headers);
            all.putAll(reply.headers());
            all.forEach(sink::header);
            if (reply.stream() != null) {
                reply.stream().writeTo(sink.body());
            } else {
                sink.body().write(reply.body().getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            answer.logLine(reply);
        }
    }

    /** A request answered but not yet delivered: its reply, the common headers, and its log line. */
    private final class Answer {
        final long started = System.nanoTime();
        final RequestLog line = new RequestLog();
        final Map<String, String> headers = new LinkedHashMap<>();
        Reply reply;

        /** Writes the request's log line; the metrics come with it. */
        void logLine(Reply delivered) {
            line.put("status", delivered.status());
            line.put("errorCode", delivered.error() == null ? null : delivered.error().code());
            line.put(BackendLog.LATENCY_MS, (System.nanoTime() - started) / 1_000_000);
            try {
                EmbeddedMetrics.annotate(line, line.get(API_ID) instanceof String id ? id : null, models, clock.millis());
                log.accept(line.toJson());
            } catch (RuntimeException ignored) {
                // Logging must never cost the client its answer.
            }
        }
    }

    private Answer answer(byte[] eventJson, Context context) {
        Answer answer = new Answer();
        try {
            answer.reply = answer(eventJson, context, answer.line, answer.headers);
        } catch (RuntimeException e) {
            // A bug on our side; the client learns nothing of it but a generic 500.
            answer.line.put("cause", BedrockErrors.cause(e));
            answer.reply = Reply.error(OpenAiError.internal());
        }
        if (!answer.headers.containsKey(Headers.X_REQUEST_ID)) {
            String requestId = ProxyRequest.fallbackRequestId(context);
            answer.headers.put(Headers.X_REQUEST_ID, requestId);
            answer.line.put("requestId", requestId);
        }
        return answer;
    }

    private Reply answer(byte[] eventJson, Context context, RequestLog line, Map<String, String> headers) {
        ProxyRequest request;
        try {
            request = ProxyRequest.read(eventJson, context);
        } catch (IOException | RuntimeException e) {
            return Reply.error(OpenAiError.invalidRequest(null, "The gateway could not read the request."));
        }
        // Every answer to a browser's request, errors included, must carry CORS headers to be readable.
        headers.putAll(cors.responseHeaders(request.header(Cors.ORIGIN)));
        headers.put(Headers.X_REQUEST_ID, request.requestId());
        line.put("requestId", request.requestId()).put("apiKeyId", request.apiKeyId());
        if (request.event().getRequestContext() != null) {
            line.put(API_ID, request.apiId());
        }
        return responder.respond(request, line);
    }
}
