package io.llmgateway.config;

import io.llmgateway.common.BedrockModelId;
import io.llmgateway.common.Text;
import io.llmgateway.contract.Route;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and validates the stack config, once, into a {@link GatewayConfig}. It reports every
 * problem in one {@link ConfigException}, each with its key path and what is allowed, and rejects
 * unknown keys at every level with the closest valid key, so a misspelled {@code rateLimt} can
 * never silently become a default.
 *
 * <p>Values may arrive typed (from a YAML stack file) or as strings (Pulumi hands scalar config to
 * programs as strings, and {@code pulumi config set --path} stores {@code 0.5} as a string), so
 * numbers and booleans are accepted in either form.
 */
public final class ConfigLoader {

    /** The project name and config namespace. */
    public static final String NAMESPACE = "llm-gateway";
    public static final String MODELS = "models";
    public static final String PLANS = "plans";
    public static final String CLIENTS = "clients";

    /** AWS account limits per Region ({@code ../shared/reference/aws-api-gateway.md}). */
    static final int MAX_PLANS = 300;
    static final int MAX_API_KEYS = 10_000;
    static final int MAX_METHOD_THROTTLES = 20;
    static final int ACCOUNT_RATE_LIMIT = 10_000;
    /** Lambda's 4 KB environment limit, less room for the other variables. */
    static final int MAX_MODELS_JSON_BYTES = 3_000;

    static final Set<Integer> LOG_RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
            400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
    static final List<String> LOGGING_LEVELS = List.of("OFF", "ERROR", "INFO");

    private static final Pattern STAGE_NAME = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final Pattern METHOD_PATH = Pattern.compile("(/[^/\\s]+)+/(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY)");
    private static final Pattern API_KEY_VALUE = Pattern.compile("[\\x21-\\x7e]{20,128}");

    private static final List<String> PLAN_KEYS = List.of("description", "throttle", "quota", "methodThrottles");
    private static final List<String> THROTTLE_KEYS = List.of("rateLimit", "burstLimit");
    private static final List<String> QUOTA_KEYS = List.of("limit", "period", "offset");
    private static final List<String> CLIENT_KEYS = List.of("plan", "enabled", "apiKey", "description");

    /** A validated config and the warnings about settings that are allowed but risky. */
    public record Result(GatewayConfig config, List<String> warnings) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    private final List<String> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> secretKeys;

    private ConfigLoader(Set<String> secretKeys) {
        this.secretKeys = secretKeys;
    }

    /** Every top-level key: the scalars of {@link Setting} and the three maps. */
    public static List<String> topLevelKeys() {
        List<String> keys = Arrays.stream(Setting.values()).map(Setting::key).collect(Collectors.toList());
        keys.addAll(List.of(MODELS, PLANS, CLIENTS));
        return keys;
    }

    /**
     * @param values     top-level keys without the namespace, to strings, numbers, booleans, maps,
     *                   lists or {@link EncryptedValue}
     * @param secretKeys top-level keys whose values Pulumi holds as secrets
     * @throws ConfigException listing every problem
     */
    public static Result load(Map<String, ?> values, Set<String> secretKeys) {
        return new ConfigLoader(Set.copyOf(secretKeys)).read(values);
    }

    private Result read(Map<String, ?> values) {
        List<String> known = topLevelKeys();
        new TreeSet<>(values.keySet()).stream()
                .filter(key -> !known.contains(key))
                .forEach(key -> problem(NAMESPACE + ":" + key, "unknown key" + Suggestions.didYouMean(key, known)
                        + "; valid keys: " + String.join(", ", known)));

        String stageName = string(values, Setting.STAGE_NAME);
        if (stageName != null && !STAGE_NAME.matcher(stageName).matches()) {
            problem(Setting.STAGE_NAME.key(), Text.quote(stageName) + " is not a valid stage name: use 1-128 letters, digits, '-' or '_'");
        }
        Integer integrationTimeoutMs = intSetting(values, Setting.INTEGRATION_TIMEOUT_MS, 50, 300_000);
        Integer memory = intSetting(values, Setting.LAMBDA_MEMORY_MB, 128, 10_240);
        Integer lambdaTimeout = intSetting(values, Setting.LAMBDA_TIMEOUT_SECONDS, 1, 900);
        Integer reserved = integerValue(Setting.RESERVED_CONCURRENCY.key(), valueOf(values, Setting.RESERVED_CONCURRENCY));
        if (reserved != null && reserved != -1 && (reserved < 1 || reserved > 10_000)) {
            problem(Setting.RESERVED_CONCURRENCY.key(), reserved + " is not allowed: use -1 (unreserved) or 1-10000 (0 would stop the function)");
        }
        Integer maxTokensDefault = intSetting(values, Setting.MAX_TOKENS_DEFAULT, 1, 200_000);
        Integer maxTokensCeiling = intSetting(values, Setting.MAX_TOKENS_CEILING, 1, 200_000);
        Integer maxRequestBytes = intSetting(values, Setting.MAX_REQUEST_BYTES, 1024, 10_485_760);
        Integer retention = integerValue(Setting.LOG_RETENTION_DAYS.key(), valueOf(values, Setting.LOG_RETENTION_DAYS));
        if (retention != null && !LOG_RETENTION_DAYS.contains(retention)) {
            problem(Setting.LOG_RETENTION_DAYS.key(), retention + " is not a CloudWatch retention period; use one of "
                    + new TreeSet<>(LOG_RETENTION_DAYS));
        }
        Integer cacheTtl = intSetting(values, Setting.AUTHORIZER_CACHE_TTL_SECONDS, 0, 3600);
        Integer stageRate = intSetting(values, Setting.STAGE_RATE_LIMIT, 1, 10_000);
        Integer stageBurst = intSetting(values, Setting.STAGE_BURST_LIMIT, 1, 5_000);
        String loggingLevel = string(values, Setting.LOGGING_LEVEL);
        if (loggingLevel != null && !LOGGING_LEVELS.contains(loggingLevel)) {
            problem(Setting.LOGGING_LEVEL.key(), Text.quote(loggingLevel) + " is not allowed; use one of " + LOGGING_LEVELS);
        }
        Boolean metrics = bool(Setting.METRICS_ENABLED.key(), valueOf(values, Setting.METRICS_ENABLED));
        Boolean tracing = bool(Setting.TRACING_ENABLED.key(), valueOf(values, Setting.TRACING_ENABLED));
        Boolean manageRole = bool(Setting.MANAGE_CLOUDWATCH_ROLE.key(), valueOf(values, Setting.MANAGE_CLOUDWATCH_ROLE));

        if (lambdaTimeout != null && integrationTimeoutMs != null && lambdaTimeout * 1000L > integrationTimeoutMs) {
            problem(Setting.LAMBDA_TIMEOUT_SECONDS.key(), lambdaTimeout + " s is above integrationTimeoutMs ("
                    + integrationTimeoutMs + " ms): API Gateway would give up first and send a bare 504. "
                    + "Use at most " + integrationTimeoutMs / 1000 + " s");
        }
        if (maxTokensDefault != null && maxTokensCeiling != null && maxTokensDefault > maxTokensCeiling) {
            problem(Setting.MAX_TOKENS_DEFAULT.key(), maxTokensDefault + " is above maxTokensCeiling ("
                    + maxTokensCeiling + "); the default must be within the ceiling");
        }
        if (integrationTimeoutMs != null && integrationTimeoutMs > 29_000) {
            warnings.add(Setting.INTEGRATION_TIMEOUT_MS.key() + ": " + integrationTimeoutMs
                    + " ms is above API Gateway's default 29000 ms; it needs an approved quota increase, "
                    + "which may lower the account's throttle");
        }

        Map<String, BedrockModelId> models = models(values.get(MODELS));
        Map<String, Plan> plans = plans(values.get(PLANS));
        Set<String> planNames = values.get(PLANS) instanceof Map<?, ?> declared
                ? declared.keySet().stream().map(String::valueOf).collect(Collectors.toCollection(java.util.LinkedHashSet::new))
                : Set.of();
        Map<String, Client> clients = clients(values.get(CLIENTS), planNames);

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        Throttle stageThrottle = new Throttle(stageRate, stageBurst);
        riskyLimits(plans, clients, stageThrottle);
        GatewayConfig config = new GatewayConfig(stageName, models, plans, clients, integrationTimeoutMs, memory,
                lambdaTimeout, reserved, maxTokensDefault, maxTokensCeiling, maxRequestBytes, retention, cacheTtl,
                stageThrottle, loggingLevel, metrics, tracing, manageRole);
        return new Result(config, warnings);
    }

    // ---- models -------------------------------------------------------------------------------

    private Map<String, BedrockModelId> models(Object node) {
        Map<String, BedrockModelId> models = new LinkedHashMap<>();
        Map<String, Object> map = requiredMap(MODELS, node,
                "the public model aliases, e.g. {\"nova-micro\": \"amazon.nova-micro-v1:0\"}");
        if (map == null) {
            return models;
        }
        map.forEach((alias, value) -> {
            String path = KeyPath.child(MODELS, alias);
            if (!ALIAS.matcher(alias).matches()) {
                problem(path, "alias " + Text.quote(alias) + " is not allowed: use 1-64 letters, digits, '.', '_', ':' or '-'");
            }
            String id = stringValue(path, value);
            if (id == null) {
                return;
            }
            if (!BedrockModelId.looksValid(id)) {
                problem(path, Text.quote(id) + " does not look like a Bedrock model id or inference-profile id "
                        + "(expected e.g. amazon.nova-micro-v1:0 or us.anthropic.claude-3-5-haiku-20241022-v1:0)");
                return;
            }
            models.put(alias, new BedrockModelId(id));
        });
        int size = models.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().id().length() + 6).sum();
        if (size > MAX_MODELS_JSON_BYTES) {
            problem(MODELS, "the aliases take " + size + " bytes, above the " + MAX_MODELS_JSON_BYTES
                    + " bytes the backend's 4 KB Lambda environment leaves for them; use fewer or shorter aliases");
        }
        return models;
    }

    // ---- plans --------------------------------------------------------------------------------

    private Map<String, Plan> plans(Object node) {
        Map<String, Plan> plans = new LinkedHashMap<>();
        Map<String, Object> map = requiredMap(PLANS, node,
                "the usage-plan tiers, e.g. {\"standard\": {\"throttle\": {\"rateLimit\": 10, \"burstLimit\": 20}}}");
        if (map == null) {
            return plans;
        }
        if (map.size() > MAX_PLANS) {
            problem(PLANS, map.size() + " plans is more than the " + MAX_PLANS + " usage plans AWS allows per Region");
        }
        map.forEach((name, value) -> {
            Plan plan = plan(KeyPath.child(PLANS, name), name, value);
            if (plan != null) {
                plans.put(name, plan);
            }
        });
        return plans;
    }

    private Plan plan(String path, String name, Object node) {
        if (!NAME.matcher(name).matches()) {
            problem(path, "plan name " + Text.quote(name) + " is not allowed: use 1-64 letters, digits, '-' or '_', starting with a letter or digit");
        }
        Map<String, Object> map = object(path, node, PLAN_KEYS);
        if (map == null) {
            return null;
        }
        String description = map.containsKey("description") ? stringValue(KeyPath.child(path, "description"), map.get("description")) : null;
        Throttle throttle = null;
        if (map.get("throttle") == null) {
            problem(KeyPath.child(path, "throttle"), "required: every plan needs {rateLimit, burstLimit}, "
                    + "or its keys are limited only by the account");
        } else {
            throttle = throttle(KeyPath.child(path, "throttle"), map.get("throttle"));
        }
        Optional<Quota> quota = Optional.empty();
        if (map.get("quota") != null) {
            quota = Optional.ofNullable(quota(KeyPath.child(path, "quota"), map.get("quota")));
        }
        Map<Route, Throttle> methodThrottles = new LinkedHashMap<>();
        if (map.get("methodThrottles") != null) {
            String mtPath = KeyPath.child(path, "methodThrottles");
            if (map.get("throttle") == null) {
                // aws/aws-cdk#6411: AWS rejects per-method throttles on a plan without a plan-level throttle.
                problem(mtPath, "method throttles need a plan-level throttle; add " + path + ".throttle");
            }
            Map<String, Object> entries = object(mtPath, map.get("methodThrottles"), null);
            if (entries != null) {
                if (entries.size() > MAX_METHOD_THROTTLES) {
                    problem(mtPath, entries.size() + " method throttles is more than the " + MAX_METHOD_THROTTLES
                            + " AWS allows per stage");
                }
                entries.forEach((methodPath, value) -> {
                    String entryPath = KeyPath.child(mtPath, methodPath);
                    Optional<Route> route = methodThrottleRoute(entryPath, methodPath);
                    Throttle t = throttle(entryPath, value);
                    if (route.isPresent() && t != null) {
                        methodThrottles.put(route.get(), t);
                    }
                });
            }
        }
        if (throttle == null || (map.get("quota") != null && quota.isEmpty())) {
            return null;
        }
        return new Plan(name, description, throttle, quota, methodThrottles);
    }

    private Optional<Route> methodThrottleRoute(String path, String methodPath) {
        List<String> routes = Arrays.stream(Route.values()).map(Route::throttlePath).toList();
        if (!METHOD_PATH.matcher(methodPath).matches()) {
            problem(path, Text.quote(methodPath) + " is not in /path/METHOD form; use one of " + routes
                    + " (AWS rejects */* in a usage plan)");
            return Optional.empty();
        }
        Optional<Route> route = Route.byThrottlePath(methodPath);
        if (route.isEmpty()) {
            problem(path, "the API has no route " + Text.quote(methodPath) + Suggestions.didYouMean(methodPath, routes)
                    + "; routes: " + routes);
        }
        return route;
    }

    private Throttle throttle(String path, Object node) {
        Map<String, Object> map = object(path, node, THROTTLE_KEYS);
        if (map == null) {
            return null;
        }
        Double rate = null;
        Integer burst = null;
        String ratePath = KeyPath.child(path, "rateLimit");
        String burstPath = KeyPath.child(path, "burstLimit");
        if (map.get("rateLimit") == null) {
            problem(ratePath, "required: requests per second, a number > 0 (AWS reads an unset rate as 0, which allows nothing)");
        } else {
            rate = number(ratePath, map.get("rateLimit"));
            // A huge literal such as 1e400 parses to infinity, which Throttle (and AWS) rejects.
            if (rate != null && (!(rate > 0) || rate.isInfinite())) {
                problem(ratePath, "must be a number > 0 (requests per second, fractions allowed), got " + Text.number(rate));
                rate = null;
            }
        }
        if (map.get("burstLimit") == null) {
            problem(burstPath, "required: the bucket size, an integer >= 1 (AWS reads an unset burst as 0, which allows nothing)");
        } else {
            burst = integerValue(burstPath, map.get("burstLimit"));
            if (burst != null && burst < 1) {
                problem(burstPath, "must be an integer >= 1, got " + burst);
                burst = null;
            }
        }
        if (rate == null || burst == null) {
            return null;
        }
        if (burst < rate) {
            warnings.add(path + ": burstLimit " + burst + " is below rateLimit " + Text.number(rate)
                    + "; more than " + burst + " requests arriving together are throttled even within the rate");
        }
        return new Throttle(rate, burst);
    }

    private Quota quota(String path, Object node) {
        Map<String, Object> map = object(path, node, QUOTA_KEYS);
        if (map == null) {
            return null;
        }
        String limitPath = KeyPath.child(path, "limit");
        String periodPath = KeyPath.child(path, "period");
        String offsetPath = KeyPath.child(path, "offset");
        Integer limit = null;
        if (map.get("limit") == null) {
            problem(limitPath, "required: requests per period, an integer >= 1");
        } else {
            limit = integerValue(limitPath, map.get("limit"));
            if (limit != null && limit < 1) {
                problem(limitPath, "must be an integer >= 1, got " + limit);
                limit = null;
            }
        }
        QuotaPeriod period = null;
        if (map.get("period") == null) {
            problem(periodPath, "required: DAY, WEEK or MONTH");
        } else {
            String text = stringValue(periodPath, map.get("period"));
            if (text != null) {
                try {
                    period = QuotaPeriod.valueOf(text);
                } catch (IllegalArgumentException e) {
                    problem(periodPath, Text.quote(text) + " is not a quota period; use DAY, WEEK or MONTH");
                }
            }
        }
        Integer offset = 0;
        if (map.get("offset") != null) {
            offset = integerValue(offsetPath, map.get("offset"));
            if (offset != null && period != null && (offset < 0 || offset > period.maxOffset())) {
                problem(offsetPath, offset + " is out of range for period " + period + " (" + period.offsetRange() + ")");
                offset = null;
            }
        }
        if (limit == null || period == null || offset == null) {
            return null;
        }
        return new Quota(limit, period, offset);
    }

    // ---- clients ------------------------------------------------------------------------------

    private Map<String, Client> clients(Object node, Set<String> plans) {
        Map<String, Client> clients = new LinkedHashMap<>();
        Map<String, Object> map = requiredMap(CLIENTS, node,
                "the API clients, e.g. {\"acme\": {\"plan\": \"standard\"}}");
        if (map == null) {
            return clients;
        }
        if (map.size() > MAX_API_KEYS) {
            problem(CLIENTS, map.size() + " clients is more than the " + MAX_API_KEYS
                    + " API keys AWS allows per Region (a limit that cannot be raised)");
        }
        Map<SecretValue, String> suppliedBy = new HashMap<>();
        map.forEach((name, value) -> {
            String path = KeyPath.child(CLIENTS, name);
            Client client = client(path, name, value, plans);
            if (client == null) {
                return;
            }
            if (client.key() instanceof ClientKey.Supplied supplied) {
                String other = suppliedBy.putIfAbsent(supplied.value(), name);
                if (other != null) {
                    problem(KeyPath.child(path, "apiKey"), "has the same value as " + KeyPath.child(KeyPath.child(CLIENTS, other), "apiKey")
                            + "; one key would be in two plans, and AWS allows a key in only one plan per stage");
                    return;
                }
            }
            clients.put(name, client);
        });
        return clients;
    }

    private Client client(String path, String name, Object node, Set<String> plans) {
        if (!NAME.matcher(name).matches()) {
            problem(path, "client name " + Text.quote(name) + " is not allowed: use 1-64 letters, digits, '-' or '_', starting with a letter or digit");
        }
        Map<String, Object> map = object(path, node, CLIENT_KEYS);
        if (map == null) {
            return null;
        }
        String planPath = KeyPath.child(path, "plan");
        Object planNode = map.get("plan");
        String plan = null;
        if (planNode == null) {
            problem(planPath, "required: the name of one plan; plans: " + String.join(", ", plans));
        } else if (planNode instanceof List<?>) {
            problem(planPath, "must name exactly one plan: AWS allows a key in only one usage plan per stage");
        } else {
            plan = stringValue(planPath, planNode);
            if (plan != null && !plans.contains(plan)) {
                problem(planPath, "unknown plan " + Text.quote(plan) + Suggestions.didYouMean(plan, plans)
                        + "; plans: " + String.join(", ", plans));
                plan = null;
            }
        }
        Boolean enabled = map.get("enabled") == null ? Boolean.TRUE : bool(KeyPath.child(path, "enabled"), map.get("enabled"));
        String description = map.get("description") == null ? null : stringValue(KeyPath.child(path, "description"), map.get("description"));
        ClientKey key = apiKey(KeyPath.child(path, "apiKey"), map.get("apiKey"));
        if (plan == null || enabled == null || key == null) {
            return null;
        }
        return new Client(name, description, plan, enabled, key);
    }

    private ClientKey apiKey(String path, Object node) {
        if (node == null) {
            return new ClientKey.Generated();
        }
        if (node == EncryptedValue.INSTANCE) {
            return new ClientKey.Encrypted();
        }
        if (!(node instanceof String value)) {
            problem(path, "must be a string (set it with: pulumi config set --secret --path " + path + " <key>)");
            return null;
        }
        if (!secretKeys.contains(CLIENTS)) {
            // Never echo the value: it is meant to be a secret.
            problem(path, "is stored in plain text; API keys must be secrets. Remove it and run: "
                    + "pulumi config set --secret --path '" + path + "' <key>");
            return null;
        }
        if (!API_KEY_VALUE.matcher(value).matches()) {
            problem(path, "must be 20-128 printable ASCII characters without spaces (an API Gateway rule); "
                    + "the value is not shown because it is a secret");
            return null;
        }
        return new ClientKey.Supplied(new SecretValue(value));
    }

    // ---- risky but allowed --------------------------------------------------------------------

    private void riskyLimits(Map<String, Plan> plans, Map<String, Client> clients, Throttle stage) {
        double total = 0;
        for (Plan plan : plans.values()) {
            long keys = clients.values().stream().filter(c -> c.enabled() && c.plan().equals(plan.name())).count();
            total += plan.throttle().rateLimit() * Math.max(1, keys);
            if (plan.throttle().rateLimit() > stage.rateLimit()) {
                warnings.add(KeyPath.child(KeyPath.child(PLANS, plan.name()), "throttle") + ": rateLimit "
                        + Text.number(plan.throttle().rateLimit()) + " is above stageRateLimit " + Text.number(stage.rateLimit())
                        + "; the stage-wide limit applies first, so the plan's rate is never reached");
            }
        }
        if (total > ACCOUNT_RATE_LIMIT) {
            warnings.add(PLANS + ": the plans allow " + Text.number(total) + " requests per second across their keys, "
                    + "above the account's default " + ACCOUNT_RATE_LIMIT + " rps per Region; AWS throttles at the "
                    + "account limit first");
        }
    }

    // ---- typed readers ------------------------------------------------------------------------

    private Object valueOf(Map<String, ?> values, Setting setting) {
        Object value = values.get(setting.key());
        return value == null ? setting.defaultValue() : value;
    }

    private String string(Map<String, ?> values, Setting setting) {
        return stringValue(setting.key(), valueOf(values, setting));
    }

    private Integer intSetting(Map<String, ?> values, Setting setting, int min, int max) {
        Integer value = integerValue(setting.key(), valueOf(values, setting));
        if (value != null && (value < min || value > max)) {
            problem(setting.key(), value + " is out of range; allowed: " + min + "-" + max);
            return null;
        }
        return value;
    }

    private Map<String, Object> requiredMap(String path, Object node, String what) {
        if (node == null) {
            problem(path, "required: " + what);
            return null;
        }
        Map<String, Object> map = object(path, node, null);
        if (map != null && map.isEmpty()) {
            problem(path, "must not be empty: " + what);
            return null;
        }
        return map;
    }

    /** A map whose keys are all in {@code allowed} (any keys when {@code allowed} is null). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> object(String path, Object node, List<String> allowed) {
        if (node == EncryptedValue.INSTANCE) {
            problem(path, "is encrypted in the stack file; only the Pulumi CLI can decrypt it. Encrypt single "
                    + "leaves instead (pulumi config set --secret --path ...)");
            return null;
        }
        if (!(node instanceof Map<?, ?> raw)) {
            problem(path, "must be an object, got " + describe(node));
            return null;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        raw.forEach((k, v) -> map.put(String.valueOf(k), v));
        if (allowed != null) {
            for (String key : map.keySet()) {
                if (!allowed.contains(key)) {
                    problem(KeyPath.child(path, key), "unknown key" + Suggestions.didYouMean(key, allowed)
                            + "; valid keys here: " + String.join(", ", allowed));
                }
            }
        }
        return map;
    }

    private String stringValue(String path, Object node) {
        if (node instanceof String s) {
            return s;
        }
        problem(path, "must be a string, got " + describe(node));
        return null;
    }

    private Double number(String path, Object node) {
        BigDecimal value = decimal(node);
        if (value == null) {
            problem(path, "must be a number, got " + describe(node));
            return null;
        }
        return value.doubleValue();
    }

    private Integer integerValue(String path, Object node) {
        BigDecimal value = decimal(node);
        if (value == null) {
            problem(path, "must be an integer, got " + describe(node));
            return null;
        }
        try {
            return value.intValueExact();
        } catch (ArithmeticException e) {
            problem(path, "must be an integer" + (value.scale() > 0 && value.stripTrailingZeros().scale() > 0
                    ? "" : " within " + Integer.MIN_VALUE + ".." + Integer.MAX_VALUE) + ", got " + value.toPlainString());
            return null;
        }
    }

    private Boolean bool(String path, Object node) {
        if (node instanceof Boolean b) {
            return b;
        }
        if (node instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        problem(path, "must be true or false, got " + describe(node));
        return null;
    }

    private static BigDecimal decimal(Object node) {
        try {
            if (node instanceof Integer || node instanceof Long || node instanceof Short || node instanceof Byte) {
                return BigDecimal.valueOf(((Number) node).longValue());
            }
            if (node instanceof BigInteger b) {
                return new BigDecimal(b);
            }
            if (node instanceof BigDecimal d) {
                return d;
            }
            if (node instanceof Double || node instanceof Float) {
                double d = ((Number) node).doubleValue();
                return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
            }
            if (node instanceof String s && !s.isBlank() && s.trim().length() <= 40) {
                return new BigDecimal(s.trim());
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static String describe(Object node) {
        if (node == null) {
            return "nothing";
        }
        if (node instanceof Map<?, ?>) {
            return "an object";
        }
        if (node instanceof List<?>) {
            return "a list";
        }
        if (node == EncryptedValue.INSTANCE) {
            return "an encrypted value";
        }
        if (node instanceof String s) {
            return Text.quote(s);
        }
        return node.toString();
    }


    private void problem(String path, String message) {
        problems.add(path + ": " + message);
    }
}
