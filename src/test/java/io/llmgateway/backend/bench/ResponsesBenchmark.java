package io.llmgateway.backend.bench;

import io.llmgateway.backend.BackendHandler;
import io.llmgateway.backend.FakeBedrock;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Route;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Warm overhead of a Responses API request against a chat completion, in one run: the backend handler
 * in-process with an instant Bedrock fake (the same answer for both), so what is measured is the
 * gateway's own work per request: parsing, the Converse mapping, the answer's encoding, the log line.
 * The kinds are measured in alternating blocks after a common warm-up, so a drift of the machine
 * (other builds on it) reaches each alike.
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test -DmainClass=io.llmgateway.backend.bench.ResponsesBenchmark -DmainArgs=20000
 * </pre>
 *
 * The argument is the measured requests per kind (default 20,000; as many again warm up).
 */
public final class ResponsesBenchmark {

    private static final int BLOCKS = 10;

    private ResponsesBenchmark() {
    }

    /** The requests' time, and the handler's fixed clock: no deadline passes however long the run takes. */
    private static final long EPOCH_MS = 1_796_000_000_000L;

    static byte[] event(Route route, String body) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", route.path());
        event.put("path", route.path());
        event.put("httpMethod", "POST");
        event.put("requestContext", Map.of("requestId", "bench-request", "requestTimeEpoch", EPOCH_MS,
                "identity", Map.of("apiKeyId", "bench-key")));
        event.put("body", body);
        event.put("isBase64Encoded", false);
        return Json.writeBytes(event);
    }

    public static void main(String[] args) throws Exception {
        int measured = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        BackendSettings settings = new BackendSettings(Map.of("nova-micro", "amazon.nova-micro-v1:0"), 256, 1024,
                1 << 20, 29_000, Map.of());
        BackendHandler handler = new BackendHandler(FakeBedrock.answering("Hello! How can I help you today?", 12, 9),
                settings, Clock.fixed(Instant.ofEpochMilli(EPOCH_MS), ZoneOffset.UTC), line -> { });
        String question = "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]";
        Map<String, byte[]> kinds = new LinkedHashMap<>();
        kinds.put("chat completion", event(Route.CHAT_COMPLETIONS,
                "{\"model\":\"nova-micro\",\"max_tokens\":64,\"messages\":" + question + "}"));
        kinds.put("responses", event(Route.RESPONSES,
                "{\"model\":\"nova-micro\",\"max_output_tokens\":64,\"input\":" + question + "}"));
        kinds.put("chat completion, stream", event(Route.CHAT_COMPLETIONS,
                "{\"model\":\"nova-micro\",\"max_tokens\":64,\"stream\":true,\"messages\":" + question + "}"));
        kinds.put("responses, stream", event(Route.RESPONSES,
                "{\"model\":\"nova-micro\",\"max_output_tokens\":64,\"stream\":true,\"input\":" + question + "}"));
        for (Map.Entry<String, byte[]> kind : kinds.entrySet()) {
            ByteArrayOutputStream once = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(kind.getValue()), once, null);
            if (!once.toString(StandardCharsets.UTF_8).startsWith("{\"statusCode\":200")) {
                throw new IllegalStateException(kind.getKey() + " is not answered 200: " + once);
            }
            WarmTimer.sortedNanos(measured, 0, i -> call(handler, kind.getValue()));
        }
        Map<String, long[]> nanos = new LinkedHashMap<>();
        kinds.keySet().forEach(k -> nanos.put(k, new long[0]));
        int block = Math.max(1, measured / BLOCKS);
        for (int b = 0; b < BLOCKS; b++) {
            for (Map.Entry<String, byte[]> kind : kinds.entrySet()) {
                long[] more = WarmTimer.sortedNanos(0, block, i -> call(handler, kind.getValue()));
                long[] all = Arrays.copyOf(nanos.get(kind.getKey()), nanos.get(kind.getKey()).length + more.length);
                System.arraycopy(more, 0, all, all.length - more.length, more.length);
                nanos.put(kind.getKey(), all);
            }
        }
        System.out.printf("Warm overhead per request (in-process instant Bedrock fake, %,d requests per kind in %d "
                + "alternating blocks after %,d warm-up each):%n", block * BLOCKS, BLOCKS, measured);
        long[] chat = sorted(nanos.get("chat completion"));
        long[] chatStream = sorted(nanos.get("chat completion, stream"));
        for (Map.Entry<String, long[]> kind : nanos.entrySet()) {
            long[] sorted = sorted(kind.getValue());
            long[] base = kind.getKey().endsWith("stream") ? chatStream : chat;
            System.out.printf("  %-24s %s; p50 / chat %.2f, p99 / chat %.2f%n", kind.getKey(), WarmTimer.summary(sorted),
                    (double) WarmTimer.p50(sorted) / WarmTimer.p50(base), (double) WarmTimer.p99(sorted) / WarmTimer.p99(base));
        }
        System.out.println("  (streams are compared with the chat stream, the others with the chat completion)");
    }

    private static long[] sorted(long[] nanos) {
        long[] copy = nanos.clone();
        Arrays.sort(copy);
        return copy;
    }

    private static void call(BackendHandler handler, byte[] event) {
        handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(2048), null);
    }
}
