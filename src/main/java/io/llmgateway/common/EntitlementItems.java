package io.llmgateway.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How {@link Entitlements} travel from the stack to the backend: as items of the token table under
 * one partition, written by the stack ({@code aws.dynamodb.TableItem}) and read by the backend with
 * one Query. One item holds the plans; the key-to-plan map is split over {@link #shardCount} items,
 * so 10,000 keys stay far below DynamoDB's 400 KB item limit. Every item carries the same content
 * hash ({@code version}), which the stack also puts on the stage variable {@link #STAGE_VARIABLE}:
 * a reader that sees two versions read the table in the middle of an update and must not use it.
 *
 * <p>Each item holds its content as one JSON string attribute ({@code doc}), so both sides share
 * this one codec, and neither the stack nor the backend writes DynamoDB's nested types by hand.
 * The backend never writes here: the provider compares the whole item on refresh
 * (terraform-provider-aws, {@code internal/service/dynamodb/table_item.go}), so an attribute it did
 * not write would be deleted by the next update. Counters live under other partition keys.
 */
public final class EntitlementItems {

    /** The table's partition-key and sort-key attributes (both strings). */
    public static final String PARTITION_KEY = "pk";
    public static final String SORT_KEY = "sk";
    /** Attributes of an entitlement item. */
    public static final String VERSION = "version";
    public static final String DOC = "doc";
    /** The partition all entitlement items share. */
    public static final String PARTITION = "entitlements";
    public static final String PLANS_ITEM = "plans";
    public static final String KEYS_ITEM_PREFIX = "keys#";
    /** The stage variable that tells the backend which version is current. */
    public static final String STAGE_VARIABLE = "entitlementsVersion";
    /** Keys per shard, on average: about 40 bytes each, some 40 KB an item. */
    public static final int KEYS_PER_SHARD = 1000;

    /** One item: its sort key, its JSON content and the snapshot's version. */
    public record Item(String sortKey, String doc, String version) {
        /** The item in DynamoDB's JSON format, as {@code aws.dynamodb.TableItem} takes it. */
        public String toDynamoJson() {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put(PARTITION_KEY, Map.of("S", PARTITION));
            item.put(SORT_KEY, Map.of("S", sortKey));
            item.put(VERSION, Map.of("S", version));
            item.put(DOC, Map.of("S", doc));
            return Json.write(item);
        }
    }

    private EntitlementItems() {
    }

    /** How many key items hold {@code keys} keys: at least one, so the plans item always names it. */
    public static int shardCount(int keys) {
        return Math.max(1, (keys + KEYS_PER_SHARD - 1) / KEYS_PER_SHARD);
    }

    public static String shardSortKey(int shard) {
        return KEYS_ITEM_PREFIX + String.format("%04d", shard);
    }

    /**
     * The items of a snapshot: the plans item first, then {@code shards} key items. A key goes to the
     * shard its id hashes to, so adding a key changes one key item (and the version on all).
     */
    public static List<Item> items(Map<String, PlanLimits> plans, Map<String, String> planByKeyId, int shards) {
        Map<String, Object> plansDoc = new LinkedHashMap<>();
        plansDoc.put("shards", shards);
        Map<String, Object> planDocs = new TreeMap<>();
        plans.forEach((name, limits) -> planDocs.put(name, planDoc(limits)));
        plansDoc.put("plans", planDocs);
        List<Map<String, String>> keyShards = new ArrayList<>();
        for (int i = 0; i < shards; i++) {
            keyShards.add(new TreeMap<>());
        }
        planByKeyId.forEach((keyId, plan) -> keyShards.get(Math.floorMod(keyId.hashCode(), shards)).put(keyId, plan));

        List<String> docs = new ArrayList<>();
        docs.add(Json.write(plansDoc));
        for (Map<String, String> shard : keyShards) {
            docs.add(Json.write(Map.of("keys", shard)));
        }
        String version = version(docs);
        List<Item> items = new ArrayList<>();
        items.add(new Item(PLANS_ITEM, docs.get(0), version));
        for (int i = 0; i < shards; i++) {
            items.add(new Item(shardSortKey(i), docs.get(i + 1), version));
        }
        return items;
    }

    /**
     * The snapshot the items hold, when they are one whole version: the plans item, every shard it
     * names, and one version on all of them.
     *
     * @throws IllegalStateException saying what is missing or mixed: a read during an update, or a
     *                               table the stack has not written
     */
    public static Entitlements read(List<Item> items) {
        Map<String, Item> bySortKey = new LinkedHashMap<>();
        Set<String> versions = new TreeSet<>();
        for (Item item : items) {
            bySortKey.put(item.sortKey(), item);
            versions.add(item.version());
        }
        Item plansItem = bySortKey.get(PLANS_ITEM);
        if (plansItem == null) {
            throw new IllegalStateException("the token table holds no '" + PLANS_ITEM + "' item under partition '"
                    + PARTITION + "': has the stack been deployed?");
        }
        if (versions.size() > 1) {
            throw new IllegalStateException("the entitlement items hold versions " + versions
                    + ": read in the middle of an update");
        }
        try {
            Map<String, Object> plansDoc = Json.readObject(plansItem.doc());
            int shards = ((Number) plansDoc.get("shards")).intValue();
            Map<String, PlanLimits> plans = new LinkedHashMap<>();
            ((Map<?, ?>) plansDoc.get("plans")).forEach((name, doc) ->
                    plans.put((String) name, planFrom((String) name, (Map<?, ?>) doc)));
            Map<String, String> planByKeyId = new LinkedHashMap<>();
            for (int i = 0; i < shards; i++) {
                Item shard = bySortKey.get(shardSortKey(i));
                if (shard == null) {
                    throw new IllegalStateException("the entitlement item '" + shardSortKey(i) + "' is missing: "
                            + "read in the middle of an update");
                }
                ((Map<?, ?>) Json.readObject(shard.doc()).get("keys")).forEach((keyId, plan) ->
                        planByKeyId.put((String) keyId, (String) plan));
            }
            return new Entitlements(plansItem.version(), plans, planByKeyId);
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalStateException state) {
                throw state;
            }
            throw new IllegalStateException("an entitlement item is malformed: " + e, e);
        }
    }

    private static Map<String, Object> planDoc(PlanLimits limits) {
        Map<String, Object> doc = new LinkedHashMap<>();
        limits.models().ifPresent(models -> doc.put("models", new TreeSet<>(models)));
        limits.maxTokens().ifPresent(max -> doc.put("maxTokens", max));
        limits.tokensPerMinute().ifPresent(tpm -> doc.put("tokensPerMinute", tpm));
        limits.budget().ifPresent(budget -> {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("limit", budget.limit());
            b.put("period", budget.period().name());
            b.put("unit", budget.unit().name());
            Map<String, Object> rates = new TreeMap<>();
            budget.rates().forEach((alias, r) -> rates.put(alias, rateList(r)));
            b.put("rates", rates);
            b.put("fallback", rateList(budget.fallback()));
            doc.put("budget", b);
        });
        if (!limits.profileArns().isEmpty()) {
            doc.put("profiles", new TreeMap<>(limits.profileArns()));
        }
        limits.guardrail().ifPresent(g -> {
            Map<String, Object> guardrail = new LinkedHashMap<>();
            guardrail.put("id", g.identifier());
            guardrail.put("version", g.version());
            Map<String, Object> prices = new TreeMap<>();
            g.unitPrices().forEach((policy, price) -> prices.put(policy.configName(), price));
            guardrail.put("prices", prices);
            doc.put("guardrail", guardrail);
        });
        return doc;
    }

    private static PlanLimits planFrom(String name, Map<?, ?> doc) {
        Optional<Set<String>> models = Optional.empty();
        if (doc.get("models") instanceof List<?> list) {
            Set<String> allowed = new TreeSet<>();
            list.forEach(m -> allowed.add((String) m));
            models = Optional.of(allowed);
        }
        OptionalInt maxTokens = doc.get("maxTokens") instanceof Number n ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
        OptionalLong tpm = doc.get("tokensPerMinute") instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
        Optional<TokenBudget> budget = Optional.empty();
        if (doc.get("budget") instanceof Map<?, ?> b) {
            Map<String, TokenRates> rates = new LinkedHashMap<>();
            ((Map<?, ?>) b.get("rates")).forEach((alias, r) -> rates.put((String) alias, rates((List<?>) r)));
            budget = Optional.of(new TokenBudget(((Number) b.get("limit")).longValue(),
                    BudgetPeriod.valueOf((String) b.get("period")), BudgetUnit.valueOf((String) b.get("unit")),
                    rates, rates((List<?>) b.get("fallback"))));
        }
        Map<String, String> profiles = new TreeMap<>();
        if (doc.get("profiles") instanceof Map<?, ?> p) {
            p.forEach((alias, arn) -> profiles.put((String) alias, (String) arn));
        }
        Optional<PlanGuardrail> guardrail = Optional.empty();
        if (doc.get("guardrail") instanceof Map<?, ?> g) {
            Map<GuardrailPolicy, Long> prices = new java.util.EnumMap<>(GuardrailPolicy.class);
            ((Map<?, ?>) g.get("prices")).forEach((policy, price) -> prices.put(GuardrailPolicy.named((String) policy)
                    .orElseThrow(() -> new IllegalArgumentException("unknown guardrail policy " + policy)),
                    ((Number) price).longValue()));
            guardrail = Optional.of(new PlanGuardrail((String) g.get("id"), (String) g.get("version"), prices));
        }
        return new PlanLimits(name, models, maxTokens, tpm, budget, profiles, guardrail);
    }

    /** Input, output, cache read, cache write, 1-hour cache write. */
    private static List<Long> rateList(TokenRates r) {
        return List.of(r.input(), r.output(), r.cacheRead(), r.cacheWrite(), r.cacheWriteLong());
    }

    private static TokenRates rates(List<?> list) {
        long[] r = list.stream().mapToLong(n -> ((Number) n).longValue()).toArray();
        // Items written before the cache rates existed hold input and output only.
        return r.length == 2 ? new TokenRates(r[0], r[1]) : new TokenRates(r[0], r[1], r[2], r[3], r[4]);
    }

    /** The first 16 bytes of the SHA-256 of the items' contents, in hex. */
    private static String version(List<String> docs) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String doc : docs) {
                sha.update(doc.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
