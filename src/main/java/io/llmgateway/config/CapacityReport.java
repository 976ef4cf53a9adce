package io.llmgateway.config;

import io.llmgateway.common.BudgetUnit;
import io.llmgateway.common.ModelKind;
import io.llmgateway.common.Text;
import io.llmgateway.contract.Route;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.DoubleStream;

/**
 * What the configured plans can ask of the account, from the config alone: pure arithmetic, no AWS
 * call. {@code pulumi preview} prints it, the stack exports it, and the local gateway's banner shows
 * it. A line that cannot hold when every key uses what its plan allows is a warning, with the numbers
 * and the key to change.
 *
 * <p>Only enabled clients count: API Gateway rejects a disabled key. The figures are upper bounds: every
 * key at its plan's rate, every answer at its plan's max_tokens ceiling, within its plan's token limits
 * and model allow-list.
 */
public final class CapacityReport {

    /**
     * Lambda keeps this much of the account's concurrency unreserved; a reservation that leaves less
     * is refused ("Lambda function scaling", reserved concurrency).
     */
    static final long LAMBDA_UNRESERVED_MINIMUM = 100;
    /** API Gateway's ceiling for {@code stageRateLimit} (and ScalarSettings' range). */
    static final long MAX_STAGE_RATE = 10_000;
    static final int SECONDS_PER_DAY = 86_400;
    static final int MINUTES_PER_DAY = 1_440;

    /** One line of the report. */
    public record Line(String text, boolean warning) {
        @Override
        public String toString() {
            return (warning ? "WARNING: " : "") + text;
        }
    }

    /**
     * The report's arithmetic, for tests and tools.
     *
     * @param keys                       enabled clients
     * @param requestsPerSecond          every key at its plan rate
     * @param burst                      every key's bucket full at once
     * @param chatRequestsPerSecond      every key at its plan's rate for chat completions
     * @param chatBurst                  every key's chat bucket at once
     * @param servedChatRequestsPerSecond the chat rate that gets past the stage and account throttles
     * @param concurrency                Lambda executions that rate needs at the expected latency
     * @param concurrencyLimit           reservedConcurrency, or the account's when unreserved
     * @param tokensPerMinute            per model alias, the tokens per minute the keys can ask for: a
     *                                   plan's tokens.perMinute, or output at its max_tokens ceiling
     * @param requestsPerDay             what the quotas allow in one day (the rate, for a key without one)
     * @param outputTokensPerDay         those requests at the max_tokens ceilings, within token budgets
     * @param usdPerDay                  those tokens at the dearest output price each plan may use, within
     *                                   USD budgets; 0 without model prices
     * @param keysWithoutQuota           enabled keys whose plan has no quota
     */
    public record Figures(long keys, double requestsPerSecond, long burst, double chatRequestsPerSecond,
                          long chatBurst, double servedChatRequestsPerSecond, long concurrency,
                          long concurrencyLimit, Map<String, Double> tokensPerMinute, double requestsPerDay,
                          double outputTokensPerDay, double usdPerDay, long keysWithoutQuota) {
    }

    private final Figures figures;
    private final List<Line> lines;

    private CapacityReport(Figures figures, List<Line> lines) {
        this.figures = figures;
        this.lines = List.copyOf(lines);
    }

    /** The report with every figure shown. */
    public static CapacityReport of(StackConfig config) {
        return of(config, path -> false);
    }

    /**
     * @param secret whether a config value may not be shown: a figure computed from one appears as
     *               {@value LoadReport#HIDDEN}
     */
    static CapacityReport of(StackConfig config, Predicate<KeyPath> secret) {
        return new Builder(config, secret).build();
    }

    public Figures figures() {
        return figures;
    }

    public List<Line> lines() {
        return lines;
    }

    public List<String> warnings() {
        return lines.stream().filter(Line::warning).map(Line::text).toList();
    }

    /** The report as text, one line each, warnings marked. */
    public String text() {
        return String.join("\n", lines.stream().map(Line::toString).toList());
    }

    private static final class Builder {
        private final StackConfig config;
        private final Predicate<KeyPath> secret;
        private final Capacity capacity;
        private final List<Line> lines = new ArrayList<>();
        private final Map<Plan, Long> keysPerPlan = new LinkedHashMap<>();

        Builder(StackConfig config, Predicate<KeyPath> secret) {
            this.config = config;
            this.secret = secret;
            this.capacity = config.capacity();
            config.plans().values().forEach(plan -> keysPerPlan.put(plan, config.clients().values().stream()
                    .filter(c -> c.enabled() && c.plan().equals(plan.name())).count()));
        }

        CapacityReport build() {
            long keys = keysPerPlan.values().stream().mapToLong(Long::longValue).sum();
            double rate = sum(plan -> plan.throttle().rateLimit());
            long burst = (long) sum(plan -> plan.throttle().burstLimit());
            double chatRate = sum(plan -> chatThrottle(plan).rateLimit());
            long chatBurst = (long) sum(plan -> chatThrottle(plan).burstLimit());
            boolean plansHidden = keysPerPlan.keySet().stream().anyMatch(this::planHidden);
            Throttle stage = config.api().stageThrottle();

            requests(keys, rate, burst, chatRate, chatBurst, plansHidden, stage);
            double served = Math.min(chatRate, Math.min(stage.rateLimit(), capacity.accountRateLimit()));
            long concurrency = (long) Math.ceil(served * capacity.modelLatencyMs() / 1000.0);
            int reserved = config.lambda().reservedConcurrency();
            long limit = reserved > 0 ? reserved : capacity.accountConcurrency();
            concurrency(served, concurrency, Math.min(chatBurst, stage.burstLimit()), limit, plansHidden);
            streams(served, plansHidden);
            Map<String, Double> tokensPerMinute = tokens(served, plansHidden);
            double[] daily = daily(plansHidden);
            PlanInferenceReport.lines(config).forEach(this::info);
            long withoutQuota = keysPerPlan.entrySet().stream().filter(e -> e.getKey().quota().isEmpty())
                    .mapToLong(Map.Entry::getValue).sum();
            return new CapacityReport(new Figures(keys, rate, burst, chatRate, chatBurst, served, concurrency, limit,
                    tokensPerMinute, daily[0], daily[1], daily[2], withoutQuota), lines);
        }

        private void requests(long keys, double rate, long burst, double chatRate, long chatBurst, boolean hidden,
                              Throttle stage) {
            boolean stageHidden = hidden(Setting.STAGE_RATE_LIMIT) || hidden(Setting.STAGE_BURST_LIMIT);
            info("Requests: " + keys + " enabled key" + (keys == 1 ? "" : "s") + " can send "
                    + show(rate, hidden) + " rps (bursts of " + show(burst, hidden) + "), "
                    + show(chatRate, hidden) + " rps (bursts of " + show(chatBurst, hidden) + ") to "
                    + route() + "; the stage allows " + show(stage.rateLimit(), stageHidden) + " rps (burst "
                    + show(stage.burstLimit(), stageHidden) + ") per method, the account "
                    + show(capacity.accountRateLimit(), capacityHidden(CapacityReader.ACCOUNT_RATE_LIMIT)) + " rps (burst "
                    + show(capacity.accountBurstLimit(), capacityHidden(CapacityReader.ACCOUNT_BURST_LIMIT))
                    + ") per Region.");
            String planKey = planKey(plan -> chatThrottle(plan).rateLimit(), "rateLimit", true);
            if (chatRate > stage.rateLimit()) {
                warn("the keys can send " + show(chatRate, hidden) + " rps to " + route() + ", above stageRateLimit "
                        + show(stage.rateLimit(), stageHidden) + ": at full use the stage throttles every client "
                        + "(429 THROTTLED). Raise " + Setting.STAGE_RATE_LIMIT.key() + " to "
                        + (hidden ? LoadReport.HIDDEN : Text.grouped(Math.min(MAX_STAGE_RATE, Math.ceil(chatRate))))
                        + (chatRate > MAX_STAGE_RATE ? " (its maximum)" : "") + ", or lower " + planKey + ".");
            }
            if (chatBurst > stage.burstLimit()) {
                warn("the keys' buckets hold " + show(chatBurst, hidden) + " chat requests at once, above "
                        + "stageBurstLimit " + show(stage.burstLimit(), stageHidden) + ": a burst from every key at "
                        + "once is throttled (429 THROTTLED). Raise " + Setting.STAGE_BURST_LIMIT.key() + " or lower "
                        + planKey(plan -> chatThrottle(plan).burstLimit(), "burstLimit", true) + ".");
            }
            boolean accountHidden = capacityHidden(CapacityReader.ACCOUNT_RATE_LIMIT);
            if (rate > capacity.accountRateLimit()) {
                warn("the keys can send " + show(rate, hidden) + " rps, above the account's "
                        + show(capacity.accountRateLimit(), accountHidden) + " rps per Region: API Gateway throttles "
                        + "the whole account, every API in it, first. Lower " + planKey(p -> p.throttle().rateLimit(),
                        "rateLimit", false) + ", or ask AWS to raise the account's API Gateway throttle and set "
                        + capacityKey(CapacityReader.ACCOUNT_RATE_LIMIT) + ".");
            }
        }

        private void concurrency(double served, long concurrency, long burst, long limit, boolean hidden) {
            boolean latencyHidden = capacityHidden(CapacityReader.MODEL_LATENCY_MS);
            boolean reserved = config.lambda().reservedConcurrency() > 0;
            boolean limitHidden = reserved ? hidden(Setting.RESERVED_CONCURRENCY)
                    : capacityHidden(CapacityReader.ACCOUNT_CONCURRENCY);
            String limitText = reserved ? "reservedConcurrency " + show(limit, limitHidden)
                    : "the account's " + show(limit, limitHidden) + " concurrent executions (unreserved)";
            info("Lambda: " + show(served, hidden) + " chat rps get past the throttles; at "
                    + show(capacity.modelLatencyMs(), latencyHidden) + " ms each (capacity.modelLatencyMs) the backend "
                    + "needs about " + show(concurrency, hidden || latencyHidden) + " concurrent executions, bursts "
                    + "up to " + show(burst, hidden) + " at once; it has " + limitText + ".");
            if (concurrency > limit) {
                String fix = reserved
                        ? "Raise " + Setting.RESERVED_CONCURRENCY.key() + " to at least " + show(concurrency, hidden)
                        : "Ask AWS for more Lambda concurrency and set " + capacityKey(CapacityReader.ACCOUNT_CONCURRENCY)
                        + ", or reserve it with " + Setting.RESERVED_CONCURRENCY.key();
                warn("the backend needs about " + show(concurrency, hidden || latencyHidden) + " concurrent executions, "
                        + "above " + limitText + ": requests beyond it are throttled. " + fix + ", or lower "
                        + planKey(plan -> chatThrottle(plan).rateLimit(), "rateLimit", true) + " (if chat requests take "
                        + "less than " + show(capacity.modelLatencyMs(), latencyHidden) + " ms, state it in "
                        + capacityKey(CapacityReader.MODEL_LATENCY_MS) + ").");
            }
            long unreservable = capacity.accountConcurrency() - LAMBDA_UNRESERVED_MINIMUM;
            if (reserved && config.lambda().reservedConcurrency() > unreservable) {
                warn("reservedConcurrency "
                        + show(config.lambda().reservedConcurrency(), hidden(Setting.RESERVED_CONCURRENCY))
                        + " leaves the account fewer than the " + LAMBDA_UNRESERVED_MINIMUM + " unreserved executions "
                        + "Lambda requires (account: " + show(capacity.accountConcurrency(),
                        capacityHidden(CapacityReader.ACCOUNT_CONCURRENCY)) + ", " + capacityKey(
                        CapacityReader.ACCOUNT_CONCURRENCY) + "), so Lambda refuses it. Set "
                        + Setting.RESERVED_CONCURRENCY.key() + " to at most " + Math.max(unreservable, 1)
                        + ", or ask AWS for more concurrency and set " + capacityKey(CapacityReader.ACCOUNT_CONCURRENCY) + ".");
            }
        }

        /**
         * What streaming changes: nothing in the figure above, which takes the expected time of a request
         * ({@code capacity.modelLatencyMs}) whatever carries the answer, but the bound on it. A buffered
         * answer ends at the integration timeout; a stream holds its execution for as long as it
         * generates, up to the stream's timeout. So the line states what each second beyond the expected
         * time costs in executions, and what streams that all ran to the timeout would hold.
         */
        private void streams(double served, boolean hidden) {
            Streaming streaming = config.streaming();
            if (streaming.routes().isEmpty()) {
                return;
            }
            boolean latencyHidden = capacityHidden(CapacityReader.MODEL_LATENCY_MS);
            KeyPath timeoutPath = KeyPath.of(StreamingReader.KEY).child(StreamingReader.TIMEOUT_MS);
            boolean timeoutHidden = secret.test(timeoutPath) || secret.test(KeyPath.of(StreamingReader.KEY));
            long atTimeout = (long) Math.ceil(served * streaming.timeoutMs() / 1000.0);
            info("Streams: " + String.join(", ", streaming.routes().stream().map(r -> r.method() + " " + r.path())
                    .toList()) + " stream (" + StreamingReader.KEY + "." + StreamingReader.ENABLED + "); a stream holds "
                    + "its execution for as long as it generates, up to " + show(streaming.timeoutMs(), timeoutHidden)
                    + " ms (" + timeoutPath + "), where a buffered answer ends at "
                    + show(config.api().integrationTimeoutMs(), hidden(Setting.INTEGRATION_TIMEOUT_MS)) + " ms ("
                    + Setting.INTEGRATION_TIMEOUT_MS.key() + "). The Lambda line takes "
                    + show(capacity.modelLatencyMs(), latencyHidden) + " ms a request (capacity.modelLatencyMs): each "
                    + "second streams run beyond it holds " + show(Math.ceil(served), hidden) + " more executions, and "
                    + "streams that all ran to the timeout would hold " + show(atTimeout, hidden || timeoutHidden) + ".");
        }

        /**
         * Tokens per minute per model: a key on a plan with {@code tokens.perMinute} can ask for that
         * many (input and output, as Bedrock counts them); a key without one, for its chat rate times
         * its max_tokens ceiling in output alone (input is bounded only by the request size), and no
         * more than the chat rate the throttles let through. Only plans that may use the model count.
         */
        private Map<String, Double> tokens(double servedChatRate, boolean hidden) {
            Map<String, Double> perModel = new LinkedHashMap<>();
            boolean demandHidden = hidden || hidden(Setting.MAX_TOKENS_CEILING);
            for (String model : config.models().keySet()) {
                boolean embedding = ModelKind.of(config.models().get(model)) == ModelKind.EMBEDDING;
                double limited = 0;
                double unlimited = 0;
                double ceilingMax = 0;
                List<String> withoutLimit = new ArrayList<>();
                for (Map.Entry<Plan, Long> entry : keysPerPlan.entrySet()) {
                    Plan plan = entry.getKey();
                    if (entry.getValue() == 0 || !allows(plan, model)) {
                        continue;
                    }
                    OptionalLong perMinute = plan.tokens().map(PlanTokens::perMinute).orElse(OptionalLong.empty());
                    if (perMinute.isPresent()) {
                        limited += (double) perMinute.getAsLong() * entry.getValue();
                    } else {
                        unlimited += chatThrottle(plan).rateLimit() * 60 * ceiling(plan) * entry.getValue();
                        ceilingMax = Math.max(ceilingMax, ceiling(plan));
                        withoutLimit.add(plan.name());
                    }
                }
                Long quota = capacity.bedrockTokensPerMinute().get(model);
                String quotaKey = capacityKey(CapacityReader.BEDROCK_TOKENS_PER_MINUTE) + "." + model;
                boolean quotaHidden = quota != null && secret.test(KeyPath.of(ConfigLoader.CAPACITY)
                        .child(CapacityReader.BEDROCK_TOKENS_PER_MINUTE).child(model));
                String quotaText = quota == null ? "no Bedrock quota stated (" + quotaKey + ")"
                        : "Bedrock quota " + show(quota, quotaHidden) + " tokens per minute";
                if (embedding && !withoutLimit.isEmpty()) {
                    // An embedding call is all input: without tokens.perMinute only the request size bounds it.
                    perModel.put(model, Double.POSITIVE_INFINITY);
                    String planKey = ConfigLoader.PLANS + "." + withoutLimit.get(0) + ".tokens.perMinute";
                    info("Tokens, " + model + " (embeddings, input only): not bounded for plans without "
                            + "tokens.perMinute (" + String.join(", ", withoutLimit) + "), only by the request size; "
                            + quotaText + ".");
                    if (quota != null) {
                        warn("the keys can ask " + model + " for any number of tokens per minute (embeddings are "
                                + "input, which only tokens.perMinute bounds), against its Bedrock quota of "
                                + show(quota, quotaHidden) + " (" + quotaKey + "). Set " + planKey + ".");
                    }
                    continue;
                }
                double demand = limited + Math.min(unlimited, servedChatRate * 60 * ceilingMax);
                perModel.put(model, demand);
                String how = withoutLimit.isEmpty() ? "tokens.perMinute of every plan that may use it"
                        : "output only at max_tokens for plans without tokens.perMinute (" + String.join(", ", withoutLimit)
                        + "), whose input is not bounded";
                info("Tokens, " + model + ": up to " + show(demand, demandHidden) + " tokens per minute (" + how
                        + "); " + quotaText + ".");
                if (config.promptCache().containsKey(model)) {
                    // Bedrock's quota leaves cache reads out (Bedrock user guide, token burndown,
                    // https://docs.aws.amazon.com/bedrock/latest/userguide/quotas-token-burndown.html);
                    // tokens.perMinute and this figure count them.
                    info("Prompt caching, " + model + ": automatic cache points (" + config.promptCache().get(model)
                            + "); cache reads count in the figure above and in tokens.perMinute but not against "
                            + "Bedrock's quota, so the figure is an upper bound of what Bedrock counts.");
                }
                if (quota != null && demand > quota) {
                    String fix = withoutLimit.isEmpty() ? "lower plans.<plan>.tokens.perMinute"
                            : "set " + ConfigLoader.PLANS + "." + withoutLimit.get(0) + ".tokens.perMinute, lower "
                            + Setting.MAX_TOKENS_CEILING.key() + " or " + planKey(p -> chatThrottle(p).rateLimit(),
                            "rateLimit", true);
                    warn("the keys can ask " + model + " for " + show(demand, demandHidden) + " tokens per minute, "
                            + "above its Bedrock quota of " + show(quota, quotaHidden) + " (" + quotaKey + "): Bedrock "
                            + "throttles first (429). " + Character.toUpperCase(fix.charAt(0)) + fix.substring(1)
                            + ", or ask AWS for a higher quota and set " + quotaKey + ".");
                }
            }
            return perModel;
        }

        /**
         * Requests, output tokens and their cost that one day can see: within each plan's quota (at its
         * rate without one), each answer at the plan's max_tokens ceiling, within its token budget; the
         * cost at the dearest output price among the models the plan may use, within a USD budget.
         */
        private double[] daily(boolean hidden) {
            double requests = 0;
            double tokens = 0;
            double cost = 0;
            boolean priced = !config.tokenStore().modelPrices().isEmpty();
            List<String> unpriced = new ArrayList<>();
            for (Map.Entry<Plan, Long> entry : keysPerPlan.entrySet()) {
                Plan plan = entry.getKey();
                long keys = entry.getValue();
                double byRate = plan.throttle().rateLimit() * SECONDS_PER_DAY;
                double perKey = plan.quota().map(q -> Math.min(q.limit(), byRate)).orElse(byRate);
                double tokensPerKey = perKey * ceiling(plan);
                Optional<Budget> budget = plan.tokens().flatMap(PlanTokens::budget);
                if (budget.isPresent() && budget.get().unit() == BudgetUnit.TOKENS) {
                    // Every output token counts its weight (at least 1 when weighted at all) against the budget.
                    int weight = Math.max(1, plan.tokens().get().outputWeight());
                    tokensPerKey = Math.min(tokensPerKey, (double) budget.get().limit() / weight);
                }
                OptionalLong perMinute = plan.tokens().map(PlanTokens::perMinute).orElse(OptionalLong.empty());
                if (perMinute.isPresent()) {
                    // tokens.perMinute counts input and output together, in every minute of the day.
                    tokensPerKey = Math.min(tokensPerKey, (double) perMinute.getAsLong() * MINUTES_PER_DAY);
                }
                if (budget.isPresent() && budget.get().unit() == BudgetUnit.USD) {
                    // What the budget buys at the cheapest output price the plan may use: no more tokens than that.
                    OptionalDouble cheapest = outputNanoUsdPerToken(plan, true);
                    if (cheapest.isPresent() && cheapest.getAsDouble() > 0) {
                        tokensPerKey = Math.min(tokensPerKey, budget.get().limit() / cheapest.getAsDouble());
                    }
                }
                requests += perKey * keys;
                tokens += tokensPerKey * keys;
                if (priced && keys > 0) {
                    OptionalDouble price = outputNanoUsdPerToken(plan, false)
                            .stream().map(p -> p / BudgetUnit.NANO_USD_PER_USD).findFirst();
                    double planCost = price.isPresent() ? tokensPerKey * price.getAsDouble() : 0;
                    if (price.isEmpty()) {
                        unpriced.add(plan.name());
                    }
                    if (budget.isPresent() && budget.get().unit() == BudgetUnit.USD) {
                        planCost = Math.min(planCost, budget.get().limit() / (double) BudgetUnit.NANO_USD_PER_USD);
                    }
                    cost += planCost * keys;
                }
            }
            boolean ceilingHidden = hidden(Setting.MAX_TOKENS_CEILING);
            long withoutQuota = keysPerPlan.entrySet().stream().filter(e -> e.getKey().quota().isEmpty())
                    .mapToLong(Map.Entry::getValue).sum();
            String costText = !priced ? "no model prices are configured (modelPrices), so no cost"
                    : "at the dearest output price each plan may use, up to $" + show(cost, hidden) + " a day"
                    + (unpriced.isEmpty() ? "" : " (plans without a priced model not counted: "
                    + String.join(", ", unpriced) + ")");
            info("Daily: the quotas allow up to " + show(requests, hidden) + " requests a day"
                    + (withoutQuota > 0 ? " (" + withoutQuota + " key" + (withoutQuota == 1 ? "" : "s")
                    + " without a quota, counted at their rate)" : "") + ", and so up to "
                    + show(tokens, hidden || ceilingHidden) + " output tokens at the max_tokens ceilings, "
                    + "within tokens.perMinute and the token and USD budgets; " + costText + ".");
            return new double[] {requests, tokens, cost};
        }

        /**
         * The cheapest or dearest output price, in nano-USD per token, among the priced models a plan may
         * use; the cheapest only when every one of them is priced (an unpriced one could cost nothing).
         */
        private OptionalDouble outputNanoUsdPerToken(Plan plan, boolean cheapest) {
            List<ModelPrice> prices = config.models().keySet().stream().filter(m -> allows(plan, m))
                    .map(m -> config.tokenStore().modelPrices().get(m)).toList();
            if (cheapest && prices.contains(null)) {
                return OptionalDouble.empty();
            }
            DoubleStream each = prices.stream().filter(java.util.Objects::nonNull)
                    .mapToDouble(p -> (double) p.outputNanoUsdPerToken());
            return cheapest ? each.min() : each.max();
        }

        private boolean allows(Plan plan, String model) {
            return plan.models().map(models -> models.contains(model)).orElse(true);
        }

        /** The largest max_tokens a key on this plan can get. */
        private int ceiling(Plan plan) {
            int ceiling = config.limits().maxTokensCeiling();
            return plan.maxTokens().isPresent() ? Math.min(plan.maxTokens().getAsInt(), ceiling) : ceiling;
        }

        // ---- helpers ----------------------------------------------------------------------------

        private double sum(java.util.function.ToDoubleFunction<Plan> perKey) {
            return keysPerPlan.entrySet().stream().mapToDouble(e -> perKey.applyAsDouble(e.getKey()) * e.getValue()).sum();
        }

        /** The bucket that limits a key's chat requests: the plan's, or its tighter per-method one. */
        private static Throttle chatThrottle(Plan plan) {
            Throttle method = plan.throttleFor(Route.CHAT_COMPLETIONS);
            Throttle whole = plan.throttle();
            return new Throttle(Math.min(method.rateLimit(), whole.rateLimit()),
                    Math.min(method.burstLimit(), whole.burstLimit()));
        }

        /**
         * The key to lower: the plan that contributes most (its figure times its keys); for a chat
         * figure, its per-method throttle for chat completions when it has one.
         */
        private String planKey(java.util.function.ToDoubleFunction<Plan> perKey, String field, boolean chat) {
            Optional<Plan> largest = keysPerPlan.entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .max(Comparator.comparingDouble(e -> perKey.applyAsDouble(e.getKey()) * e.getValue()))
                    .map(Map.Entry::getKey);
            if (largest.isEmpty()) {
                return ConfigLoader.PLANS + ".<plan>.throttle." + field;
            }
            Plan plan = largest.get();
            KeyPath path = KeyPath.of(ConfigLoader.PLANS).child(plan.name());
            path = chat && plan.methodThrottles().containsKey(Route.CHAT_COMPLETIONS)
                    ? path.child("methodThrottles").child(Route.CHAT_COMPLETIONS.throttlePath())
                    : path.child("throttle");
            return path.child(field).toString();
        }

        private boolean planHidden(Plan plan) {
            KeyPath path = KeyPath.of(ConfigLoader.PLANS).child(plan.name());
            List<KeyPath> leaves = new ArrayList<>(List.of(path.child("throttle").child("rateLimit"),
                    path.child("throttle").child("burstLimit"), path.child("quota").child("limit")));
            plan.methodThrottles().keySet().forEach(route -> {
                KeyPath method = path.child("methodThrottles").child(route.throttlePath());
                leaves.add(method.child("rateLimit"));
                leaves.add(method.child("burstLimit"));
            });
            return leaves.stream().anyMatch(secret);
        }

        private boolean hidden(Setting setting) {
            return secret.test(KeyPath.of(setting.key()));
        }

        private boolean capacityHidden(String key) {
            return secret.test(KeyPath.of(ConfigLoader.CAPACITY).child(key));
        }

        private static String capacityKey(String key) {
            return ConfigLoader.CAPACITY + "." + key;
        }

        private static String route() {
            return Route.CHAT_COMPLETIONS.method() + " " + Route.CHAT_COMPLETIONS.path();
        }

        private static String show(double value, boolean hidden) {
            return hidden ? LoadReport.HIDDEN : Text.grouped(value);
        }

        private void info(String text) {
            lines.add(new Line(text, false));
        }

        private void warn(String text) {
            lines.add(new Line("capacity: " + text, true));
        }
    }
}
