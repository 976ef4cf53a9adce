package io.llmgateway.backend;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.llmgateway.backend.internal.Exchange;
import io.llmgateway.backend.metering.DynamoDbCounterStore;
import io.llmgateway.backend.metering.DynamoDbHttp;
import io.llmgateway.backend.responses.DynamoDbResponseStore;
import io.llmgateway.backend.responses.StoredResponses;
import io.llmgateway.backend.metering.Metering;
import io.llmgateway.backend.metering.TokenMetering;
import io.llmgateway.backend.runtime.HttpHandler;
import io.llmgateway.backend.runtime.Invocation;
import io.llmgateway.backend.runtime.LambdaContext;
import io.llmgateway.backend.runtime.ResponseMode;
import io.llmgateway.backend.runtime.ResponseModes;
import io.llmgateway.backend.runtime.ResponseSink;
import io.llmgateway.backend.runtime.RuntimeEnvironment;
import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.Json;
import io.llmgateway.common.ResponseStoreSettings;
import io.llmgateway.common.TokenStoreSettings;
import io.llmgateway.contract.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.crac.Core;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;

/**
 * The backend Lambda: {@code POST /v1/chat/completions} and {@code GET /v1/models} behind an API Gateway
 * REST API (AWS_PROXY integration, payload 1.0), answered through Bedrock's Converse API in OpenAI's
 * shapes.
 *
 * <p>It is a stream handler, not a typed {@code RequestHandler}, because the typed event drops
 * {@code requestContext.identity.apiKeyId} (see {@link io.llmgateway.backend.internal.ProxyRequest}). Each request
 * writes one JSON line to standard output, which Lambda ships to CloudWatch Logs. The requests go to the
 * {@link BackendRouter}, or to a {@link FailedStart} when the configuration could not be read.
 */
public final class BackendHandler implements RequestStreamHandler, HttpHandler, ResponseModes {

    private final Exchange exchange;
    /** Which routes' integrations stream, by {@link Route#throttlePath()}: their answers take the streaming format. */
    private final Set<String> streamingRoutes;
    private final Clock clock;
    private RuntimeEnvironment environment;
    /**
     * Kept here because CRaC holds registered resources only weakly; without this reference the
     * priming hook could be collected before the snapshot (CRaC/org.crac#2).
     */
    private final Priming priming;
    /** Held for the same reason: it reloads the entitlements after a SnapStart restore. */
    private final EntitlementReload entitlementReload;

    /**
     * Lambda's init: settings from the function's environment, the Bedrock client, token metering on
     * the token table when the environment names one (with the entitlements loaded now and again after
     * a SnapStart restore), and the SnapStart priming hook. A configuration it cannot read does not fail the init: every request is then
     * answered with a generic 500 in OpenAI's shape, and the cause is logged.
     */
    public BackendHandler() {
        Consumer<String> log = System.out::println;
        Exchange built;
        Set<String> streaming = Set.of();
        Priming hook = null;
        EntitlementReload reload = null;
        try {
            BackendSettings settings = BackendSettings.fromEnvironment(System.getenv());
            streaming = settings.streamingRoutes().keySet();
            BedrockRuntimeClient bedrock = BedrockClientFactory.fromLambdaEnvironment();
            BedrockRuntimeAsyncClient bedrockStreams = streaming.isEmpty() ? null
                    : BedrockClientFactory.streamingFromLambdaEnvironment();
            Metering metering = Metering.UNMETERED;
            TokenStoreSettings tokens = TokenStoreSettings.fromEnvironment(System.getenv());
            ResponseStoreSettings responses = ResponseStoreSettings.fromEnvironment(System.getenv());
            DynamoDbHttp dynamo = tokens == null && responses == null ? null : DynamoDbClientFactory.fromLambdaEnvironment();
            StoredResponses stored = responses == null ? null : new StoredResponses(
                    new DynamoDbResponseStore(dynamo, responses.tableName()), responses.ttlDays(), Clock.systemUTC());
            if (tokens != null) {
                TokenMetering tokenMetering = new TokenMetering(
                        new DynamoDbCounterStore(dynamo, tokens.tableName()),
                        tokens.failureMode(), Clock.systemUTC());
                metering = tokenMetering;
                reload = new EntitlementReload(tokenMetering, log);
                Core.getGlobalContext().register(reload);
            }
            built = BackendRouter.exchange(bedrock, bedrockStreams, settings, metering, stored, Clock.systemUTC(), log);
            hook = new Priming(settings, Region.of(System.getenv("AWS_REGION")), log);
            Core.getGlobalContext().register(hook);
        } catch (RuntimeException e) {
            String cause = e.getClass().getName() + ": " + e.getMessage();
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("event", "init_failed");
            line.put("cause", cause);
            log.accept(Json.write(line));
            built = FailedStart.exchange(cause, log);
        }
        this.exchange = built;
        this.streamingRoutes = streaming;
        this.clock = Clock.systemUTC();
        this.priming = hook;
        this.entitlementReload = reload;
    }

    /** A handler without token limits ({@link Metering#UNMETERED}). */
    public BackendHandler(BedrockRuntimeClient bedrock, BackendSettings settings, Clock clock, Consumer<String> log) {
        this(bedrock, settings, Metering.UNMETERED, clock, log);
    }

    /**
     * @param metering what each caller may use and spend
     * @param clock    the time for {@code created} and for the deadline
     * @param log      where each request's JSON log line goes; on Lambda, standard output (which Lambda
     *                 ships to CloudWatch Logs), in tests a list to assert on
     */
    public BackendHandler(BedrockRuntimeClient bedrock, BackendSettings settings, Metering metering, Clock clock,
                          Consumer<String> log) {
        this(bedrock, null, settings, metering, clock, log);
    }

    /**
     * @param bedrockStreams the client for ConverseStream on the streaming routes; null to answer
     *                       {@code stream: true} from one Converse call, written whole
     */
    public BackendHandler(BedrockRuntimeClient bedrock, BedrockRuntimeAsyncClient bedrockStreams,
                          BackendSettings settings, Metering metering, Clock clock, Consumer<String> log) {
        this(bedrock, bedrockStreams, settings, metering, null, clock, log);
    }

    /**
     * @param stored where Responses API responses are kept ({@code responses.store.enabled}), or null when
     *               the stack keeps none: then the stored-response routes do not exist
     */
    public BackendHandler(BedrockRuntimeClient bedrock, BedrockRuntimeAsyncClient bedrockStreams,
                          BackendSettings settings, Metering metering, StoredResponses stored, Clock clock,
                          Consumer<String> log) {
        this.exchange = BackendRouter.exchange(Objects.requireNonNull(bedrock, "bedrock"), bedrockStreams,
                Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(metering, "metering"), stored,
                clock, log);
        this.streamingRoutes = settings.streamingRoutes().keySet();
        this.clock = clock;
        this.priming = null;
        this.entitlementReload = null;
    }

    /**
     * Under this project's runtime (the {@code llm-gateway-runtime} wrapper): the route's integration
     * decides how the answer travels. A streaming route's integration is invoked with
     * InvokeWithResponseStream and must get the streaming format, errors included (API Gateway developer
     * guide, "Set up a Lambda proxy integration with payload response streaming in API Gateway"), the
     * others a buffered proxy response.
     */
    @Override
    public ResponseMode of(Invocation invocation) {
        if (streamingRoutes.isEmpty()) {
            return ResponseMode.BUFFERED;
        }
        try {
            Map<String, Object> event = Json.readObject(new String(invocation.event(), java.nio.charset.StandardCharsets.UTF_8));
            String method = event.get("httpMethod") instanceof String m ? m : "";
            for (Object path : new Object[] {event.get("resource"), event.get("path")}) {
                if (path instanceof String p) {
                    Optional<Route.Match> match = Route.match(method, p);
                    if (match.isPresent()) {
                        return streamingRoutes.contains(match.get().route().throttlePath())
                                ? ResponseMode.STREAMED : ResponseMode.BUFFERED;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not an event of ours: answered buffered, as a 400.
        }
        return ResponseMode.BUFFERED;
    }

    @Override
    public void handle(Invocation invocation, ResponseSink response) throws IOException {
        exchange.handle(invocation.event(), LambdaContext.of(invocation, environment(), clock), response);
    }

    private synchronized RuntimeEnvironment environment() {
        if (environment == null) {
            Map<String, String> env = new java.util.HashMap<>(System.getenv());
            env.putIfAbsent(RuntimeEnvironment.RUNTIME_API, "local");
            environment = RuntimeEnvironment.of(env);
        }
        return environment;
    }

    @Override
    public void handleRequest(InputStream in, OutputStream out, Context context) {
        try {
            out.write(exchange.handle(in.readAllBytes(), context));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the runtime's own streams failed: nothing to answer
        }
    }
}
