package io.llmgateway.backend.bench;

import io.llmgateway.backend.BackendHandler;
import io.llmgateway.backend.runtime.LambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs in a fresh JVM whose classpath is the Lambda archive's contents (classes root, then lib/*.jar)
 * plus this class: it constructs the handler as the Lambda runtime does (the no-argument constructor,
 * configured by environment variables) and sends it requests. It uses nothing outside the archive
 * and the JDK.
 *
 * <p>Arguments: the requests to send, in order: {@code models} and/or {@code chat}. Prints one
 * {@code RESPONSE <proxy response JSON>} line per request and a {@code METRICS} line measured at the
 * first response (see {@link ProbeMetrics}).
 */
public final class HandlerProbe {

    private HandlerProbe() {
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        BackendHandler handler = new BackendHandler();
        long constructed = System.nanoTime();
        String metrics = null;
        StringBuilder responses = new StringBuilder();
        for (String kind : args) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event(kind)), out, context());
            if (metrics == null) {
                metrics = ProbeMetrics.snapshot((constructed - started) / 1_000_000,
                        (System.nanoTime() - constructed) / 1_000_000);
            }
            responses.append("RESPONSE ").append(out.toString(StandardCharsets.UTF_8)).append('\n');
        }
        System.out.print(responses);
        System.out.println(metrics);
    }

    /**
     * The parts of a Lambda context the handler reads, built per request as the runtime builds it (its
     * class is in the archive, so loading it is part of what the probe measures).
     */
    private static LambdaContext context() {
        return LambdaContext.fixed("probe", new LambdaContext.Function("probe", "1", 1024, null, null), null, 30_000);
    }

    /** Written with a template and {@code replace}, so building it costs the measurement next to nothing. */
    private static final String EVENT = "{\"resource\":\"PATH\",\"path\":\"PATH\",\"httpMethod\":\"METHOD\","
            + "\"headers\":{\"Content-Type\":\"application/json\"},\"requestContext\":{\"requestId\":\"probe-KIND\","
            + "\"requestTimeEpoch\":EPOCH,\"identity\":{\"apiKey\":\"probe-secret\",\"apiKeyId\":\"probe-key\"}},"
            + "\"body\":BODY,\"isBase64Encoded\":false}";
    private static final String CHAT_BODY = "\"{\\\"model\\\":\\\"claude-haiku\\\",\\\"max_tokens\\\":64,"
            + "\\\"messages\\\":[{\\\"role\\\":\\\"user\\\",\\\"content\\\":\\\"Say hello.\\\"}]}\"";

    static byte[] event(String kind) {
        boolean chat = kind.equals("chat");
        return EVENT.replace("PATH", chat ? "/v1/chat/completions" : "/v1/models")
                .replace("METHOD", chat ? "POST" : "GET")
                .replace("KIND", kind)
                .replace("EPOCH", Long.toString(System.currentTimeMillis()))
                .replace("BODY", chat ? CHAT_BODY : "null")
                .getBytes(StandardCharsets.UTF_8);
    }
}
