package io.llmgateway.config;

import io.llmgateway.common.Text;
import io.llmgateway.contract.Route;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code plans}: the usage-plan tiers, each with its throttle, optional quota and per-method throttles. */
final class PlansReader {

    /** AWS limits per Region and stage ("Amazon API Gateway quotas", https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
    static final int MAX_PLANS = 300;
    static final int MAX_METHOD_THROTTLES = 20;

    private static final Pattern METHOD_PATH = Pattern.compile("(/[^/\\s]+)+/(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY)");
    private static final List<String> PLAN_KEYS = List.of("description", "throttle", "quota", "methodThrottles");
    private static final List<String> THROTTLE_KEYS = List.of("rateLimit", "burstLimit");
    private static final List<String> QUOTA_KEYS = List.of("limit", "period", "offset");

    private final TypedValues typed;
    private final Report report;

    private PlansReader(TypedValues typed, Report report) {
        this.typed = typed;
        this.report = report;
    }

    static Map<String, Plan> read(Object node, TypedValues typed, Report report) {
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
        Names.check(path, "plan", name, report);
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
        if (throttle == null || (map.get("quota") != null && quota.isEmpty())) {
            return null;
        }
        return new Plan(name, description, throttle, quota, methodThrottles);
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
