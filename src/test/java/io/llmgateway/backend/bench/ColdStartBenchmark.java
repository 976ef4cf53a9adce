package io.llmgateway.backend.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.llmgateway.backend.BackendHandler;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.contract.Route;
import io.llmgateway.infra.LambdaArchive;
import io.llmgateway.testing.ChildJvm;
import io.llmgateway.testing.ExtractedZip;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseOutput;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.TokenUsage;

/**
 * Cold start and warm overhead of the backend, measured on the built Lambda archive. Not a test: run it
 * on demand (the compile phase builds the archive first):
 *
 * <pre>
 * mvn -B -q test-compile exec:java -Dexec.classpathScope=test \
 *     -DmainClass=io.llmgateway.backend.bench.ColdStartBenchmark [-DmainArgs=RUNS]
 * </pre>
 *
 * <p>It starts a Bedrock stub on loopback, extracts target/lambda/llm-gateway-backend.zip, and then, RUNS
 * times (default 5), alternately:
 * <ul>
 *   <li><b>handler</b>: a fresh JVM on the archive's classpath, with the flags the stack gives the function
 *       ({@code JAVA_TOOL_OPTIONS=-XX:+TieredCompilation -XX:TieredStopAtLevel=1}), constructs
 *       {@code BackendHandler} with its no-argument constructor from environment variables (endpoint
 *       through {@code AWS_ENDPOINT_URL_BEDROCK_RUNTIME}) and sends one chat request ({@link HandlerProbe});</li>
 *   <li><b>baseline</b>: a fresh JVM on default flags builds a bare {@code BedrockRuntimeClient}
 *       (URL-connection client, explicit region, static credentials) and makes one Converse call to the
 *       same stub ({@link BaselineProbe}).</li>
 * </ul>
 * Both measure inside the child, at the first response: process CPU time (all threads) and wall time
 * from the JVM's start (see {@link ProbeMetrics}). Medians are reported; the goal is handler CPU
 * &le; 0.6 &times; baseline CPU. SnapStart priming plays no part here: no checkpoint is taken.
 *
 * <p>Then, in this JVM, the warm per-request overhead of the handler with an in-process Bedrock fake that
 * answers at once (goal: p99 &le; 1 ms), and the archive's size.
 */
public final class ColdStartBenchmark {

    private static final String ANSWER = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":"
            + "[{\"text\":\"Hello!\"}]}},\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":9,"
            + "\"outputTokens\":2,\"totalTokens\":11},\"metrics\":{\"latencyMs\":1}}";
    private static final List<String> LAMBDA_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1");

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0].trim()) : 5;
        Path zip = LambdaArchive.backend().zip();
        if (!Files.exists(zip)) {
            throw new IllegalStateException(zip + " is missing: run `mvn compile` first");
        }
        BackendSettings settings = new BackendSettings(
                Map.of("claude-haiku", "anthropic.claude-3-haiku-20240307-v1:0", "titan-embed", "amazon.titan-embed-text-v2:0"),
                512, 4096, 1 << 20, 29_000,
                Map.of(Route.CHAT_COMPLETIONS.throttlePath(), 2.0));

        WireMockServer stub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        stub.start();
        stub.stubFor(post(urlPathMatching("/model/.+/converse")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(ANSWER)));
        try (ExtractedZip archive = ExtractedZip.of(zip)) {
            List<Path> classpath = archive.classpathWith(HandlerProbe.class, BaselineProbe.class, ProbeMetrics.class);
            Map<String, String> env = new LinkedHashMap<>(settings.toEnvironment());
            env.put("AWS_REGION", "eu-central-1");
            env.put("AWS_ACCESS_KEY_ID", "AKIDBENCH");
            env.put("AWS_SECRET_ACCESS_KEY", "bench-secret");
            env.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", stub.baseUrl());
            env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
            Map<String, String> handlerEnv = new LinkedHashMap<>(env);
            handlerEnv.put("JAVA_TOOL_OPTIONS", String.join(" ", LAMBDA_FLAGS));

            // One unmeasured run of each warms the OS page cache, as on a Lambda host that has run the image.
            ChildJvm.run(classpath, List.of(), handlerEnv, HandlerProbe.class.getName(), "chat");
            ChildJvm.run(classpath, List.of(), env, BaselineProbe.class.getName(), stub.baseUrl());

            List<Map<String, Long>> handler = new ArrayList<>();
            List<Map<String, Long>> baseline = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                handler.add(measured(ChildJvm.run(classpath, List.of(), handlerEnv, HandlerProbe.class.getName(), "chat"),
                        "200"));
                baseline.add(measured(ChildJvm.run(classpath, List.of(), env, BaselineProbe.class.getName(), stub.baseUrl()),
                        "end_turn"));
            }
            long handlerCpu = median(handler, "cpuMs");
            long baselineCpu = median(baseline, "cpuMs");
            System.out.printf("Cold start, first response, median of %d (CPU = process CPU time, all threads; "
                    + "wall = from JVM start; both measured inside the child JVM):%n", runs);
            print("handler  (archive, no-arg constructor, " + String.join(" ", LAMBDA_FLAGS) + ")", handler);
            print("baseline (bare BedrockRuntimeClient + one Converse call, default JVM flags)", baseline);
            System.out.printf("  CPU ratio handler/baseline: %.2f (goal <= 0.60)%n", (double) handlerCpu / baselineCpu);
            System.out.printf("  wall ratio handler/baseline: %.2f%n",
                    (double) median(handler, "wallFromJvmStartMs") / median(baseline, "wallFromJvmStartMs"));
        } finally {
            stub.stop();
        }

        warmOverhead(settings);
        System.out.printf("Archive: %s, %,d bytes (%.2f MB; limit 8 MB)%n", zip.getFileName(), Files.size(zip),
                Files.size(zip) / (1024.0 * 1024.0));
    }

    private static Map<String, Long> measured(ChildJvm.Result result, String expected) {
        if (result.exitCode() != 0 || result.responses().isEmpty() || !result.responses().get(0).contains(expected)) {
            throw new IllegalStateException("probe failed: exit " + result.exitCode() + "\n" + result.stdout()
                    + "\n" + result.stderr());
        }
        return result.metrics();
    }

    private static void print(String label, List<Map<String, Long>> runs) {
        System.out.printf("  %s%n    CPU %d ms, wall %d ms (init %d ms, first request %d ms); CPU per run %s%n", label,
                median(runs, "cpuMs"), median(runs, "wallFromJvmStartMs"), median(runs, "initMs"),
                median(runs, "firstRequestMs"), runs.stream().map(r -> r.get("cpuMs")).toList());
    }

    private static long median(List<Map<String, Long>> runs, String key) {
        long[] values = runs.stream().mapToLong(r -> r.get(key)).sorted().toArray();
        return values[values.length / 2];
    }

    /** Handler overhead per request with Bedrock answering at once, after warm-up. */
    private static void warmOverhead(BackendSettings settings) throws Exception {
        ConverseResponse answer = ConverseResponse.builder()
                .output(ConverseOutput.fromMessage(Message.builder().role(ConversationRole.ASSISTANT)
                        .content(ContentBlock.fromText("Hello!")).build()))
                .stopReason(StopReason.END_TURN)
                .usage(TokenUsage.builder().inputTokens(9).outputTokens(2).totalTokens(11).build())
                .build();
        ConverseResponse toolAnswer = ConverseResponse.builder()
                .output(ConverseOutput.fromMessage(Message.builder().role(ConversationRole.ASSISTANT).content(
                        ContentBlock.fromText("Checking."),
                        ContentBlock.fromToolUse(software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock.builder()
                                .toolUseId("tooluse_1").name("get_weather")
                                .input(software.amazon.awssdk.core.document.Document.fromMap(Map.of("city",
                                        software.amazon.awssdk.core.document.Document.fromString("Paris"))))
                                .build())).build()))
                .stopReason(StopReason.TOOL_USE)
                .usage(TokenUsage.builder().inputTokens(60).outputTokens(12).totalTokens(72).build())
                .build();
        java.util.List<Double> vector = new java.util.ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            vector.add((i % 7) / 10.0);
        }
        software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse embedding =
                software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse.builder()
                        .contentType("application/json")
                        .body(software.amazon.awssdk.core.SdkBytes.fromUtf8String(io.llmgateway.common.Json.write(
                                Map.of("embedding", vector, "inputTextTokenCount", 3))))
                        .build();
        BedrockRuntimeClient instant = new BedrockRuntimeClient() {
            @Override
            public ConverseResponse converse(ConverseRequest request) {
                return request.toolConfig() == null ? answer : toolAnswer;
            }

            @Override
            public software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse invokeModel(
                    software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest request) {
                return embedding;
            }

            @Override
            public String serviceName() {
                return SERVICE_NAME;
            }

            @Override
            public void close() {
            }
        };
        // Log lines go to a discarding PrintStream, so formatting and encoding them still count.
        java.io.PrintStream discard = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        BackendHandler handler = new BackendHandler(instant, settings, java.time.Clock.systemUTC(), discard::println);
        String chat = new String(HandlerProbe.event("chat"), java.nio.charset.StandardCharsets.UTF_8);
        String tools = chat.replace("\\\"max_tokens\\\":64", "\\\"max_tokens\\\":64,\\\"tools\\\":[{\\\"type\\\":"
                + "\\\"function\\\",\\\"function\\\":{\\\"name\\\":\\\"get_weather\\\",\\\"parameters\\\":"
                + "{\\\"type\\\":\\\"object\\\",\\\"properties\\\":{\\\"city\\\":{\\\"type\\\":\\\"string\\\"}}}}}]");
        String embeddings = io.llmgateway.common.Json.write(Map.of("resource", "/v1/embeddings", "path", "/v1/embeddings",
                "httpMethod", "POST", "requestContext", Map.of("requestId", "probe-embed",
                        "requestTimeEpoch", System.currentTimeMillis(), "identity", Map.of("apiKeyId", "probe-key")),
                "body", "{\"model\":\"titan-embed\",\"input\":\"Say hello.\"}", "isBase64Encoded", false));
        Map<String, String> kinds = new java.util.LinkedHashMap<>();
        kinds.put("chat.completion", chat);
        kinds.put("buffered stream", chat.replace("\\\"max_tokens\\\":64", "\\\"max_tokens\\\":64,\\\"stream\\\":true"));
        kinds.put("tool call (tools offered, toolUse answer)", tools);
        kinds.put("embeddings (Titan v2, 1024 dimensions)", embeddings);
        Map<String, Double> p99 = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> kind : kinds.entrySet()) {
            byte[] event = kind.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ByteArrayOutputStream once = new ByteArrayOutputStream();
            handler.handleRequest(new ByteArrayInputStream(event), once, null);
            if (!once.toString(java.nio.charset.StandardCharsets.UTF_8).startsWith("{\"statusCode\":200")) {
                throw new IllegalStateException(kind.getKey() + " is not answered 200: " + once);
            }
            int warmup = 20_000;
            int measured = 20_000;
            long[] nanos = WarmTimer.sortedNanos(warmup, measured, i ->
                    handler.handleRequest(new ByteArrayInputStream(event), new ByteArrayOutputStream(1024), null));
            p99.put(kind.getKey(), nanos[(int) (nanos.length * 0.99)] / 1e6);
            System.out.printf("Warm overhead per request (%s, in-process instant Bedrock fake, %,d requests after "
                            + "%,d warm-up): %s (goal p99 <= 1 ms)%n", kind.getKey(), measured, warmup,
                    WarmTimer.summary(nanos));
        }
        double chatP99 = p99.get("chat.completion");
        p99.forEach((kind, value) -> System.out.printf("  p99 %s / chat.completion: %.2f%n", kind, value / chatP99));
    }
}
