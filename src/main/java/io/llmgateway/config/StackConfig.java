package io.llmgateway.config;

import io.llmgateway.common.BackendSettings;
import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.common.ResponseStoreSettings;
import io.llmgateway.common.TokenBudget;
import io.llmgateway.common.BudgetUnit;
import io.llmgateway.common.PromptCaching;
import io.llmgateway.common.TokenRates;
import io.llmgateway.common.TokenStoreSettings;
import io.llmgateway.contract.GatewayResponse;
import io.llmgateway.contract.GatewayResponses;
import io.llmgateway.contract.RateLimits;
import io.llmgateway.contract.Route;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole stack config, validated. Built only by {@link ConfigLoader}; the Pulumi program and the
 * local gateway both read it, so a limit means the same thing in both places.
 *
 * <p>The scalars ({@link Setting}) come in groups, each a record of its own, so no two settings can
 * trade places unnoticed: how API Gateway serves the stage ({@link ApiSettings}), the backend function
 * ({@link LambdaSettings}), what a request may ask ({@link RequestLimits}), what is logged
 * ({@link Logging}) and the token table ({@link TokenStore}). {@code models}, {@code plans} and
 * {@code clients} are keyed maps in config order; {@code edge} is how clients reach the API (custom
 * domain, firewall, CORS, private endpoint), all off by default; {@code alarms} and {@code capacity} are
 * optional sections with defaults ({@link Alarms}, {@link Capacity}); {@code streaming} is on by
 * default ({@link Streaming}); {@code responses.store} is off by default ({@link ResponseStorage}). A new
 * group is one more record here, read by {@link ConfigLoader}. {@code promptCache} is, per model alias
 * that caches by itself ({@code models.<alias>.promptCache}), the TTL of its automatic prompt-cache points.
 */
public record StackConfig(
        String stageName,
        Map<String, BedrockModelId> models,
        Map<String, Plan> plans,
        Map<String, Client> clients,
        ApiSettings api,
        LambdaSettings lambda,
        RequestLimits limits,
        Logging logging,
        TokenStore tokenStore,
        Edge edge,
        Alarms alarms,
        Capacity capacity,
        Streaming streaming,
        Map<String, String> promptCache,
        ResponseStorage responseStorage) {

    public StackConfig {
        Objects.requireNonNull(stageName, "stageName");
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(lambda, "lambda");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(logging, "logging");
        Objects.requireNonNull(tokenStore, "tokenStore");
        Objects.requireNonNull(edge, "edge");
        Objects.requireNonNull(alarms, "alarms");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(streaming, "streaming");
        Objects.requireNonNull(responseStorage, "responseStorage");
        models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
        plans = Collections.unmodifiableMap(new LinkedHashMap<>(plans));
        clients = Collections.unmodifiableMap(new LinkedHashMap<>(clients));
        promptCache = Collections.unmodifiableMap(new LinkedHashMap<>(promptCache));
    }

    public Plan planOf(Client client) {
        return plans.get(client.plan());
    }

    /** The smallest rate of any plan or per-method throttle, requests per second. */
    private double slowestRate() {
        return plans.values().stream()
                .flatMap(p -> Stream.concat(Stream.of(p.throttle()), p.methodThrottles().values().stream()))
                .mapToDouble(Throttle::rateLimit)
                .min()
                .orElseThrow();
    }

    /**
     * The gateway responses this config declares (THROTTLED's Retry-After follows the slowest rate), with
     * the CORS headers when browsers may call the API.
     */
    public List<GatewayResponse> gatewayResponses() {
        return edge.cors().onGatewayResponses(
                GatewayResponses.all(RateLimits.throttledRetryAfterSeconds(slowestRate()), keyHeaders()));
    }

    /** With authorizer caching only Bearer keys work: API Gateway caches under Authorization alone. */
    private GatewayResponses.KeyHeaders keyHeaders() {
        return api.authorizerCacheTtlSeconds() > 0 ? GatewayResponses.KeyHeaders.BEARER_ONLY
                : GatewayResponses.KeyHeaders.BEARER_OR_X_API_KEY;
    }

    /**
     * Per route, the plan rate when every plan gives that route the same rate. The backend can only
     * send a true {@code x-ratelimit-limit-requests} when the rate does not depend on who calls.
     */
    private Map<String, Double> uniformPlanRates() {
        Map<String, Double> rates = new LinkedHashMap<>();
        // The stored-response routes are left out: they call no model, and the environment is near 4 KB.
        for (Route route : Route.served(false)) {
            Set<Double> distinct = plans.values().stream()
                    .map(p -> p.throttleFor(route).rateLimit())
                    .collect(Collectors.toSet());
            if (distinct.size() == 1) {
                rates.put(route.throttlePath(), distinct.iterator().next());
            }
        }
        return rates;
    }

    /** What the backend Lambda is told, as the same record the local gateway hands its handler. */
    public BackendSettings backendSettings() {
        Map<String, String> modelIds = new LinkedHashMap<>();
        models.forEach((alias, id) -> modelIds.put(alias, id.id()));
        return new BackendSettings(modelIds, limits.maxTokensDefault(), limits.maxTokensCeiling(),
                limits.maxRequestBytes(), api.integrationTimeoutMs(), uniformPlanRates(), edge.cors().allowedOrigins(),
                limits.maxEmbeddingInputs(), streaming.timeoutsByRoute(), promptCache);
    }

    /** The routes this stack serves: the stored-response routes only with {@code responses.store.enabled}. */
    public List<Route> routes() {
        return Route.served(responseStorage.enabled());
    }

    /** What the backend is told of stored responses, beside a token table of this name; empty when off. */
    public Optional<ResponseStoreSettings> responseStoreSettings(String tokenTableName) {
        return responseStorage.enabled()
                ? Optional.of(new ResponseStoreSettings(ResponseStoreSettings.tableNameFor(tokenTableName),
                        responseStorage.ttlDays()))
                : Optional.empty();
    }

    /** The token table's settings for the backend, for a table of this name. */
    public TokenStoreSettings tokenStoreSettings(String tableName) {
        return new TokenStoreSettings(tableName, tokenStore.failureMode());
    }

    /** Per plan, what its keys may use and spend, as the backend reads it from the token table. */
    public Map<String, PlanLimits> planLimits() {
        Map<String, PlanLimits> limits = new LinkedHashMap<>();
        plans.values().forEach(plan -> limits.put(plan.name(), limits(plan)));
        return limits;
    }

    /** A token budget's weights for a model of this family: the plan's, else the family's ratios to input. */
    private static TokenRates weights(PlanTokens tokens, PromptCaching.Family family) {
        long input = tokens.inputWeight();
        PlanTokens.CacheWeights cache = tokens.cacheWeights();
        return new TokenRates(input, tokens.outputWeight(),
                cache.read().orElse(input * family.readThousandths()),
                cache.write().orElse(input * family.writeThousandths()),
                cache.writeLong().orElse(input * family.writeLongThousandths()));
    }

    private PlanLimits limits(Plan plan) {
        Optional<Set<String>> allowed = plan.models().map(Set::copyOf);
        OptionalLong perMinute = plan.tokens().map(PlanTokens::perMinute).orElse(OptionalLong.empty());
        Optional<TokenBudget> budget = plan.tokens().flatMap(tokens -> tokens.budget().map(b -> switch (b.unit()) {
            case TOKENS -> {
                // Per model, as cache weights follow the model family's ratios where the plan sets none.
                Map<String, TokenRates> weights = new LinkedHashMap<>();
                models.forEach((alias, id) -> {
                    if (allowed.map(a -> a.contains(alias)).orElse(true)) {
                        weights.put(alias, weights(tokens, PromptCaching.Family.of(id.id())));
                    }
                });
                yield new TokenBudget(b.limit(), b.period(), BudgetUnit.TOKENS, weights,
                        weights(tokens, PromptCaching.Family.OTHER));
            }
            case USD -> {
                Map<String, TokenRates> prices = new LinkedHashMap<>();
                tokenStore.modelPrices().forEach((alias, price) -> {
                    if (allowed.map(a -> a.contains(alias)).orElse(models.containsKey(alias))) {
                        prices.put(alias, price.rates());
                    }
                });
                yield TokenBudget.usd(b.limit(), b.period(), prices);
            }
        }));
        return new PlanLimits(plan.name(), allowed, plan.maxTokens(), perMinute, budget);
    }
}
