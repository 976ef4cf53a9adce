package io.llmgateway.local;

import static io.llmgateway.local.TestConfigs.throttle;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.common.EntitlementItems;
import io.llmgateway.config.StackConfig;
import io.llmgateway.testing.Dynalite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The local gateway's token store on a DynamoDB endpoint (a real dynalite): it creates the table,
 * writes the entitlements for its keys, and meters on it; its banner shows each plan's token limits.
 */
class LocalTokenStoreTest {

    @TempDir
    Path dir;

    @Test
    void onADynamoDbEndpoint_theGatewayWritesItsEntitlements_andCountsThere() throws Exception {
        Dynalite dynalite = Dynalite.get();
        String table = "local-" + UUID.randomUUID();
        StackConfig config = TestConfigs.config(Map.of("p", Map.of("throttle", throttle(1000, 1000),
                "tokens", Map.of("perMinute", 1000))), Map.of());
        try (LocalGateway gateway = LocalGateway.builder(config)
                .tokenStore(items -> LocalTokenTable.open(dynalite.http(), table, items)).start()) {
            HttpResponse<String> response = TestGateway.HTTP.send(HttpRequest.newBuilder(
                            URI.create(gateway.baseUrl() + "/chat/completions"))
                    .header("Authorization", "Bearer " + gateway.apiKeys().get("p-client"))
                    .POST(HttpRequest.BodyPublishers.ofString(TestGateway.CHAT)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("1000");
            String keyId = gateway.keys().stream().filter(k -> k.client().name().equals("p-client")).findFirst()
                    .orElseThrow().id();
            try (DynamoDbClient client = dynalite.client()) {
                assertThat(client.query(q -> q.tableName(table).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("usage#" + keyId)))).count())
                        .isEqualTo(1);
                assertThat(client.query(q -> q.tableName(table).keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(EntitlementItems.PARTITION))))
                        .count()).isEqualTo(2);
            }
        }
    }

    @Test
    void theBanner_showsEachPlansTokenLimits_andTheStore() throws Exception {
        Path stack = dir.resolve("Pulumi.tokens.yaml");
        Files.writeString(stack, Files.readString(Path.of("Pulumi.dev.yaml")).replace("      quota:\n",
                "      tokens:\n        perMinute: 20000\n        budget:\n          limit: 1000000\n          period: DAY\n"
                        + "        outputWeight: 4\n      models: [nova-micro]\n      maxTokens: 512\n      quota:\n"));
        String table = "banner-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LocalGatewayMain.Running running = LocalGatewayMain.start(new String[] {"--config", stack.toString(), "--port", "0",
                        "--dynamodb-endpoint", Dynalite.get().endpoint().toString(), "--token-table", table,
                        "--keys-file", dir.resolve("keys.json").toString()},
                new LocalGatewayMain.Environment(Map.of(), () -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("test", "test")), Clock.fixed(TestGateway.START, ZoneOffset.UTC), false),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true,
                        StandardCharsets.UTF_8));
        running.close();

        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("      20,000 tokens/min; budget 1,000,000 tokens/DAY (input x1, output x4); models nova-micro; "
                        + "max_tokens <= 512")
                .contains("  Token store   DynamoDB table " + table + " at " + Dynalite.get().endpoint() + "; on failure: refuse");
    }
}
