package io.llmgateway.infra;

import static io.llmgateway.infra.testing.AwsTypes.FUNCTION;
import static io.llmgateway.infra.testing.AwsTypes.TABLE_ITEM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.common.Json;
import io.llmgateway.common.TokenStoreSettings;
import io.llmgateway.testing.Dynalite;
import java.nio.file.Files;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
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

    @TempDir
    Path dir;

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
        // The token table on a loopback dynalite, holding the items the stack declared: the zip reads
        // its entitlements from them, so a key on a plan sees the plan's models.
        Dynalite dynalite = Dynalite.get();
        String table = dynalite.newTable(env.get(TokenStoreSettings.ENV_TABLE) + "-" + UUID.randomUUID());
        try (DynamoDbClient client = dynalite.client()) {
            for (Registered item : run.ofType(TABLE_ITEM)) {
                Map<String, AttributeValue> attributes = new LinkedHashMap<>();
                Json.readObject((String) item.inputs().get("item")).forEach((name, value) ->
                        attributes.put(name, AttributeValue.fromS((String) asMap(value).get("S"))));
                client.putItem(put -> put.tableName(table).item(attributes));
            }
        }
        env.put(TokenStoreSettings.ENV_TABLE, table);
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString());
        String client = run.config().clients().keySet().iterator().next();
        Path event = dir.resolve("models.json");
        Files.writeString(event, Files.readString(fixturePath("models.json"))
                .replace("\"apiKeyId\": \"q8w7e6r5t4\"", "\"apiKeyId\": \"key-plans-key-" + client + "\""));

        try (ExtractedZip zip = ExtractedZip.of(code)) {
            ChildJvm.Result result = ChildJvm.run(zip.classpathWith(LambdaInvoker.class), List.of(), env,
                    LambdaInvoker.class.getName(), handler, event.toString(), fixturePath("models.json").toString());

            assertThat(result.exitCode()).as(result.describe()).isZero();
            // The function's JAVA_TOOL_OPTIONS reached the JVM, which says so on standard error.
            assertThat(result.stderr()).contains("Picked up JAVA_TOOL_OPTIONS: " + env.get("JAVA_TOOL_OPTIONS"));
            assertThat(result.responses()).as(result.describe()).hasSize(2);
            Map<String, Object> response = Json.readObject(result.responses().get(0));
            assertThat(response).containsEntry("statusCode", 200);
            Map<String, Object> body = Json.readObject((String) response.get("body"));
            assertThat(((List<?>) body.get("data")).stream().map(model -> (String) asMap(model).get("id")).toList())
                    .containsExactlyInAnyOrderElementsOf(run.config().models().keySet());
            // A key the stack put on no plan may use nothing: proof the entitlements were read from the table.
            Map<String, Object> stranger = Json.readObject((String) Json.readObject(result.responses().get(1)).get("body"));
            assertThat((List<?>) stranger.get("data")).as(result.describe()).isEmpty();
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
