package io.llmgateway.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.backend.metering.DynamoDbCounterStore;
import io.llmgateway.backend.metering.InMemoryCounterStore;
import io.llmgateway.backend.metering.MutableClock;
import io.llmgateway.backend.metering.Plans;
import io.llmgateway.backend.metering.TokenMetering;
import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.Json;
import io.llmgateway.common.TokenStoreSettings.FailureMode;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * What the request's log line says about tokens: the reservation and its settlement, the limit that
 * refused a call, and a token store that could not be reached (with the metric CloudWatch counts).
 */
class TokenLogLineTest {

    static final Instant NOW = Instant.parse("2026-11-26T10:00:30Z");

    private final List<String> lines = new ArrayList<>();

    private HandlerAnswer chat(TokenMetering metering) {
        BackendHandler handler = new BackendHandler(FakeBedrock.answering("Hi.", 21, 4), TestSettings.settings(), metering,
                TestEvents.clock(), lines::add);
        return HandlerAnswer.invoke(handler, TestEvents.chat(Map.of("model", TestSettings.HAIKU, "max_tokens", 100,
                "messages", List.of(Map.of("role", "user", "content", "Hello there")))), TestContext.fresh());
    }

    private Map<String, Object> lastLine() throws Exception {
        return Json.readObject(lines.get(lines.size() - 1));
    }

    @Test
    void aServedCall_logsWhatWasReservedAndThatItWasSettled() throws Exception {
        TokenMetering metering = new TokenMetering(new InMemoryCounterStore(Plans.items(Map.of(TestEvents.API_KEY_ID, "p"),
                Plans.budget("p", 10_000, BudgetPeriod.DAY))), FailureMode.REFUSE, new MutableClock(NOW));

        assertThat(chat(metering).status()).isEqualTo(200);
        assertThat(lastLine()).containsEntry("tokensReserved", 108).containsEntry("tokenReservation", "settled")
                .containsEntry("inputTokens", 21).containsEntry("outputTokens", 4);
    }

    @Test
    void aRefusedCall_logsWhichLimitRefusedIt() throws Exception {
        TokenMetering metering = new TokenMetering(new InMemoryCounterStore(Plans.items(Map.of(TestEvents.API_KEY_ID, "p"),
                Plans.budget("p", 10, BudgetPeriod.DAY))), FailureMode.REFUSE, new MutableClock(NOW));

        assertThat(chat(metering).status()).isEqualTo(429);
        assertThat(lastLine()).containsEntry("refusedBy", "tokens").containsEntry("tokenLimit", "budget")
                .containsEntry("errorCode", "insufficient_quota");
    }

    @Test
    void anUnreachableDynamoDb_isA503_loggedWithItsCauseAndCounted() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        TokenMetering metering = new TokenMetering(new DynamoDbCounterStore(DynamoDbClientFactory.create(
                URI.create("http://127.0.0.1:" + closedPort), Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))), "tokens"),
                FailureMode.REFUSE, new MutableClock(NOW));

        HandlerAnswer answer = chat(metering);

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("Retry-After")).isEqualTo("5");
        Map<String, Object> line = lastLine();
        assertThat(line).containsEntry("tokenStore", "entitlements_unavailable").containsEntry("TokenStoreFailures", 1)
                .containsKey("_aws");
        // The count is a metric of the one definition, under this API's id (contract/Metrics).
        assertThat(io.llmgateway.testing.Emf.read(lines.get(lines.size() - 1)))
                .anySatisfy(d -> assertThat(d.shape()).isEqualTo("LlmGateway/TokenStoreFailures[ApiId]"));
        assertThat((String) line.get("tokenStoreCause")).contains("entitlements could not be loaded");
        assertThat(metering.stats().storeFailuresRefused).hasValue(1);
    }
}
