package io.llmgateway.backend.bench;

import io.llmgateway.backend.BackendHandler;
import io.llmgateway.backend.BedrockClientFactory;
import io.llmgateway.backend.internal.BedrockStream;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.runtime.CheckpointHooks;
import io.llmgateway.backend.runtime.RuntimeApi;
import io.llmgateway.backend.runtime.RuntimeLoop;
import io.llmgateway.backend.runtime.RuntimeMain;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Route;
import io.llmgateway.local.RuntimeApiEmulator;
import io.llmgateway.testing.StreamingBedrock;
import io.llmgateway.testing.StreamingBedrock.Script;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.Message;

/**
 * What streaming costs and gives, in one run (issue 19). Not a test: run it on demand.
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -DmainClass=io.llmgateway.backend.bench.StreamingBenchmark [-DmainArgs=RUNS]
 * </pre>
 *
 * <ul>
 *   <li><b>first content / total</b>: a chat completion with {@code stream: true} through the backend
 *       handler, the runtime client and the Runtime API emulator, from a loopback Bedrock that streams
 *       40 tokens 50 ms apart in the real event-stream encoding; when the first content chunk and the end
 *       reach the Runtime API after the invocation was handed over. Buffered, both would be the total.</li>
 *   <li><b>backend overhead per streamed chunk</b>: 2,000 deltas with no pause, through the whole backend
 *       (SDK parse, chat chunk encoding, metering, runtime client framing, emulator), against the floor:
 *       the same stream read by the same SDK client with nothing done per event.</li>
 *   <li><b>cold start</b> (fresh JVMs, the function's flags): the backend handler built and asking for
 *       its first invocation, under AWS's runtime interface client with streaming off (the buffered
 *       function), and under this project's {@code RuntimeMain} with the chat route streaming (the
 *       wrapper's runtime, and the ConverseStream client built at init): what streaming costs at a
 *       cold start without SnapStart.</li>
 * </ul>
 * RUNS (default 3) rounds; medians are printed.
 */
public final class StreamingBenchmark {

    private static final int TOKENS = 40;
    private static final Duration TOKEN_GAP = Duration.ofMillis(50);
    private static final int CHUNKS = 2_000;

    private StreamingBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        List<Double> first = new ArrayList<>();
        List<Double> total = new ArrayList<>();
        List<Double> backendChunk = new ArrayList<>();
        List<Double> floorChunk = new ArrayList<>();
        List<Double> buffered = new ArrayList<>();
        List<Double> streaming = new ArrayList<>();
        try (Backend backend = new Backend()) {
            backend.measure(Script.text(List.of("tok "), 1, 1), 1); // class loading is not what is measured
            backend.direct(chunks(200));
            backend.measure(chunks(200), 1);
            for (int run = 0; run < runs; run++) {
                Script paced = new Script().event("messageStart", Map.of("role", "assistant"));
                for (int i = 0; i < TOKENS; i++) {
                    paced.pause(TOKEN_GAP).delta(0, "tok ");
                }
                double[] timing = backend.measure(paced.stop("end_turn").usage(10, TOKENS), TOKENS);
                first.add(timing[0]);
                total.add(timing[1]);
                double direct = backend.direct(chunks(CHUNKS));
                double whole = backend.measure(chunks(CHUNKS), CHUNKS)[1];
                floorChunk.add(direct * 1000 / CHUNKS);
                backendChunk.add((whole - direct) * 1000 / CHUNKS);
                buffered.add(coldStart(false));
                streaming.add(coldStart(true));
            }
        }
        System.out.printf("first content / total (%d tokens, %d ms apart): %.1f ms / %.1f ms (%.3f)%n", TOKENS,
                TOKEN_GAP.toMillis(), RuntimeClientBenchmark.median(first), RuntimeClientBenchmark.median(total), RuntimeClientBenchmark.median(first) / RuntimeClientBenchmark.median(total));
        System.out.printf("per streamed chunk: backend overhead %.1f us, SDK floor %.1f us (%d chunks)%n",
                RuntimeClientBenchmark.median(backendChunk), RuntimeClientBenchmark.median(floorChunk), CHUNKS);
        System.out.printf("cold start to first GET next: buffered (AWS client) %.0f ms, streaming (RuntimeMain) %.0f ms"
                + " (%.2f)%n", RuntimeClientBenchmark.median(buffered), RuntimeClientBenchmark.median(streaming), RuntimeClientBenchmark.median(streaming) / RuntimeClientBenchmark.median(buffered));
    }

    private static Script chunks(int count) {
        Script script = new Script().event("messageStart", Map.of("role", "assistant"));
        for (int i = 0; i < count; i++) {
            script.delta(0, "tok ");
        }
        return script.stop("end_turn").usage(10, count);
    }

    /** The backend on a runtime loop against an emulator, streaming from a loopback Bedrock. */
    private static final class Backend implements AutoCloseable {
        final StreamingBedrock bedrock = StreamingBedrock.start();
        final RuntimeApiEmulator emulator = RuntimeApiEmulator.start();
        final BedrockRuntimeAsyncClient streams;
        final BedrockRuntimeClient converse;

        Backend() throws Exception {
            StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "SECRET"));
            streams = BedrockClientFactory.streamingBuilder(Region.US_EAST_1, credentials).endpointOverride(bedrock.endpoint())
                    .build();
            converse = BedrockClientFactory.builder(Region.US_EAST_1, credentials).endpointOverride(bedrock.endpoint()).build();
            BackendHandler handler = new BackendHandler(converse, streams, settings(), Metering.UNMETERED,
                    Clock.systemUTC(), line -> { });
            RuntimeLoop loop = new RuntimeLoop(new RuntimeApi(emulator.address()), line -> { });
            Thread thread = new Thread(() -> loop.run(() -> new RuntimeLoop.Function(handler, handler), false,
                    CheckpointHooks.NONE), "bench-runtime");
            thread.setDaemon(true);
            thread.start();
        }

        /** {ms to the first content chunk, ms to the end} at the Runtime API. */
        double[] measure(Script script, int contentChunks) throws Exception {
            bedrock.enqueue(script);
            byte[] event = chatEvent();
            long start = System.nanoTime();
            RuntimeApiEmulator.Call call = emulator.enqueue(event);
            double first = -1;
            while (first < 0) {
                byte[] chunk = call.awaitChunk();
                if (new String(chunk, StandardCharsets.UTF_8).contains("\"content\":\"tok")) {
                    first = (System.nanoTime() - start) / 1e6;
                }
            }
            call.awaitOutcome();
            return new double[] {first, (System.nanoTime() - start) / 1e6};
        }

        /** ms for the SDK alone to read the stream: the floor. */
        double direct(Script script) {
            bedrock.enqueue(script);
            ConverseStreamRequest request = ConverseStreamRequest.builder().modelId("anthropic.claude-3-haiku-20240307-v1:0")
                    .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText("hi")).build())
                    .build();
            long start = System.nanoTime();
            try (BedrockStream stream = BedrockStream.open(streams, request, 60_000)) {
                while (stream.next() != null) {
                    // nothing per event
                }
            }
            return (System.nanoTime() - start) / 1e6;
        }

        @Override
        public void close() throws IOException {
            emulator.close();
            bedrock.close();
            streams.close();
            converse.close();
        }
    }

    private static BackendSettings settings() {
        return new BackendSettings(Map.of("haiku", "anthropic.claude-3-haiku-20240307-v1:0"), 512, 4096, 1 << 20, 29_000,
                Map.of(), List.of(), BackendSettings.DEFAULT_MAX_EMBEDDING_INPUTS,
                Map.of(Route.CHAT_COMPLETIONS.throttlePath(), 300_000));
    }

    private static byte[] chatEvent() {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("resource", Route.CHAT_COMPLETIONS.path());
        event.put("path", Route.CHAT_COMPLETIONS.path());
        event.put("httpMethod", "POST");
        event.put("headers", Map.of("Content-Type", "application/json"));
        event.put("requestContext", Map.of("requestId", "bench", "identity", Map.of("apiKeyId", "bench"),
                "requestTimeEpoch", System.currentTimeMillis()));
        event.put("body", Json.write(Map.of("model", "haiku", "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "hi")))));
        return Json.writeBytes(event);
    }

    /** ms from spawning a JVM to its first GET next, the backend handler built. */
    private static double coldStart(boolean streaming) throws Exception {
        List<String> entries = RuntimeClientBenchmark.classpathEntries().stream().filter(e -> streaming ? !e.contains("runtime-interface") : true)
                .filter(e -> !e.contains("pulumi")).toList();
        BackendSettings settings = settings();
        if (!streaming) {
            settings = new BackendSettings(settings.models(), 512, 4096, 1 << 20, 29_000, Map.of());
        }
        Map<String, String> env = new LinkedHashMap<>(settings.toEnvironment());
        env.putAll(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "AKID", "AWS_SECRET_ACCESS_KEY", "SECRET"));
        try (ChildRuntime child = ChildRuntime.start(entries,
                streaming ? List.of("-Dorg.crac.Core.Compat=io.llmgateway.backend.runtime.crac") : List.of(),
                streaming ? RuntimeMain.class.getName() : RuntimeClientBenchmark.RIC_MAIN,
                BackendHandler.class.getName() + "::handleRequest", env)) {
            String out = child.output();
            if (out.contains("init_failed")) {
                throw new IllegalStateException("the backend's init failed:\n" + out);
            }
            return child.startMillis();
        }
    }
}
