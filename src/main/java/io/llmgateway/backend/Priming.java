package io.llmgateway.backend;

import io.llmgateway.backend.internal.CannedBedrockHttpClient;
import io.llmgateway.backend.internal.Exchange;
import io.llmgateway.backend.internal.LoopbackBedrock;
import io.llmgateway.backend.metering.InMemoryCounterStore;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.TokenMetering;
import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.TokenBudget;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.TokenStoreSettings;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.contract.Headers;
import io.llmgateway.contract.Route;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.crac.Context;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * SnapStart priming: before Lambda takes the snapshot, run the whole request path so its classes are
 * loaded and its hot methods compiled in the snapshot, rather than on a restored function's first
 * request (AWS Compute blog, "Reducing Java cold starts on AWS Lambda functions with SnapStart",
 * invoke priming).
 *
 * <p>It never calls Bedrock and never touches the function's own client: it builds a second client,
 * configured like the real one but with static dummy credentials, pointed at a stand-in Bedrock on a
 * loopback socket that answers with canned responses ({@link LoopbackBedrock}). Resolving the real
 * credentials here would bake them into the snapshot. {@code SnapStartBenchmark} measures what this buys.
 */
final class Priming implements Resource {

    private static final String ALIAS = "priming";
    private static final String INVALID_ALIAS = "priming-invalid";
    /** Rounds of every kind of request; the JIT compiles what runs often (C1 only, on Lambda's flags). */
    static final int ROUNDS = 10;
    private static final String PRIMING_KEY = "priming";

    private final BackendSettings settings;
    private final Region region;
    private final Consumer<String> log;

    /**
     * @param log where the one line saying what priming saw goes (the function's log): a snapshot
     *            taken without priming is then visible in CloudWatch
     */
    Priming(BackendSettings settings, Region region, Consumer<String> log) {
        this.settings = settings;
        this.region = region;
        this.log = log;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        Primed primed = primeWith();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "primed");
        line.put("statuses", primed.statuses());
        line.put("transport", primed.transport());
        line.put("durationMs", (System.nanoTime() - started) / 1_000_000);
        log.accept(Json.write(line));
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: the real client was never used before the snapshot.
    }

    /**
     * Runs each kind of request a few times through the backend's router on a client built like the function's,
     * talking real HTTP to a {@link LoopbackBedrock} on 127.0.0.1, so the HTTP client, sockets and
     * response parsing are primed with the rest; on the in-process {@link CannedBedrockHttpClient} when
     * no loopback socket can be opened.
     *
     * @return the statuses of the last round, one per kind of request
     */
    List<Integer> prime() {
        return primeWith().statuses();
    }

    /** What priming saw: the statuses of its last round, and how it reached its stand-in Bedrock. */
    record Primed(List<Integer> statuses, String transport) {
    }

    Primed primeWith() {
        BackendSettings primingSettings = new BackendSettings(
                Map.of(ALIAS, "amazon.priming-v1:0", INVALID_ALIAS, "amazon.priming-invalid-v1:0"),
                settings.maxTokensDefault(), settings.maxTokensCeiling(), settings.maxRequestBytes(),
                settings.integrationTimeoutMs(), settings.planRatePerRoute(), List.of(), settings.maxEmbeddingInputs(),
                settings.streamingRoutes());
        StaticCredentialsProvider dummy = StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));
        Primed primed = null;
        try (LoopbackBedrock loopback = LoopbackBedrock.start();
             BedrockRuntimeClient client = BedrockClientFactory.builder(region, dummy)
                     .endpointOverride(loopback.endpoint())
                     .build();
             BedrockRuntimeAsyncClient streams = BedrockClientFactory.streamingBuilder(region, dummy)
                     .endpointOverride(loopback.endpoint())
                     .build()) {
            // With a streaming route, the streamed chat request takes ConverseStream: the event-stream
            // parsing and the chunk encoding are primed too.
            primed = new Primed(rounds(client, primingSettings.streamingRoutes().isEmpty() ? null : streams,
                    primingSettings), "loopback");
        } catch (IOException | RuntimeException e) {
            // No loopback socket here: the in-process client still primes everything above HTTP.
        }
        if (primed == null) {
            try (BedrockRuntimeClient client = BedrockClientFactory.withoutHttpClient(region, dummy)
                    .httpClient(new CannedBedrockHttpClient())
                    .build()) {
                primed = new Primed(rounds(client, null, primingSettings), "canned");
            }
        }
        try {
            // Bedrock is HTTPS; the stand-ins are not. Opening (not connecting) an HTTPS connection loads
            // the JDK's HTTPS connection classes. The URL-connection client built its TLS context during init.
            URI.create("https://bedrock-runtime." + region.id() + ".amazonaws.com/").toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            // Then the first real request loads them; priming is an optimisation only.
        }
        return primed;
    }

    private static List<Integer> rounds(BedrockRuntimeClient client, BedrockRuntimeAsyncClient streams,
                                        BackendSettings primingSettings) {
        Exchange backend = BackendRouter.exchange(client, streams, primingSettings, primingMetering(), Clock.systemUTC(),
                line -> { });
        List<byte[]> events = List.of(
                event(Route.CHAT_COMPLETIONS, chat(ALIAS, false)),
                event(Route.CHAT_COMPLETIONS, chat(ALIAS, true)),
                event(Route.CHAT_COMPLETIONS, chat(INVALID_ALIAS, false)),
                event(Route.CHAT_COMPLETIONS, "{\"model\":\"" + ALIAS + "\",\"messages\":[],\"temperature\":9}"),
                event(Route.CHAT_COMPLETIONS, "not json"),
                event(Route.MODELS, null),
                event(Route.RESPONSES, "{\"model\":\"" + ALIAS + "\",\"input\":\"Hello\",\"max_output_tokens\":16}"),
                event(Route.RESPONSES, "{\"model\":\"" + ALIAS + "\",\"input\":\"Hello\",\"max_output_tokens\":16,"
                        + "\"stream\":true}"));
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            statuses.clear();
            for (byte[] event : events) {
                statuses.add(status(backend.handle(event, null)));
            }
        }
        return statuses;
    }

    /**
     * Token metering on an in-memory store, with the priming key on a plan that has both a per-minute
     * limit and a budget: the reservation and settlement paths are loaded and compiled too, without a
     * DynamoDB call.
     */
    private static Metering primingMetering() {
        PlanLimits plan = new PlanLimits("priming", Optional.empty(), OptionalInt.empty(), OptionalLong.of(1_000_000),
                Optional.of(TokenBudget.tokens(1_000_000_000L, BudgetPeriod.DAY, TokenRates.ONE_EACH)));
        return new TokenMetering(new InMemoryCounterStore(EntitlementItems.items(Map.of(plan.name(), plan),
                Map.of(PRIMING_KEY, plan.name()), 1)), TokenStoreSettings.FailureMode.REFUSE, Clock.systemUTC());
    }

    private static Integer status(byte[] response) {
        try {
            return ProxyResponse.read(response).statusCode();
        } catch (IOException e) {
            return null;
        }
    }

    private static String chat(String alias, boolean stream) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", alias);
        body.put("messages", List.of(
                Map.of("role", "system", "content", "You are terse."),
                Map.of("role", "user", "content", List.of(Map.of("type", "text", "text", "Say OK.")))));
        body.put("max_tokens", 16);
        body.put("temperature", 0.2);
        body.put("stop", List.of("\n\n"));
        body.put("stream", stream);
        if (stream) {
            body.put("stream_options", Map.of("include_usage", true));
        }
        return Json.write(body);
    }

    private static byte[] event(Route route, String body) {
        return ProxyEvent.request(route.method(), route.path())
                .requestId("priming")
                .requestTimeEpoch(System.currentTimeMillis())
                .apiKey(PRIMING_KEY, null)
                .sourceIp("127.0.0.1")
                .header(Headers.CONTENT_TYPE, Headers.JSON)
                .body(body)
                .toJson();
    }
}
