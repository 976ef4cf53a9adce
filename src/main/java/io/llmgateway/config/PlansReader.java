package io.llmgateway.config;

import io.llmgateway.common.BudgetPeriod;
import io.llmgateway.common.BudgetUnit;
import io.llmgateway.common.Text;
import io.llmgateway.contract.Route;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code plans}: the usage-plan tiers, each with its throttle, optional quota and per-method throttles. */
final class PlansReader {

    /** AWS limits per Region and stage ("Amazon API Gateway quotas", https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
    static final int MAX_PLANS = 300;
    static final int MAX_METHOD_THROTTLES = 20;

    private static final Pattern METHOD_PATH = Pattern.compile("(/[^/\\s]+)+/(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY)");
    private static final List<String> PLAN_KEYS = List.of("description", "throttle", "quota", "methodThrottles",
            "tokens", "models", "maxTokens", "costAllocation", "guardrail");
    private static final List<String> TOKENS_KEYS = List.of("perMinute", "budget", "inputWeight", "outputWeight",
            "cacheReadWeight", "cacheWriteWeight", "cacheWrite1hWeight");
    private static final List<String> BUDGET_KEYS = List.of("limit", "period", "unit");
    /** Far above any Bedrock per-minute quota, far below a long's range. */
    static final long MAX_TOKENS_PER_MINUTE = 1_000_000_000L;
    static final long MAX_BUDGET_TOKENS = 1_000_000_000_000_000L;
    /** A USD budget is counted in nano-dollars in a long: at most a billion dollars, to the nano-dollar. */
    static final long MAX_BUDGET_USD = 1_000_000_000L;
    static final int MAX_WEIGHT = 1000;
    /** The largest max_tokens any setting takes ({@code maxTokensCeiling}'s range). */
    static final int MAX_MAX_TOKENS = 200_000;
    private static final List<String> THROTTLE_KEYS = List.of("rateLimit", "burstLimit");
    private static final List<String> QUOTA_KEYS = List.of("limit", "period", "offset");

    private final TypedValues typed;
    private final LoadReport report;

    private PlansReader(TypedValues typed, LoadReport report) {
        this.typed = typed;
        this.report = report;
    }

    static Map<String, Plan> read(Object node, TypedValues typed, LoadReport report) {
        return new PlansReader(typed, report).read(node);
    }

    /**
     * The plan names the config declares, valid or not: a client naming a declared plan that has its
     * own problems is not reported a second time.
     */
    static Set<String> declaredNames(Object node) {
        Set<String> names = new LinkedHashSet<>();
        if (node instanceof Map<?, ?> declared) {
            declared.keySet().forEach(name -> names.add(String.valueOf(name)));
        }
        return names;
    }

    private Map<String, Plan> read(Object node) {
        KeyPath plansPath = KeyPath.of(ConfigLoader.PLANS);
        Map<String, Plan> plans = new LinkedHashMap<>();
        Map<String, Object> map = typed.requiredMap(plansPath, node,
                "the usage-plan tiers, e.g. {\"standard\": {\"throttle\": {\"rateLimit\": 10, \"burstLimit\": 20}}}");
        if (map == null) {
            return plans;
        }
        if (map.size() > MAX_PLANS) {
            report.problem(plansPath, map.size() + " plans is more than the " + MAX_PLANS + " usage plans AWS allows per Region");
        }
        map.forEach((name, value) -> {
            Plan plan = plan(plansPath.child(name), name, value);
            if (plan != null) {
                plans.put(name, plan);
            }
        });
        return plans;
    }

    private Plan plan(KeyPath path, String name, Object node) {
        NameRule.check(path, "plan", name, report);
        Map<String, Object> map = typed.object(path, node, PLAN_KEYS);
        if (map == null) {
            return null;
        }
        String description = map.containsKey("description")
                ? typed.string(path.child("description"), map.get("description")) : null;
        Throttle throttle = null;
        if (map.get("throttle") == null) {
            report.problem(path.child("throttle"), "required: every plan needs {rateLimit, burstLimit}, "
                    + "or its keys are limited only by the account");
        } else {
            throttle = throttle(path.child("throttle"), map.get("throttle"));
        }
        Optional<Quota> quota = Optional.empty();
        if (map.get("quota") != null) {
            quota = Optional.ofNullable(quota(path.child("quota"), map.get("quota")));
        }
        Map<Route, Throttle> methodThrottles = new LinkedHashMap<>();
        if (map.get("methodThrottles") != null) {
            methodThrottles = methodThrottles(path, map.get("methodThrottles"), map.get("throttle") != null);
        }
        Optional<PlanTokens> tokens = Optional.empty();
        if (map.get("tokens") != null) {
            tokens = Optional.ofNullable(tokens(path.child("tokens"), map.get("tokens")));
        }
        Optional<List<String>> models = Optional.empty();
        if (map.get("models") != null) {
            models = Optional.ofNullable(models(path.child("models"), map.get("models")));
        }
        OptionalInt maxTokens = OptionalInt.empty();
        Integer max = null;
        if (map.get("maxTokens") != null) {
            max = typed.integer(path.child("maxTokens"), map.get("maxTokens"), 1, MAX_MAX_TOKENS);
            maxTokens = max == null ? OptionalInt.empty() : OptionalInt.of(max);
        }
        Optional<CostAllocation> costAllocation = map.get("costAllocation") == null ? Optional.empty()
                : Optional.ofNullable(CostAllocationReader.read(path.child("costAllocation"), map.get("costAllocation"),
                        typed, report));
        Optional<GuardrailSpec> guardrail = map.get("guardrail") == null ? Optional.empty()
                : Optional.ofNullable(GuardrailReader.read(path.child("guardrail"), map.get("guardrail"), typed, report));
        if ((map.get("costAllocation") != null && costAllocation.isEmpty())
                || (map.get("guardrail") != null && guardrail.isEmpty())) {
            return null;
        }
        if (throttle == null || (map.get("quota") != null && quota.isEmpty())
                || (map.get("tokens") != null && tokens.isEmpty()) || (map.get("models") != null && models.isEmpty())
                || (map.get("maxTokens") != null && max == null)) {
            return null;
        }
        return new Plan(name, description, throttle, quota, methodThrottles, tokens, models, maxTokens, costAllocation,
                guardrail);
    }

    /** {@code tokens}: a per-minute limit, a budget, or both; weights only with a token budget. */
    private PlanTokens tokens(KeyPath path, Object node) {
        Map<String, Object> map = typed.object(path, node, TOKENS_KEYS);
        if (map == null) {
            return null;
        }
        boolean ok = true;
        OptionalLong perMinute = OptionalLong.empty();
        if (map.get("perMinute") != null) {
            TypedValues.Num n = typed.integer(path.child("perMinute"), map.get("perMinute"));
            if (n != null && !n.within(1, MAX_TOKENS_PER_MINUTE)) {
                report.problem(path.child("perMinute"), n.shown() + " is out of range; allowed: 1-" + MAX_TOKENS_PER_MINUTE
                        + " input plus output tokens per key and minute");
                n = null;
            }
            ok &= n != null;
            perMinute = n == null ? OptionalLong.empty() : OptionalLong.of(n.value().longValueExact());
        }
        Optional<Budget> budget = Optional.empty();
        if (map.get("budget") != null) {
            budget = Optional.ofNullable(budget(path.child("budget"), map.get("budget")));
            ok &= budget.isPresent();
        }
        if (map.get("perMinute") == null && map.get("budget") == null) {
            report.problem(path, "set perMinute, budget or both (or remove " + path + ")");
            ok = false;
        }
        Integer inputWeight = weight(path, map, "inputWeight", budget);
        Integer outputWeight = weight(path, map, "outputWeight", budget);
        if (inputWeight != null && outputWeight != null && inputWeight == 0 && outputWeight == 0) {
            report.problem(path, "inputWeight and outputWeight are both 0: the budget would count nothing");
            ok = false;
        }
        OptionalLong read = cacheWeight(path, map, "cacheReadWeight", budget);
        OptionalLong write = cacheWeight(path, map, "cacheWriteWeight", budget);
        OptionalLong writeLong = cacheWeight(path, map, "cacheWrite1hWeight", budget);
        if (!ok || inputWeight == null || outputWeight == null || read == null || write == null || writeLong == null) {
            return null;
        }
        return new PlanTokens(perMinute, budget, inputWeight, outputWeight,
                new PlanTokens.CacheWeights(read, write, writeLong));
    }

    /**
     * A prompt-cache weight: what a cache read or write counts in a token budget, 0-1000 with up to three
     * decimals (a Claude read is 0.1 of an input token); empty when unset.
     */
    private OptionalLong cacheWeight(KeyPath tokensPath, Map<String, Object> map, String key, Optional<Budget> budget) {
        if (map.get(key) == null) {
            return OptionalLong.empty();
        }
        KeyPath path = tokensPath.child(key);
        TypedValues.Num n = typed.number(path, map.get(key));
        if (n == null) {
            return null;
        }
        if (n.value().signum() < 0 || n.value().compareTo(BigDecimal.valueOf(MAX_WEIGHT)) > 0) {
            report.problem(path, n.shown() + " is out of range; allowed: 0-" + MAX_WEIGHT + ", e.g. 0.1");
            return null;
        }
        BigDecimal thousandths = n.value().movePointRight(3);
        if (!Numbers.isWhole(thousandths)) {
            report.problem(path, n.shown() + " has more than 3 decimals; allowed: 0-" + MAX_WEIGHT + " in steps of 0.001");
            return null;
        }
        if (!appliesToTokenBudget(tokensPath, key, budget, map.get("budget") != null)) {
            return null;
        }
        return OptionalLong.of(thousandths.longValueExact());
    }

    /** A weight applies to a token budget only: per-minute limits count raw tokens, as Bedrock's quotas do. */
    private Integer weight(KeyPath tokensPath, Map<String, Object> map, String key, Optional<Budget> budget) {
        if (map.get(key) == null) {
            return 1;
        }
        Integer weight = typed.integer(tokensPath.child(key), map.get(key), 0, MAX_WEIGHT);
        if (weight == null) {
            return null;
        }
        return appliesToTokenBudget(tokensPath, key, budget, map.get("budget") != null) ? weight : null;
    }

    /** Whether the plan has a token budget for this weight to apply to; when not, the problem is reported. */
    private boolean appliesToTokenBudget(KeyPath tokensPath, String key, Optional<Budget> budget, boolean budgetSet) {
        KeyPath path = tokensPath.child(key);
        if (!budgetSet) {
            report.problem(path, "weights apply to a token budget, and this plan has none (perMinute counts raw "
                    + "tokens, as Bedrock's quotas do); add " + tokensPath.child("budget") + " or remove " + path);
            return false;
        }
        if (budget.isPresent() && budget.get().unit() == BudgetUnit.USD) {
            report.problem(path, "weights apply to a token budget; a USD budget counts each model's "
                    + ConfigLoader.MODEL_PRICES + " instead: remove " + path);
            return false;
        }
        return true;
    }

    private Budget budget(KeyPath path, Object node) {
        Map<String, Object> map = typed.object(path, node, BUDGET_KEYS);
        if (map == null) {
            return null;
        }
        BudgetUnit unit = BudgetUnit.TOKENS;
        if (map.get("unit") != null) {
            String text = typed.string(path.child("unit"), map.get("unit"));
            unit = null;
            for (BudgetUnit candidate : BudgetUnit.values()) {
                if (candidate.configName().equals(text)) {
                    unit = candidate;
                }
            }
            if (text != null && unit == null) {
                report.problem(path.child("unit"), report.show(path.child("unit"), text)
                        + " is not a budget unit; use tokens or usd");
            }
        }
        BudgetPeriod period = null;
        KeyPath periodPath = path.child("period");
        if (map.get("period") == null) {
            report.problem(periodPath, "required: DAY, WEEK or MONTH (UTC; weeks start on Monday)");
        } else {
            String text = typed.string(periodPath, map.get("period"));
            if (text != null) {
                try {
                    period = BudgetPeriod.valueOf(text);
                } catch (IllegalArgumentException e) {
                    report.problem(periodPath, report.show(periodPath, text) + " is not a budget period; use DAY, WEEK or MONTH");
                }
            }
        }
        Long limit = null;
        KeyPath limitPath = path.child("limit");
        if (map.get("limit") == null) {
            report.problem(limitPath, "required: weighted tokens per period (an integer >= 1), or US dollars with unit usd");
        } else if (unit == BudgetUnit.USD) {
            TypedValues.Num n = typed.number(limitPath, map.get("limit"));
            if (n != null && (n.value().signum() <= 0 || n.value().compareTo(BigDecimal.valueOf(MAX_BUDGET_USD)) > 0)) {
                report.problem(limitPath, "must be more than 0 and at most " + MAX_BUDGET_USD + " US dollars, got " + n.shown());
            } else if (n != null) {
                // Only after the range check: moving the point of 1e999999999 overflows the scale.
                BigDecimal nano = n.value().movePointRight(9);
                if (!Numbers.isWhole(nano)) {
                    report.problem(limitPath, n.shown() + " has more than 9 decimals; the budget counts nano-dollars");
                } else {
                    limit = nano.longValueExact();
                }
            }
        } else if (unit == BudgetUnit.TOKENS) {
            TypedValues.Num n = typed.integer(limitPath, map.get("limit"));
            if (n != null && !n.within(1, MAX_BUDGET_TOKENS)) {
                report.problem(limitPath, n.shown() + " is out of range; allowed: 1-" + MAX_BUDGET_TOKENS + " weighted tokens");
            } else if (n != null) {
                limit = n.value().longValueExact();
            }
        }
        if (limit == null || period == null || unit == null) {
            return null;
        }
        return new Budget(limit, period, unit);
    }

    /** {@code models}: a non-empty list of aliases without repeats; that each is configured is checked later. */
    private List<String> models(KeyPath path, Object node) {
        if (!(node instanceof List<?> list)) {
            report.problem(path, "must be a list of model aliases, e.g. [\"nova-micro\"], got " + report.describe(path, node));
            return null;
        }
        if (list.isEmpty()) {
            report.problem(path, "must not be empty: a plan with no model could call nothing; remove it to allow every model");
            return null;
        }
        List<String> aliases = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            String alias = typed.string(path.element(i), list.get(i));
            if (alias == null) {
                ok = false;
            } else if (aliases.contains(alias)) {
                report.problem(path.element(i), report.show(path.element(i), alias) + " is listed twice");
                ok = false;
            } else {
                aliases.add(alias);
            }
        }
        return ok ? aliases : null;
    }

    private Map<Route, Throttle> methodThrottles(KeyPath planPath, Object node, boolean planHasThrottle) {
        KeyPath path = planPath.child("methodThrottles");
        Map<Route, Throttle> throttles = new LinkedHashMap<>();
        if (!planHasThrottle) {
            // aws/aws-cdk#6411: AWS rejects per-method throttles on a plan without a plan-level throttle.
            report.problem(path, "method throttles need a plan-level throttle; add " + planPath.child("throttle"));
        }
        Map<String, Object> entries = typed.object(path, node, null);
        if (entries == null) {
            return throttles;
        }
        if (entries.size() > MAX_METHOD_THROTTLES) {
            report.problem(path, entries.size() + " method throttles is more than the " + MAX_METHOD_THROTTLES
                    + " AWS allows per stage");
        }
        entries.forEach((methodPath, value) -> {
            KeyPath entryPath = path.child(methodPath);
            Optional<Route> route = route(entryPath, methodPath);
            Throttle throttle = throttle(entryPath, value);
            if (route.isPresent() && throttle != null) {
                throttles.put(route.get(), throttle);
            }
        });
        return throttles;
    }

    private Optional<Route> route(KeyPath path, String methodPath) {
        List<String> routes = Arrays.stream(Route.values()).map(Route::throttlePath).toList();
        if (!METHOD_PATH.matcher(methodPath).matches()) {
            report.problem(path, Text.quote(methodPath) + " is not in /path/METHOD form; use one of " + routes
                    + " (AWS rejects */* in a usage plan)");
            return Optional.empty();
        }
        Optional<Route> route = Route.byThrottlePath(methodPath);
        if (route.isEmpty()) {
            report.problem(path, "the API has no route " + Text.quote(methodPath) + Suggestions.didYouMean(methodPath, routes)
                    + "; routes: " + routes);
        }
        return route;
    }

    private Throttle throttle(KeyPath path, Object node) {
        Map<String, Object> map = typed.object(path, node, THROTTLE_KEYS);
        if (map == null) {
            return null;
        }
        KeyPath ratePath = path.child("rateLimit");
        KeyPath burstPath = path.child("burstLimit");
        Double rate = null;
        if (map.get("rateLimit") == null) {
            report.problem(ratePath, "required: requests per second, a number > 0 (AWS reads an unset rate as 0, which allows nothing)");
        } else {
            TypedValues.Num n = typed.number(ratePath, map.get("rateLimit"));
            // 1e400 is infinite as a double and 1e-400 is 0: neither is a rate AWS can take.
            if (n != null && (n.value().signum() <= 0 || !(n.doubleValue() > 0) || Double.isInfinite(n.doubleValue()))) {
                report.problem(ratePath, "must be a number > 0 (requests per second, fractions allowed), got " + n.shown());
            } else if (n != null) {
                rate = n.doubleValue();
            }
        }
        Integer burst = null;
        if (map.get("burstLimit") == null) {
            report.problem(burstPath, "required: the bucket size, an integer >= 1 (AWS reads an unset burst as 0, which allows nothing)");
        } else {
            burst = atLeastOne(burstPath, map.get("burstLimit"));
        }
        if (rate == null || burst == null) {
            return null;
        }
        if (burst < rate) {
            report.warn(path, "burstLimit " + report.showNumber(burstPath, burst) + " is below rateLimit "
                    + report.showNumber(ratePath, rate) + "; more than " + report.showNumber(burstPath, burst)
                    + " requests arriving together are throttled even within the rate");
        }
        return new Throttle(rate, burst);
    }

    private Quota quota(KeyPath path, Object node) {
        Map<String, Object> map = typed.object(path, node, QUOTA_KEYS);
        if (map == null) {
            return null;
        }
        KeyPath limitPath = path.child("limit");
        KeyPath periodPath = path.child("period");
        KeyPath offsetPath = path.child("offset");
        Integer limit = null;
        if (map.get("limit") == null) {
            report.problem(limitPath, "required: requests per period, an integer >= 1");
        } else {
            limit = atLeastOne(limitPath, map.get("limit"));
        }
        QuotaPeriod period = null;
        if (map.get("period") == null) {
            report.problem(periodPath, "required: DAY, WEEK or MONTH");
        } else {
            String text = typed.string(periodPath, map.get("period"));
            if (text != null) {
                try {
                    period = QuotaPeriod.valueOf(text);
                } catch (IllegalArgumentException e) {
                    report.problem(periodPath, report.show(periodPath, text) + " is not a quota period; use DAY, WEEK or MONTH");
                }
            }
        }
        Integer offset = 0;
        if (map.get("offset") != null) {
            TypedValues.Num n = typed.integer(offsetPath, map.get("offset"));
            offset = null;
            if (n != null && period != null && !n.within(0, period.maxOffset())) {
                report.problem(offsetPath, n.shown() + " is out of range for period " + period + " (" + period.offsetRange() + ")");
            } else if (n != null && period != null) {
                offset = n.intValue();
            }
        }
        if (limit == null || period == null || offset == null) {
            return null;
        }
        return new Quota(limit, period, offset);
    }

    /** A positive int: a bucket size or a request count. */
    private Integer atLeastOne(KeyPath path, Object node) {
        TypedValues.Num n = typed.integer(path, node);
        if (n == null) {
            return null;
        }
        if (!n.within(1, Integer.MAX_VALUE)) {
            report.problem(path, "must be an integer >= 1" + (n.value().signum() > 0 ? " and at most " + Integer.MAX_VALUE : "")
                    + ", got " + n.shown());
            return null;
        }
        return n.intValue();
    }
}
