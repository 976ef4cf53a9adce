package io.llmgateway.config;

import static io.llmgateway.config.Configs.map;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every position of the stack config, found by walking {@link #complete() configs that set every key
 * the loader knows} rather than listed by hand: a key added to a reader is a position of every
 * test that walks them (ConfigPositionsTest fails until the complete configs set it).
 */
final class ConfigPositions {
    private ConfigPositions() {
    }

    /** The complete configs supply a client's apiKey, so Pulumi holds {@code clients} as a secret. */
    static final Set<String> SECRET_KEYS = Set.of(ConfigLoader.CLIENTS);

    /** The problems of a config like the complete ones (only {@link #SECRET_KEYS} secret); empty when it loads. */
    static List<String> problems(Map<String, Object> config) {
        try {
            ConfigLoader.load(config, Secrets.withoutStackFile(SECRET_KEYS, "test"), Optional.empty());
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    /**
     * A place in one of the complete configs.
     *
     * @param path   where, in {@code pulumi config set --path} syntax
     * @param value  what the complete config holds there (a map, a list or a scalar)
     * @param config the complete config it belongs to
     */
    record Position(KeyPath path, Object value, Map<String, Object> config) {

        /** The config with {@code replacement} at this position (null removes it). */
        Map<String, Object> with(Object replacement) {
            return set(config, path, replacement);
        }

        boolean isNumber() {
            return value instanceof Number;
        }

        boolean isTopLevel() {
            return path.segments().size() == 1;
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /**
     * Valid configs that together set every key the loader knows, each map with one entry or more and
     * each list with one element or more. Two, because {@code privateApi} and {@code customDomain}
     * exclude each other. Values are as YAML types them; the scalars are at their defaults.
     */
    static List<Map<String, Object>> complete() {
        Map<String, Object> config = new LinkedHashMap<>();
        for (Setting setting : Setting.values()) {
            config.put(setting.key(), setting.defaultValue());
        }
        config.put("models", map("nova-micro", "amazon.nova-micro-v1:0",
                "titan", map("id", "amazon.titan-embed-text-v2:0", "kind", "embedding"),
                "sonnet", map("id", "eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "kind", "chat", "promptCache", "1h")));
        config.put("plans", map(
                "standard", map(
                        "description", "Ten a second",
                        "throttle", map("rateLimit", 10, "burstLimit", 20),
                        "quota", map("limit", 1000, "period", "WEEK", "offset", 1),
                        "methodThrottles", map("/v1/models/GET", map("rateLimit", 2.5, "burstLimit", 5)),
                        "tokens", map("perMinute", 20_000, "budget", map("limit", 1_000_000, "period", "DAY", "unit", "tokens"),
                                "inputWeight", 1, "outputWeight", 4, "cacheReadWeight", new BigDecimal("0.1"),
                                "cacheWriteWeight", new BigDecimal("1.25"), "cacheWrite1hWeight", 2),
                        "models", List.of("nova-micro", "titan"),
                        "maxTokens", 512,
                        "costAllocation", map("enabled", true, "tags", map("team", "search")),
                        "guardrail", map("blockedInputMessage", "Not allowed.", "blockedOutputMessage", "Withheld.",
                                "contentFilters", map("HATE", map("input", "HIGH", "output", "MEDIUM")),
                                "deniedTopics", List.of(map("name", "Investment advice",
                                        "definition", "Recommendations on what to invest in",
                                        "examples", List.of("Which stock should I buy?"))),
                                "words", List.of("project-x"),
                                "managedWordLists", List.of("PROFANITY"),
                                "pii", map("EMAIL", "ANONYMIZE"),
                                "prices", map("contentPolicy", new BigDecimal("0.15")))),
                "priced", map(
                        "throttle", map("rateLimit", 1, "burstLimit", 2),
                        "tokens", map("budget", map("limit", new BigDecimal("12.5"), "period", "MONTH", "unit", "usd")),
                        "models", List.of("nova-micro"),
                        "guardrail", map("id", "abcd1234efgh", "version", "2",
                                "prices", map("wordPolicy", 0)))));
        config.put("guardrailPrices", map("contentPolicy", new BigDecimal("0.15"),
                "topicPolicy", new BigDecimal("0.15"), "sensitiveInformationPolicy", new BigDecimal("0.1")));
        config.put("modelPrices", map("nova-micro", map("inputPerMillion", new BigDecimal("0.035"),
                "outputPerMillion", new BigDecimal("0.14"), "cacheReadPerMillion", new BigDecimal("0.00875"),
                "cacheWritePerMillion", new BigDecimal("0.035"), "cacheWrite1hPerMillion", new BigDecimal("0.035"))));
        config.put("clients", map("acme", map("plan", "standard", "enabled", true, "description", "ACME Corp",
                "apiKey", "sk-acme-0123456789abcdefghij")));
        Map<String, Object> alarms = map("emails", List.of("ops@example.com"));
        for (AlarmKind kind : AlarmKind.values()) {
            alarms.put(kind.key(), map("enabled", true, "threshold", kind.whole() ? (Object) ((int) kind.max() / 100) : 2.5,
                    "minutes", 10));
        }
        config.put("alarms", alarms);
        config.put("capacity", map("accountRateLimit", 10_000, "accountBurstLimit", 5_000, "accountConcurrency", 1_000,
                "modelLatencyMs", 4_000, "bedrockTokensPerMinute", map("nova-micro", 2_000_000)));
        // A range in both lists is allowed, with a warning that shows it unless it is secret.
        config.put("waf", map("rateLimitPer5Minutes", 500, "rateWindowSeconds", 120, "allowCidrs", List.of("203.0.113.0/24", "2001:db8::/32"),
                "denyCidrs", List.of("2001:db8::/32"), "managedRuleGroups", List.of(WebFirewall.COMMON_RULE_SET),
                "countRules", map(WebFirewall.COMMON_RULE_SET, List.of("CrossSiteScripting_BODY")), "logging", true));
        config.put("cors", map("allowedOrigins", List.of("https://app.example.com")));
        config.put("streaming", map("enabled", true, "timeoutMs", 600_000));
        config.put("responses", map("store", map("enabled", true, "ttlDays", 90)));

        Map<String, Object> withDomain = new LinkedHashMap<>(config);
        withDomain.put("customDomain", map("domainName", "llm.example.com",
                "certificateArn", "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d", "basePath", "llm",
                "hostedZoneId", "Z0123456789ABCDEFGHIJ", "disableExecuteApiEndpoint", false));
        Map<String, Object> privateApi = new LinkedHashMap<>(config);
        privateApi.put("privateApi", map("vpcEndpointIds", List.of("vpce-0123456789abcdef0")));
        return List.of(withDomain, privateApi);
    }

    /** {@code config} as its stack file would hold it: each client's apiKey set with {@code --secret}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> stackFile(Map<String, Object> config) {
        Map<String, Object> file = (Map<String, Object>) Configs.deepCopy(config);
        if (file.get(ConfigLoader.CLIENTS) instanceof Map<?, ?> clients) {
            clients.values().forEach(client -> {
                if (client instanceof Map<?, ?> fields && fields.get("apiKey") instanceof String) {
                    ((Map<String, Object>) fields).put("apiKey", EncryptedValue.INSTANCE);
                }
            });
        }
        return file;
    }

    /** Every position of the complete configs, parents before children, each path once. */
    static List<Position> all() {
        Map<KeyPath, Position> positions = new LinkedHashMap<>();
        for (Map<String, Object> config : complete()) {
            config.forEach((key, value) -> walk(KeyPath.of(key), value, config, positions));
        }
        return List.copyOf(positions.values());
    }

    /** Every position of {@code config}, parents before children. */
    static List<Position> of(Map<String, Object> config) {
        Map<KeyPath, Position> positions = new LinkedHashMap<>();
        config.forEach((key, value) -> walk(KeyPath.of(key), value, config, positions));
        return List.copyOf(positions.values());
    }

    /** The positions where the complete configs hold a number: every place the loader reads one. */
    static List<Position> numbers() {
        return all().stream().filter(Position::isNumber).toList();
    }

    /** The position at {@code path}, which must be one. */
    static Position at(String path) {
        return all().stream().filter(p -> p.path().toString().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no position " + path));
    }

    private static void walk(KeyPath path, Object value, Map<String, Object> config, Map<KeyPath, Position> into) {
        into.putIfAbsent(path, new Position(path, value, config));
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(path.child((String) k), v, config, into));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(path.element(i), list.get(i), config, into);
            }
        }
    }

    /** A deep copy of {@code config} with {@code value} at {@code path} (null removes it). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> set(Map<String, Object> config, KeyPath path, Object value) {
        Map<String, Object> copy = (Map<String, Object>) Configs.deepCopy(config);
        List<Object> segments = path.segments();
        Object node = copy;
        for (Object segment : segments.subList(0, segments.size() - 1)) {
            node = node instanceof Map<?, ?> map ? map.get(segment) : ((List<?>) node).get((Integer) segment);
        }
        Object last = segments.get(segments.size() - 1);
        if (node instanceof Map<?, ?>) {
            Map<String, Object> map = (Map<String, Object>) node;
            if (value == null) {
                map.remove((String) last);
            } else {
                map.put((String) last, value);
            }
        } else {
            List<Object> list = (List<Object>) node;
            if (value == null) {
                list.remove((int) (Integer) last);
            } else {
                list.set((Integer) last, value);
            }
        }
        return copy;
    }
}
