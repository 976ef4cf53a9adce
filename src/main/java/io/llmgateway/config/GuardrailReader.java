package io.llmgateway.config;

import io.llmgateway.common.GuardrailPolicy;
import io.llmgateway.common.PlanGuardrail;
import io.llmgateway.common.Text;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code plans.<plan>.guardrail} and {@code guardrailPrices}. A guardrail is either an existing one
 * ({@code id}, {@code version}) or declared here. The limits are Bedrock's CreateGuardrail limits
 * (https://docs.aws.amazon.com/bedrock/latest/APIReference/API_CreateGuardrail.html and the types it
 * names: GuardrailContentFilterConfig, GuardrailTopicConfig, GuardrailWordConfig, GuardrailPiiEntityConfig),
 * which terraform-provider-aws {@code internal/service/bedrock/guardrail.go} also validates.
 */
final class GuardrailReader {

    static final String PRICES_KEY = "guardrailPrices";
    static final List<String> KEYS = List.of("id", "version", "blockedInputMessage", "blockedOutputMessage",
            "contentFilters", "deniedTopics", "words", "managedWordLists", "pii", "prices");
    private static final List<String> DECLARED_KEYS = List.of("blockedInputMessage", "blockedOutputMessage",
            "contentFilters", "deniedTopics", "words", "managedWordLists", "pii");
    private static final List<String> POLICY_KEYS = List.of("contentFilters", "deniedTopics", "words",
            "managedWordLists", "pii");
    private static final List<String> FILTER_KEYS = List.of("input", "output");
    private static final List<String> TOPIC_KEYS = List.of("name", "definition", "examples");

    static final List<String> CONTENT_FILTER_TYPES = List.of("HATE", "INSULTS", "SEXUAL", "VIOLENCE", "MISCONDUCT",
            "PROMPT_ATTACK");
    static final List<String> STRENGTHS = List.of("NONE", "LOW", "MEDIUM", "HIGH");
    static final List<String> PII_ACTIONS = List.of("BLOCK", "ANONYMIZE");
    static final List<String> MANAGED_WORD_LISTS = List.of("PROFANITY");
    /** GuardrailPiiEntityConfig's types, as the provider's 6.83 schema lists them. */
    static final List<String> PII_TYPES = List.of("ADDRESS", "AGE", "AWS_ACCESS_KEY", "AWS_SECRET_KEY",
            "CA_HEALTH_NUMBER", "CA_SOCIAL_INSURANCE_NUMBER", "CREDIT_DEBIT_CARD_CVV", "CREDIT_DEBIT_CARD_EXPIRY",
            "CREDIT_DEBIT_CARD_NUMBER", "DRIVER_ID", "EMAIL", "INTERNATIONAL_BANK_ACCOUNT_NUMBER", "IP_ADDRESS",
            "LICENSE_PLATE", "MAC_ADDRESS", "NAME", "PASSWORD", "PHONE", "PIN", "SWIFT_CODE",
            "UK_NATIONAL_HEALTH_SERVICE_NUMBER", "UK_NATIONAL_INSURANCE_NUMBER", "UK_UNIQUE_TAXPAYER_REFERENCE_NUMBER",
            "URL", "USERNAME", "US_BANK_ACCOUNT_NUMBER", "US_BANK_ROUTING_NUMBER",
            "US_INDIVIDUAL_TAX_IDENTIFICATION_NUMBER", "US_PASSPORT_NUMBER", "US_SOCIAL_SECURITY_NUMBER",
            "VEHICLE_IDENTIFICATION_NUMBER");
    static final String DEFAULT_BLOCKED_INPUT = "Sorry, this request is not allowed under your plan's content policy.";
    static final String DEFAULT_BLOCKED_OUTPUT = "Sorry, the answer was withheld under your plan's content policy.";
    static final int MAX_MESSAGE = 500;
    static final int MAX_TOPICS = 30;
    static final int MAX_EXAMPLES = 5;
    static final int MAX_WORDS = 10_000;
    private static final Pattern TOPIC_NAME = Pattern.compile("[0-9a-zA-Z-_ !?.]{1,100}");
    /** USD per 1,000 text units: far above AWS's prices, and 6 decimals make whole nano-dollars per unit. */
    static final int MAX_PRICE = 1000;

    private final TypedValues typed;
    private final LoadReport report;

    private GuardrailReader(TypedValues typed, LoadReport report) {
        this.typed = typed;
        this.report = report;
    }

    /** {@code plans.<plan>.guardrail}, with its own {@code prices} only; null when invalid. */
    static GuardrailSpec read(KeyPath path, Object node, TypedValues typed, LoadReport report) {
        return new GuardrailReader(typed, report).guardrail(path, node);
    }

    /** {@code guardrailPrices}: per policy, nano-dollars per text unit. */
    static Map<GuardrailPolicy, Long> globalPrices(Object node, TypedValues typed, LoadReport report) {
        if (node == null) {
            return Map.of();
        }
        Map<GuardrailPolicy, Long> prices = new GuardrailReader(typed, report).prices(KeyPath.of(PRICES_KEY), node);
        return prices == null ? Map.of() : prices;
    }

    /**
     * Each plan's guardrail priced: its own {@code prices} over {@code guardrailPrices}. A plan with a USD
     * budget must price what its guardrail bills: every billed policy a declared guardrail configures,
     * and at least one policy for an existing one (the stack cannot see its policies).
     */
    static Map<String, Plan> priced(Map<String, Plan> plans, Map<GuardrailPolicy, Long> global, LoadReport report) {
        Map<String, Plan> priced = new LinkedHashMap<>();
        plans.forEach((name, plan) -> {
            if (plan.guardrail().isEmpty()) {
                priced.put(name, plan);
                return;
            }
            GuardrailSpec spec = plan.guardrail().get();
            Map<GuardrailPolicy, Long> prices = new EnumMap<>(GuardrailPolicy.class);
            prices.putAll(global);
            prices.putAll(spec.unitPrices());
            boolean usd = plan.tokens().flatMap(PlanTokens::budget)
                    .map(b -> b.unit() == io.llmgateway.common.BudgetUnit.USD).orElse(false);
            KeyPath pricesPath = KeyPath.of(ConfigLoader.PLANS).child(name).child("guardrail").child("prices");
            if (usd) {
                List<GuardrailPolicy> missing = spec instanceof GuardrailSpec.Declared declared
                        ? declared.policies().stream().filter(p -> p.billed() && !prices.containsKey(p)).toList()
                        : prices.isEmpty() ? List.of(GuardrailPolicy.CONTENT) : List.of();
                if (!missing.isEmpty()) {
                    report.problem(pricesPath, "the plan has a USD budget and a guardrail, so its guardrail's text "
                            + "units need prices (USD per 1,000 text units) for "
                            + missing.stream().map(GuardrailPolicy::configName).collect(Collectors.joining(", "))
                            + "; set them here or in " + PRICES_KEY + ", e.g. pulumi config set --path '"
                            + KeyPath.of(PRICES_KEY).child(missing.get(0).configName()).full() + "' 0.15");
                }
            }
            priced.put(name, plan.withGuardrail(spec.pricedAt(prices)));
        });
        return priced;
    }

    private GuardrailSpec guardrail(KeyPath path, Object node) {
        Map<String, Object> map = typed.object(path, node, KEYS);
        if (map == null) {
            return null;
        }
        Map<GuardrailPolicy, Long> prices = Map.of();
        if (map.get("prices") != null) {
            prices = prices(path.child("prices"), map.get("prices"));
            if (prices == null) {
                return null;
            }
        }
        boolean declares = DECLARED_KEYS.stream().anyMatch(k -> map.get(k) != null);
        if (map.get("id") != null || map.get("version") != null) {
            if (declares) {
                report.problem(path, "either name an existing guardrail (id, version) or declare one ("
                        + String.join(", ", DECLARED_KEYS) + "), not both");
                return null;
            }
            return existing(path, map, prices);
        }
        if (POLICY_KEYS.stream().noneMatch(k -> map.get(k) != null)) {
            report.problem(path, "set id and version of an existing guardrail, or declare one with at least one of "
                    + "contentFilters, deniedTopics, words, managedWordLists or pii");
            return null;
        }
        return declared(path, map, prices);
    }

    private GuardrailSpec existing(KeyPath path, Map<String, Object> map, Map<GuardrailPolicy, Long> prices) {
        String id = null;
        String version = null;
        if (map.get("id") == null) {
            report.problem(path.child("id"), "required with version: the guardrail's id (lower-case letters and "
                    + "digits) or its ARN");
        } else {
            id = typed.string(path.child("id"), map.get("id"));
            if (id != null && !PlanGuardrail.IDENTIFIER.matcher(id).matches()) {
                report.problem(path.child("id"), report.show(path.child("id"), id) + " is not a guardrail id or ARN "
                        + "(e.g. abcd1234efgh or arn:aws:bedrock:us-east-1:123456789012:guardrail/abcd1234efgh)");
                id = null;
            }
        }
        if (map.get("version") == null) {
            report.problem(path.child("version"), "required with id: a version number such as \"1\" (or DRAFT, "
                    + "which changes under the clients' feet)");
        } else {
            Object raw = map.get("version");
            version = raw instanceof Number n ? String.valueOf(n) : typed.string(path.child("version"), raw);
            if (version != null && !PlanGuardrail.VERSION.matcher(version).matches()) {
                report.problem(path.child("version"), report.show(path.child("version"), version)
                        + " is not a guardrail version; use a number from 1 to 99999999, or DRAFT");
                version = null;
            }
        }
        return id == null || version == null ? null : new GuardrailSpec.Existing(id, version, prices);
    }

    private GuardrailSpec declared(KeyPath path, Map<String, Object> map, Map<GuardrailPolicy, Long> prices) {
        boolean ok = true;
        String blockedInput = message(path.child("blockedInputMessage"), map.get("blockedInputMessage"),
                DEFAULT_BLOCKED_INPUT);
        String blockedOutput = message(path.child("blockedOutputMessage"), map.get("blockedOutputMessage"),
                DEFAULT_BLOCKED_OUTPUT);
        ok &= blockedInput != null && blockedOutput != null;
        List<GuardrailSpec.ContentFilter> filters = new ArrayList<>();
        if (map.get("contentFilters") != null) {
            List<GuardrailSpec.ContentFilter> read = contentFilters(path.child("contentFilters"), map.get("contentFilters"));
            ok &= read != null;
            if (read != null) {
                filters = read;
            }
        }
        List<GuardrailSpec.DeniedTopic> topics = new ArrayList<>();
        if (map.get("deniedTopics") != null) {
            List<GuardrailSpec.DeniedTopic> read = topics(path.child("deniedTopics"), map.get("deniedTopics"));
            ok &= read != null;
            if (read != null) {
                topics = read;
            }
        }
        List<String> words = List.of();
        if (map.get("words") != null) {
            words = strings(path.child("words"), map.get("words"), 1, 100, MAX_WORDS, "words or phrases to block, "
                    + "e.g. [\"project-x\"]", null);
            ok &= words != null;
        }
        List<String> managed = List.of();
        if (map.get("managedWordLists") != null) {
            managed = strings(path.child("managedWordLists"), map.get("managedWordLists"), 1, 20,
                    MANAGED_WORD_LISTS.size(), "AWS-managed word lists, e.g. [\"PROFANITY\"]", MANAGED_WORD_LISTS);
            ok &= managed != null;
        }
        Map<String, String> pii = new LinkedHashMap<>();
        if (map.get("pii") != null) {
            Map<String, String> read = pii(path.child("pii"), map.get("pii"));
            ok &= read != null;
            if (read != null) {
                pii = read;
            }
        }
        if (!ok) {
            return null;
        }
        return new GuardrailSpec.Declared(blockedInput, blockedOutput, filters, topics, words, managed, pii, prices);
    }

    private String message(KeyPath path, Object node, String fallback) {
        if (node == null) {
            return fallback;
        }
        String text = typed.string(path, node);
        if (text != null && (text.isBlank() || text.length() > MAX_MESSAGE)) {
            report.problem(path, "must be 1-" + MAX_MESSAGE + " characters (Bedrock's limit), got " + text.length());
            return null;
        }
        return text;
    }

    private List<GuardrailSpec.ContentFilter> contentFilters(KeyPath path, Object node) {
        Map<String, Object> map = typed.object(path, node, null,
                " such as {\"HATE\": {\"input\": \"HIGH\", \"output\": \"HIGH\"}}");
        if (map == null) {
            return null;
        }
        List<GuardrailSpec.ContentFilter> filters = new ArrayList<>();
        boolean ok = true;
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            if (!CONTENT_FILTER_TYPES.contains(entry.getKey())) {
                report.problem(path.child(entry.getKey()), Text.quote(entry.getKey()) + " is not a content filter type"
                        + Suggestions.didYouMean(entry.getKey(), CONTENT_FILTER_TYPES) + "; use one of "
                        + String.join(", ", CONTENT_FILTER_TYPES));
                ok = false;
                continue;
            }
            KeyPath filterPath = path.child(entry.getKey());
            Map<String, Object> strengths = typed.object(filterPath, entry.getValue(), FILTER_KEYS);
            if (strengths == null) {
                ok = false;
                continue;
            }
            String input = strength(filterPath.child("input"), strengths.get("input"));
            String output = strength(filterPath.child("output"), strengths.get("output"));
            if (entry.getKey().equals("PROMPT_ATTACK") && output != null && !output.equals("NONE")) {
                report.problem(filterPath.child("output"), "must be NONE: a prompt attack filter applies to prompts "
                        + "only, and Bedrock refuses any other output strength for it");
                output = null;
            }
            if (input == null || output == null) {
                ok = false;
            } else {
                filters.add(new GuardrailSpec.ContentFilter(entry.getKey(), input, output));
            }
        }
        return ok ? filters : null;
    }

    private String strength(KeyPath path, Object node) {
        if (node == null) {
            report.problem(path, "required: one of " + String.join(", ", STRENGTHS));
            return null;
        }
        return oneOf(path, node, STRENGTHS, "filter strength");
    }

    private String oneOf(KeyPath path, Object node, List<String> allowed, String what) {
        String text = typed.string(path, node);
        if (text != null && !allowed.contains(text)) {
            report.problem(path, report.show(path, text) + " is not a " + what
                    + Suggestions.didYouMean(text, allowed) + "; use one of " + String.join(", ", allowed));
            return null;
        }
        return text;
    }

    private List<GuardrailSpec.DeniedTopic> topics(KeyPath path, Object node) {
        List<Object> list = typed.list(path, node, "denied topics, e.g. [{\"name\": \"Investment advice\", "
                + "\"definition\": \"Recommendations on what to invest in\"}]");
        if (list == null) {
            return null;
        }
        if (list.isEmpty() || list.size() > MAX_TOPICS) {
            report.problem(path, "must hold 1-" + MAX_TOPICS + " topics (Bedrock's limit), got " + list.size());
            return null;
        }
        List<GuardrailSpec.DeniedTopic> topics = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            KeyPath topicPath = path.element(i);
            Map<String, Object> map = typed.object(topicPath, list.get(i), TOPIC_KEYS);
            if (map == null) {
                ok = false;
                continue;
            }
            String name = requiredText(topicPath.child("name"), map.get("name"), 100, "the topic's name");
            if (name != null && !TOPIC_NAME.matcher(name).matches()) {
                report.problem(topicPath.child("name"), report.show(topicPath.child("name"), name)
                        + " is not allowed: use 1-100 letters, digits, spaces and - _ ! ? .");
                name = null;
            }
            String definition = requiredText(topicPath.child("definition"), map.get("definition"), 200,
                    "what the topic is, in a sentence");
            List<String> examples = List.of();
            if (map.get("examples") != null) {
                examples = strings(topicPath.child("examples"), map.get("examples"), 1, 100, MAX_EXAMPLES,
                        "example prompts of the topic", null);
            }
            if (name == null || definition == null || examples == null) {
                ok = false;
            } else {
                topics.add(new GuardrailSpec.DeniedTopic(name, definition, examples));
            }
        }
        return ok ? topics : null;
    }

    private String requiredText(KeyPath path, Object node, int max, String what) {
        if (node == null) {
            report.problem(path, "required: " + what + ", 1-" + max + " characters");
            return null;
        }
        String text = typed.string(path, node);
        if (text != null && (text.isBlank() || text.length() > max)) {
            report.problem(path, "must be 1-" + max + " characters, got " + text.length());
            return null;
        }
        return text;
    }

    /** A list of strings, each {@code min}-{@code max} characters, at most {@code most}, no repeats. */
    private List<String> strings(KeyPath path, Object node, int min, int max, int most, String what,
                                 List<String> allowed) {
        List<Object> list = typed.list(path, node, what);
        if (list == null) {
            return null;
        }
        if (list.isEmpty() || list.size() > most) {
            report.problem(path, "must hold 1-" + most + " entries, got " + list.size() + ": " + what);
            return null;
        }
        List<String> strings = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            KeyPath at = path.element(i);
            String text = allowed == null ? typed.string(at, list.get(i)) : oneOf(at, list.get(i), allowed, "value here");
            if (text == null) {
                ok = false;
            } else if (text.length() < min || text.length() > max || text.isBlank()) {
                report.problem(at, "must be " + min + "-" + max + " characters, got " + text.length());
                ok = false;
            } else if (strings.contains(text)) {
                report.problem(at, report.show(at, text) + " is listed twice");
                ok = false;
            } else {
                strings.add(text);
            }
        }
        return ok ? strings : null;
    }

    private Map<String, String> pii(KeyPath path, Object node) {
        Map<String, Object> map = typed.object(path, node, null, " such as {\"EMAIL\": \"ANONYMIZE\"}");
        if (map == null) {
            return null;
        }
        if (map.isEmpty()) {
            report.problem(path, "must name at least one PII type, e.g. {\"EMAIL\": \"ANONYMIZE\"}; or remove it");
            return null;
        }
        Map<String, String> actions = new LinkedHashMap<>();
        boolean ok = true;
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            if (!PII_TYPES.contains(entry.getKey())) {
                report.problem(path.child(entry.getKey()), Text.quote(entry.getKey()) + " is not a PII entity type"
                        + Suggestions.didYouMean(entry.getKey(), PII_TYPES) + "; use one of " + String.join(", ", PII_TYPES));
                ok = false;
                continue;
            }
            String action = oneOf(path.child(entry.getKey()), entry.getValue(), PII_ACTIONS, "PII action");
            if (action == null) {
                ok = false;
            } else {
                actions.put(entry.getKey(), action);
            }
        }
        return ok ? actions : null;
    }

    /** Prices per policy, USD per 1,000 text units, as nano-dollars per unit. */
    private Map<GuardrailPolicy, Long> prices(KeyPath path, Object node) {
        List<String> names = Arrays.stream(GuardrailPolicy.values()).map(GuardrailPolicy::configName).toList();
        Map<String, Object> map = typed.object(path, node, null,
                " such as {\"contentPolicy\": 0.15} (USD per 1,000 text units)");
        if (map == null) {
            return null;
        }
        Map<GuardrailPolicy, Long> prices = new EnumMap<>(GuardrailPolicy.class);
        boolean ok = true;
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            var policy = GuardrailPolicy.named(entry.getKey());
            if (policy.isEmpty()) {
                report.problem(path.child(entry.getKey()), Text.quote(entry.getKey()) + " is not a guardrail policy"
                        + Suggestions.didYouMean(entry.getKey(), names) + "; use one of " + String.join(", ", names));
                ok = false;
                continue;
            }
            KeyPath at = path.child(entry.getKey());
            TypedValues.Num n = typed.number(at, entry.getValue());
            if (n == null) {
                ok = false;
            } else if (n.value().signum() < 0 || n.value().compareTo(BigDecimal.valueOf(MAX_PRICE)) > 0) {
                report.problem(at, "must be 0-" + MAX_PRICE + " US dollars per 1,000 text units, got " + n.shown());
                ok = false;
            } else {
                // USD per 1,000 units is nano-dollars per unit times 10^6.
                BigDecimal nano = n.value().movePointRight(6);
                if (!Numbers.isWhole(nano)) {
                    report.problem(at, n.shown() + " has more than 6 decimals; prices count nano-dollars per text unit");
                    ok = false;
                } else {
                    prices.put(policy.get(), nano.longValueExact());
                }
            }
        }
        return ok ? prices : null;
    }
}
