package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.common.Json;
import io.llmgateway.infra.testing.AwsMocks;
import io.llmgateway.infra.testing.AwsMocks.Registered;
import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import io.llmgateway.testing.ChildJvm;
import io.llmgateway.testing.ExtractedZip;
import io.llmgateway.testing.LambdaInvoker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each function the stack declares would run: its {@code handler} and its {@code code} are taken
 * from the program's registrations (not from constants), the zip at that path is opened, and the
 * handler class is loaded from that zip alone and answers one event. A renamed handler class, a
 * handler the zip does not pack, or an environment the handler cannot read fails here instead of in
 * the deployed function.
 */
class DeployedHandlersTest {

    /** The Bearer key of events/authorizer-request.json. */
    private static final String BEARER_KEY = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd";

    static Stream<Named<StackRun>> stacks() {
        return StackRuns.both();
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theAuthorizerFunctionsHandlerLoadsFromItsZipAloneAndAllowsABearerKey(StackRun run) throws Exception {
        Registered function = run.one(FUNCTION, "authorizer-function");
        String handler = function.string("handler");
        Path code = run.fileArchive(FUNCTION, "authorizer-function", "code");
        assertThat(code).isEqualTo(LambdaArchive.authorizer().zip());

        try (ExtractedZip zip = ExtractedZip.of(code)) {
            ClassLoader loader = zip.isolatedClassLoader();
            assertThat(LambdaInvoker.handlerClass(loader, handler).getClassLoader()).isSameAs(loader);
            // The loader sees the zip and the JDK only: neither the test classpath nor an AWS SDK.
            assertThatThrownBy(() -> loader.loadClass("org.junit.jupiter.api.Test"))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> loader.loadClass("software.amazon.awssdk.core.SdkBytes"))
                    .isInstanceOf(ClassNotFoundException.class);

            byte[] answer = LambdaInvoker.invoke(loader, handler, fixture("authorizer-request.json"));

            Map<String, Object> response = Json.readObject(new String(answer, StandardCharsets.UTF_8));
            assertThat(response).containsEntry("usageIdentifierKey", BEARER_KEY).containsKey("principalId");
            Map<String, Object> policy = asMap(response.get("policyDocument"));
            assertThat((List<?>) policy.get("Statement")).singleElement().satisfies(statement -> assertThat(asMap(statement))
                    .containsEntry("Effect", "Allow")
                    .containsEntry("Action", "execute-api:Invoke"));
        }
    }

    @ParameterizedTest
    @MethodSource("stacks")
    void theBackendFunctionsHandlerRunsFromItsZipInAFreshJvmWithItsDeclaredEnvironment(StackRun run) throws Exception {
        Registered function = run.one(FUNCTION, "backend-function");
        String handler = function.string("handler");
        Path code = run.fileArchive(FUNCTION, "backend-function", "code");
        assertThat(code).isEqualTo(LambdaArchive.backend().zip());
        Map<String, String> env = lambdaEnvironment(function);

        try (ExtractedZip zip = ExtractedZip.of(code)) {
            ChildJvm.Result result = ChildJvm.run(zip.classpathWith(LambdaInvoker.class), List.of(), env,
                    LambdaInvoker.class.getName(), handler, fixturePath("models.json").toString());

            assertThat(result.exitCode()).as(result.describe()).isZero();
            // The function's JAVA_TOOL_OPTIONS reached the JVM, which says so on standard error.
            assertThat(result.stderr()).contains("Picked up JAVA_TOOL_OPTIONS: " + env.get("JAVA_TOOL_OPTIONS"));
            assertThat(result.responses()).as(result.describe()).hasSize(1);
            Map<String, Object> response = Json.readObject(result.responses().get(0));
            assertThat(response).containsEntry("statusCode", 200);
            Map<String, Object> body = Json.readObject((String) response.get("body"));
            assertThat(((List<?>) body.get("data")).stream().map(model -> (String) asMap(model).get("id")).toList())
                    .containsExactlyInAnyOrderElementsOf(run.config().models().keySet());
        }
    }

    /**
     * The function's variables as the program declared them, plus what Lambda itself sets: the
     * Region, the role's credentials (fakes here; listing models calls no AWS API) and a PATH.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, String> lambdaEnvironment(Registered function) {
        Map<String, Object> environment = (Map<String, Object>) function.inputs().get("environment");
        Map<String, String> env = new LinkedHashMap<>((Map<String, String>) environment.get("variables"));
        env.put("AWS_REGION", AwsMocks.REGION);
        env.put("AWS_ACCESS_KEY_ID", "AKIDWIRINGTEST");
        env.put("AWS_SECRET_ACCESS_KEY", "wiring-test-secret");
        env.put("AWS_SESSION_TOKEN", "wiring-test-token");
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private static byte[] fixture(String name) {
        try (InputStream in = Objects.requireNonNull(DeployedHandlersTest.class.getResourceAsStream("/events/" + name),
                name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path fixturePath(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(DeployedHandlersTest.class.getResource("/events/" + name), name).toURI());
    }
}
