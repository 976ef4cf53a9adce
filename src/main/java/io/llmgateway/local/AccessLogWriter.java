package io.llmgateway.local;

import io.llmgateway.common.Json;
import io.llmgateway.contract.AccessLogFormat;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The stage's access log: one line per answered request in {@link AccessLogFormat}, the same fields
 * the stack gives the Stage, filled from what this gateway knows (the rest are null). Latencies are
 * milliseconds with microsecond precision; responseLatency minus integrationLatency is the gateway's
 * own time.
 */
final class AccessLogWriter {

    /** {@code $context.requestTime}: API Gateway's CLF time, {@code dd/MMM/yyyy:HH:mm:ss +hhmm}. */
    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private final Consumer<String> sink;

    AccessLogWriter(Consumer<String> sink) {
        this.sink = sink;
    }

    /**
     * @param responseLength the body's bytes sent (a stream's, as it went)
     * @param responseNanos  from the request's arrival to its answer being written
     */
    void write(IncomingRequest request, String requestId, ApiGatewayPipeline.Handled handled, long responseLength,
               long responseNanos) {
        Map<String, Object> context = new HashMap<>();
        context.put("$context.requestId", requestId);
        context.put("$context.apiId", LocalGateway.API_ID);
        context.put("$context.requestTime", REQUEST_TIME.format(request.received()));
        context.put("$context.httpMethod", request.method());
        context.put("$context.resourcePath", handled.resourcePath());
        context.put("$context.status", handled.answer().status());
        context.put("$context.protocol", request.protocol());
        context.put("$context.responseLength", responseLength);
        context.put("$context.identity.sourceIp", request.sourceIp());
        context.put("$context.identity.userAgent", request.header("User-Agent"));
        context.put("$context.identity.apiKeyId", handled.apiKeyId());
        context.put("$context.error.responseType", handled.answer().responseType());
        context.put("$context.integrationLatency", handled.integrationNanos() < 0 ? null : millis(handled.integrationNanos()));
        context.put("$context.responseLatency", millis(responseNanos));
        Map<String, Object> line = new LinkedHashMap<>();
        AccessLogFormat.FIELDS.forEach((field, variable) -> line.put(field, context.get(variable)));
        sink.accept(Json.write(line));
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
