package io.llmgateway.backend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.infra.LambdaArchive;
import io.llmgateway.testing.ChildJvm;
import io.llmgateway.testing.ExtractedZip;
import io.llmgateway.testing.LambdaInvoker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zip the build produces for the backend function (src/assembly/backend.xml), as Lambda would
 * receive it: what it holds, and a fresh JVM on nothing but its contents answering requests.
 */
class BackendZipTest {

    private static final long MAX_BYTES = 8L * 1024 * 1024;
    private static final List<String> FORBIDDEN_CLASSES = List.of(
            "com/pulumi/", "org/apache/http", "org/apache/hc/", "io/netty/",
            "io/llmgateway/config/", "io/llmgateway/infra/", "io/llmgateway/local/", "io/llmgateway/App");
    private static final List<String> FORBIDDEN_JARS = List.of("apache-client", "apache5-client", "netty-nio-client",
            "httpclient", "httpcore", "pulumi", "jackson-databind", "joda-time");

    private static final String HANDLER = "io.llmgateway.backend.BackendHandler::handleRequest";

    private final Path zip = LambdaArchive.backend().zip();

    @TempDir
    Path events;

    @Test
    void archive_isSmallAndHoldsNoPulumiApacheOrNettyCode() throws IOException {
        assertThat(zip).exists();
        assertThat(Files.size(zip)).isLessThanOrEqualTo(MAX_BYTES);

        List<String> rootEntries = new ArrayList<>();
        List<String> jars = new ArrayList<>();
        List<String> nestedEntries = new ArrayList<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : Collections.list(file.entries())) {
                if (entry.getName().startsWith("lib/") && entry.getName().endsWith(".jar")) {
                    jars.add(entry.getName().substring(4));
                    try (ZipInputStream jar = new ZipInputStream(file.getInputStream(entry))) {
                        for (ZipEntry nested; (nested = jar.getNextEntry()) != null; ) {
                            nestedEntries.add(nested.getName());
                        }
                    }
                } else {
                    rootEntries.add(entry.getName());
                }
            }
        }

        assertThat(rootEntries).contains("io/llmgateway/backend/BackendHandler.class",
                "io/llmgateway/backend/internal/ProxyRequest.class", "io/llmgateway/contract/OpenAiError.class");
        assertThat(rootEntries).allSatisfy(name -> assertThat(name).matches(
                "io/(llmgateway/((backend|contract|common)/.*)?)?|lib/|" + BackendRuntimeZipTest.WRAPPER));
        assertThat(rootEntries).noneMatch(name -> name.contains("/authorizer/") || name.endsWith("Test.class"));
        assertThat(jars).isNotEmpty().allSatisfy(jar -> assertThat(jar).doesNotContain(FORBIDDEN_JARS));
        assertThat(jars).anyMatch(jar -> jar.startsWith("url-connection-client-"));
        assertThat(nestedEntries).isNotEmpty().noneMatch(name -> FORBIDDEN_CLASSES.stream().anyMatch(name::startsWith));
    }

    @Test
    void freshJvmOnTheArchive_constructsTheHandlerFromEnvironmentAndAnswersThroughTheSdksEndpointVariable()
            throws Exception {
        WireMockServer stub = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        stub.start();
        try (ExtractedZip archive = ExtractedZip.of(zip)) {
            stub.stubFor(post(urlPathEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                            .withBody("{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"Hi!\"}]}},"
                                    + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":3,\"outputTokens\":2,"
                                    + "\"totalTokens\":5}}")));
            Map<String, String> env = lambdaEnvironment(TestSettings.settings());
            env.put("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", stub.baseUrl());

            ChildJvm.Result result = ChildJvm.run(archive.classpathWith(LambdaInvoker.class),
                    List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1"), env, LambdaInvoker.class.getName(),
                    HANDLER, event("models", models()), event("chat", chat()));

            assertThat(result.exitCode()).as(result.describe()).isZero();
            List<ProxyResponse> responses = new ArrayList<>();
            for (String json : result.responses()) {
                responses.add(ProxyResponse.read(json.getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(responses).extracting(ProxyResponse::statusCode).containsExactly(200, 200);
            assertThat(responses.get(0).bodyText()).contains("\"id\":\"claude-haiku\"");
            assertThat(responses.get(1).bodyText()).contains("\"content\":\"Hi!\"", "\"total_tokens\":5");
            assertThat(responses.get(1).header("x-request-id")).isEqualTo("zip-chat");
            List<LoggedRequest> calls = stub.findAll(postRequestedFor(urlPathEqualTo(
                    "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse")));
            assertThat(calls).singleElement().satisfies(call -> assertThat(call.getHeader("Authorization"))
                    .contains("Credential=AKIDARCHIVETEST/", "/eu-central-1/bedrock/aws4_request"));
            // The function's own log lines: one per request, with the key id and never the key.
            assertThat(result.stdout().lines().filter(l -> l.startsWith("{\"requestId\"")))
                    .hasSize(2).allSatisfy(l -> assertThat(l).contains("\"apiKeyId\":\"zip-key-id\"")
                            .doesNotContain("zip-key-secret"));
        } finally {
            stub.stop();
        }
    }

    @Test
    void freshJvmOnTheArchive_withBrokenConfiguration_answers500JsonAndLogsTheCause() throws Exception {
        try (ExtractedZip archive = ExtractedZip.of(zip)) {
            Map<String, String> env = lambdaEnvironment(TestSettings.settings());
            env.remove(BackendSettings.ENV_MODELS);

            ChildJvm.Result result = ChildJvm.run(archive.classpathWith(LambdaInvoker.class),
                    List.of("-XX:TieredStopAtLevel=1"), env, LambdaInvoker.class.getName(), HANDLER,
                    event("models", models()));

            assertThat(result.exitCode()).as(result.describe()).isZero();
            ProxyResponse response = ProxyResponse.read(result.responses().get(0).getBytes(StandardCharsets.UTF_8));
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.bodyText()).contains("\"code\":\"internal_error\"").doesNotContain("LLM_GATEWAY");
            assertThat(result.stdout()).contains("\"event\":\"init_failed\"", "LLM_GATEWAY_MODELS is not set");
        }
    }

    private static ProxyEvent models() {
        return ProxyEvent.request("GET", "/v1/models").requestId("zip-models").apiKey("zip-key-id", "zip-key-secret")
                .requestTimeEpoch(System.currentTimeMillis());
    }

    private static ProxyEvent chat() {
        return ProxyEvent.request("POST", "/v1/chat/completions").requestId("zip-chat")
                .apiKey("zip-key-id", "zip-key-secret").header("Content-Type", "application/json")
                .requestTimeEpoch(System.currentTimeMillis())
                .body("{\"model\":\"claude-haiku\",\"max_tokens\":64,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}");
    }

    /** The event as a file the child JVM reads. */
    private String event(String name, ProxyEvent event) throws IOException {
        return Files.write(events.resolve(name + ".json"), event.toJson()).toString();
    }

    /** What Lambda and the stack put in the function's environment. */
    static Map<String, String> lambdaEnvironment(BackendSettings settings) {
        Map<String, String> env = new LinkedHashMap<>(settings.toEnvironment());
        env.put("AWS_REGION", "eu-central-1");
        env.put("AWS_ACCESS_KEY_ID", "AKIDARCHIVETEST");
        env.put("AWS_SECRET_ACCESS_KEY", "archive-test-secret");
        env.put("AWS_SESSION_TOKEN", "archive-test-token");
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

}
