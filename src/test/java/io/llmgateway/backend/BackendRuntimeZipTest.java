package io.llmgateway.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.contract.Route;
import io.llmgateway.infra.LambdaArchive;
import io.llmgateway.local.RuntimeApiEmulator;
import io.llmgateway.testing.ExtractedZip;
import io.llmgateway.testing.StreamingBedrock;
import io.llmgateway.testing.ZipModes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend zip's runtime wrapper (src/main/lambda/llm-gateway-runtime): in the zip, executable,
 * and, run with the command line of Lambda's managed Java runtime as a wrapper script receives it,
 * starting this project's runtime client on the zip's classes: the backend's SnapStart priming runs
 * before {@code /runtime/restore/next}, and invocations are answered after the restore.
 */
class BackendRuntimeZipTest {

    static final String WRAPPER = "llm-gateway-runtime";
    private static final String HANDLER = "io.llmgateway.backend.BackendHandler::handleRequest";

    private final Path zip = LambdaArchive.backend().zip();

    @TempDir
    Path work;

    @Test
    void archive_holdsTheWrapperAtItsRoot_executable_withUnixLineEndings() throws IOException {
        assertThat(ZipModes.of(zip)).containsEntry(WRAPPER, 0100755);
        try (ZipFile file = new ZipFile(zip.toFile())) {
            String script = new String(file.getInputStream(file.getEntry(WRAPPER)).readAllBytes(), StandardCharsets.UTF_8);
            assertThat(script).startsWith("#!/bin/bash\n").doesNotContain("\r");
        }
    }

    @Test
    void wrapper_givenTheManagedRuntimesCommandLine_runsTheRuntimeClient_primesBeforeTheSnapshot_andAnswers()
            throws Exception {
        try (ExtractedZip archive = ExtractedZip.of(zip)) {
            Process process = null;
            // Closing the emulator ends the runtime; then its process is waited for.
            try (RuntimeApiEmulator emulator = RuntimeApiEmulator.start()) {
                Map<String, String> env = BackendZipTest.lambdaEnvironment(TestSettings.settings());
                env.put("AWS_LAMBDA_RUNTIME_API", emulator.address());
                env.put("LAMBDA_TASK_ROOT", archive.root().toString());
                env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
                env.put("_HANDLER", HANDLER);
                Path output = work.resolve("stdout.txt");
                process = start(archive.root().resolve(WRAPPER), env, output);
                assertThat(emulator.awaitRestoreRequested()).as(read(output)).isTrue();
                // The snapshot would be taken now: priming has run.
                assertThat(read(output)).contains("\"event\":\"primed\"").doesNotContain("init_failed");

                emulator.releaseRestore();
                RuntimeApiEmulator.Outcome outcome = emulator.enqueue(ProxyEvent.request("GET", "/v1/models")
                        .requestId("zip-models").apiKey("zip-key-id", "zip-key-secret")
                        .requestTimeEpoch(System.currentTimeMillis()).toJson()).awaitOutcome();

                ProxyResponse response = ProxyResponse.read(outcome.body());
                assertThat(response.statusCode()).as(read(output)).isEqualTo(200);
                assertThat(response.bodyText()).contains("\"id\":\"claude-haiku\"");
                assertThat(emulator.initErrors()).isEmpty();
                assertThat(emulator.violations()).isEmpty();
            } finally {
                if (process != null && !process.waitFor(RuntimeApiEmulator.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /**
     * The zip holds everything a stream needs (the SDK's event-stream parsing, the ConverseStream client
     * on its own HTTP client, no Netty): under the wrapper, with the chat route streaming, a chat
     * completion with {@code stream: true} is answered from a loopback Bedrock's event stream as a
     * streamed response of chat chunks.
     */
    @Test
    void theZipStreams_aChatCompletion_fromBedrocksEventStream() throws Exception {
        try (ExtractedZip archive = ExtractedZip.of(zip); StreamingBedrock bedrock = StreamingBedrock.start()) {
            Process process = null;
            // Closing the emulator ends the runtime; then its process is waited for.
            try (RuntimeApiEmulator emulator = RuntimeApiEmulator.start()) {
                BackendSettings base = TestSettings.settings();
                BackendSettings streaming = new BackendSettings(base.models(), base.maxTokensDefault(),
                        base.maxTokensCeiling(), base.maxRequestBytes(), base.integrationTimeoutMs(),
                        base.planRatePerRoute(), base.corsOrigins(), base.maxEmbeddingInputs(),
                        Map.of(Route.CHAT_COMPLETIONS.throttlePath(), 60_000));
                Map<String, String> env = BackendZipTest.lambdaEnvironment(streaming);
                env.put("AWS_LAMBDA_RUNTIME_API", emulator.address());
                env.put("LAMBDA_TASK_ROOT", archive.root().toString());
                env.put("_HANDLER", HANDLER);
                env.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", bedrock.endpoint().toString());
                bedrock.enqueue(StreamingBedrock.Script.text(List.of("Hello", " from", " the zip"), 9, 4));
                Path output = work.resolve("stdout-stream.txt");
                process = start(archive.root().resolve(WRAPPER), env, output);
                RuntimeApiEmulator.Outcome outcome = emulator.enqueue(ProxyEvent.request("POST", "/v1/chat/completions")
                        .requestId("zip-stream").apiKey("zip-key-id", "zip-key-secret")
                        .requestTimeEpoch(System.currentTimeMillis())
                        .body("{\"model\":\"claude-haiku\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                        .toJson()).awaitOutcome();
                assertThat(outcome.mode()).as(read(output)).isEqualTo(RuntimeApiEmulator.Mode.STREAMED);
                String body = BackendStreamingTest.body(outcome.body());
                assertThat(BackendStreamingTest.prelude(outcome.body())).containsEntry("statusCode", 200);
                assertThat(body).contains("\"content\":\"Hello\"", "\"content\":\" the zip\"")
                        .endsWith("data: [DONE]\n\n");
                assertThat(emulator.violations()).isEmpty();
            } finally {
                if (process != null && !process.waitFor(RuntimeApiEmulator.PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /**
     * The wrapper, as Lambda's java21 runtime starts it: the JVM, its options (as a wrapper script
     * sees them on the managed runtime, including the CRaC implementation AWS's client brings), the
     * runtime's jars (absent here, as the classpath allows), AWS's main class and the handler.
     */
    private static Process start(Path wrapper, Map<String, String> env, Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", wrapper.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:on",
                "--add-opens", "java.base/java.io=ALL-UNNAMED",
                "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac", "-Djava.net.preferIPv4Stack=true",
                "-classpath", "/var/runtime/lib/aws-lambda-java-core-1.2.3.jar:"
                        + "/var/runtime/lib/aws-lambda-java-runtime-interface-client-2.4.1-linux-x86_64.jar",
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    private static String read(Path output) throws IOException {
        return Files.exists(output) ? Files.readString(output) : "";
    }
}
