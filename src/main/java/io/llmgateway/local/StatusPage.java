package io.llmgateway.local;

import io.llmgateway.common.BudgetUnit;
import io.llmgateway.common.Json;
import io.llmgateway.common.Text;
import io.llmgateway.config.CapacityReport;
import io.llmgateway.config.StackConfig;
import io.llmgateway.config.Plan;
import io.llmgateway.config.PlanTokens;
import io.llmgateway.config.Quota;
import io.llmgateway.config.Throttle;
import io.llmgateway.contract.Headers;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local gateway's live view, at {@code /} on its own port, outside {@code /<stage>}: the plans,
 * each client's bucket level, quota and token use, the last refusals, and the capacity report. The
 * page reloads itself every {@value #REFRESH_SECONDS} seconds; {@code /status.json} has the same data
 * for tools. Plain HTML and CSS from the JDK alone: no script, no framework, nothing fetched.
 *
 * <p>It never shows a key's value, only its id (what the access and backend logs show), and every
 * config text is HTML-escaped.
 */
final class StatusPage {

    static final String PAGE = "/";
    static final String JSON = "/status.json";
    static final int REFRESH_SECONDS = 2;

    private final StackConfig config;
    private final ApiKeys keys;
    private final UsageLimiter limiter;
    private final LocalStatus status;
    private final LocalClock clock;
    private final CapacityReport capacity;

    StatusPage(StackConfig config, ApiKeys keys, UsageLimiter limiter, LocalStatus status, LocalClock clock) {
        this.config = config;
        this.keys = keys;
        this.limiter = limiter;
        this.status = status;
        this.clock = clock;
        this.capacity = CapacityReport.of(config);
    }

    /** Whether this request is for the page (GET or HEAD of {@value #PAGE} or {@value #JSON}). */
    static boolean serves(IncomingRequest request) {
        return (request.method().equals("GET") || request.method().equals("HEAD"))
                && (PAGE.equals(request.rawPath()) || JSON.equals(request.rawPath()));
    }

    LocalResponse answer(IncomingRequest request, String baseUrl) {
        Map<String, Object> data = data(baseUrl);
        boolean json = JSON.equals(request.rawPath());
        byte[] body = (json ? Json.write(data) : html(data)).getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put(Headers.CONTENT_TYPE, List.of(json ? Headers.JSON : "text/html; charset=utf-8"));
        headers.put(Headers.CACHE_CONTROL, List.of("no-store"));
        return new LocalResponse(200, headers, body, null);
    }

    // ---- data -----------------------------------------------------------------------------------

    Map<String, Object> data(String baseUrl) {
        Instant now = clock.now();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("stage", config.stageName());
        data.put("baseUrl", baseUrl);
        data.put("at", millis(now));
        List<Object> plans = new ArrayList<>();
        for (Plan plan : config.plans().values()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("name", plan.name());
            p.put("rateLimit", plan.throttle().rateLimit());
            p.put("burstLimit", plan.throttle().burstLimit());
            p.put("quota", plan.quota().map(StatusPage::quota).orElse(null));
            Map<String, Object> methods = new LinkedHashMap<>();
            plan.methodThrottles().forEach((route, t) -> methods.put(route.throttlePath(),
                    Map.of("rateLimit", t.rateLimit(), "burstLimit", t.burstLimit())));
            p.put("methodThrottles", methods);
            p.put("tokens", tokens(plan));
            p.put("models", plan.models().orElse(null));
            p.put("clients", keys.all().stream().filter(k -> k.plan().name().equals(plan.name())).count());
            plans.add(p);
        }
        data.put("plans", plans);
        List<Object> clients = new ArrayList<>();
        for (ApiKeys.Key key : keys.all()) {
            UsageLimiter.KeyState state = limiter.state(key);
            LocalStatus.TokenUse use = status.tokenUse(key.id());
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("name", key.client().name());
            c.put("plan", key.plan().name());
            c.put("keyId", key.id());
            c.put("enabled", key.client().enabled());
            c.put("bucket", bucket(state.tokens(), key.plan().throttle()));
            Map<String, Object> methods = new LinkedHashMap<>();
            state.methodTokens().forEach((route, tokens) ->
                    methods.put(route.throttlePath(), bucket(tokens, key.plan().methodThrottles().get(route))));
            c.put("methodBuckets", methods);
            if (state.quotaUsed().isPresent()) {
                Quota quota = key.plan().quota().orElseThrow();
                c.put("quota", Map.of("used", state.quotaUsed().getAsLong(), "limit", quota.limit(),
                        "period", quota.period().name(), "resetsAt", state.quotaResets().orElseThrow().toString()));
            } else {
                c.put("quota", null);
            }
            c.put("tokens", Map.of("requests", use.requests(), "input", use.inputTokens(), "output",
                    use.outputTokens()));
            clients.add(c);
        }
        data.put("clients", clients);
        List<Object> refusals = new ArrayList<>();
        for (LocalStatus.Refusal r : status.refusals()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("at", millis(r.at()));
            row.put("client", clientOf(r.keyId()));
            row.put("keyId", r.keyId());
            row.put("route", r.route());
            row.put("status", r.status());
            row.put("cause", r.cause());
            refusals.add(row);
        }
        data.put("refusals", refusals);
        List<Object> counts = new ArrayList<>();
        for (LocalStatus.RefusalCount count : status.refusalCounts()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("client", clientOf(count.keyId()));
            row.put("keyId", count.keyId());
            row.put("cause", count.cause());
            row.put("count", count.count());
            counts.add(row);
        }
        data.put("refusalCounts", counts);
        data.put("capacity", capacity.lines().stream().map(CapacityReport.Line::toString).toList());
        return data;
    }

    private String clientOf(String keyId) {
        return keyId == null ? null : keys.all().stream().filter(k -> k.id().equals(keyId))
                .map(k -> k.client().name()).findFirst().orElse(null);
    }

    /** A time to the millisecond, as people read it in a table. */
    private static String millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** The plan's token limits as people read them: {@code 5,000/min; budget 200,000 tokens/DAY}; null for none. */
    private static String tokens(Plan plan) {
        if (plan.tokens().isEmpty()) {
            return null;
        }
        PlanTokens tokens = plan.tokens().get();
        List<String> parts = new ArrayList<>();
        tokens.perMinute().ifPresent(n -> parts.add(Text.grouped(n) + "/min"));
        tokens.budget().ifPresent(b -> parts.add("budget " + (b.unit() == BudgetUnit.USD
                ? "$" + Text.grouped(b.limit() / (double) BudgetUnit.NANO_USD_PER_USD)
                : Text.grouped(b.limit()) + " tokens") + "/" + b.period().name()));
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    private static Map<String, Object> quota(Quota quota) {
        return Map.of("limit", quota.limit(), "period", quota.period().name(), "offset", quota.offset());
    }

    /** Tokens rounded down to a whole request's worth, as a client can spend them. */
    private static Map<String, Object> bucket(double tokens, Throttle throttle) {
        return Map.of("tokens", Math.floor(tokens * 100) / 100, "burstLimit", throttle.burstLimit(),
                "rateLimit", throttle.rateLimit());
    }

    // ---- HTML -----------------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static String html(Map<String, Object> data) {
        StringBuilder h = new StringBuilder(8_192);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH_SECONDS).append("\">")
                // No icon to fetch: a browser's /favicon.ico would be a 404 refusal every reload.
                .append("<link rel=\"icon\" href=\"data:,\">")
                .append("<title>llm-gateway local: ").append(esc(data.get("stage"))).append("</title><style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#f6f7f9}")
                .append("h1{font-size:20px;margin:0 0 4px}h2{font-size:15px;margin:24px 0 8px}")
                .append(".sub{color:#57606a;margin-bottom:8px}code{background:#eaeef2;padding:1px 4px;border-radius:3px}")
                .append("table{border-collapse:collapse;background:#fff;min-width:60%}")
                .append("th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}")
                .append("th{background:#eaeef2}td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append(".bar{display:inline-block;width:120px;height:10px;background:#d0d7de;border-radius:5px;")
                .append("vertical-align:middle;margin-right:6px;overflow:hidden}.bar i{display:block;height:100%;")
                .append("background:#2da44e}.low i{background:#cf222e}.off{color:#8c959f}.warn{color:#9a6700}")
                .append("</style></head><body>");
        h.append("<h1>llm-gateway local &middot; stage ").append(esc(data.get("stage"))).append("</h1>")
                .append("<div class=\"sub\">Base URL <code>").append(esc(data.get("baseUrl")))
                .append("</code> &middot; as of ").append(esc(data.get("at"))).append(" &middot; reloads every ")
                .append(REFRESH_SECONDS).append(" s &middot; <a href=\"").append(JSON).append("\">").append(JSON)
                .append("</a></div>");

        h.append("<h2>Plans</h2><table><tr><th>plan</th><th>rate (req/s)</th><th>burst</th><th>quota</th>")
                .append("<th>per-method throttles</th><th>token limits</th><th>models</th><th>clients</th></tr>");
        for (Object o : (List<Object>) data.get("plans")) {
            Map<String, Object> p = (Map<String, Object>) o;
            Map<String, Object> quota = (Map<String, Object>) p.get("quota");
            h.append("<tr><td>").append(esc(p.get("name"))).append("</td><td class=\"n\">")
                    .append(Text.grouped((Double) p.get("rateLimit"))).append("</td><td class=\"n\">")
                    .append(p.get("burstLimit")).append("</td><td>")
                    .append(quota == null ? "none" : Text.grouped(((Number) quota.get("limit")).doubleValue()) + " / "
                            + quota.get("period"))
                    .append("</td><td>");
            ((Map<String, Object>) p.get("methodThrottles")).forEach((path, t) -> h.append(esc(path)).append(": ")
                    .append(Text.grouped((Double) ((Map<String, Object>) t).get("rateLimit"))).append(" req/s, burst ")
                    .append(((Map<String, Object>) t).get("burstLimit")).append("<br>"));
            h.append("</td><td>").append(p.get("tokens") == null ? "none" : esc(p.get("tokens")))
                    .append("</td><td>").append(p.get("models") == null ? "all" : esc(String.join(", ",
                            (List<String>) p.get("models"))))
                    .append("</td><td class=\"n\">").append(p.get("clients")).append("</td></tr>");
        }
        h.append("</table>");

        h.append("<h2>Clients</h2><table><tr><th>client</th><th>plan</th><th>key id</th><th>bucket (tokens / burst)</th>")
                .append("<th>quota used</th><th>model calls</th><th>input tokens</th><th>output tokens</th></tr>");
        for (Object o : (List<Object>) data.get("clients")) {
            Map<String, Object> c = (Map<String, Object>) o;
            boolean enabled = (Boolean) c.get("enabled");
            h.append("<tr").append(enabled ? "" : " class=\"off\"").append("><td>").append(esc(c.get("name")))
                    .append(enabled ? "" : " (disabled)").append("</td><td>").append(esc(c.get("plan")))
                    .append("</td><td><code>").append(esc(c.get("keyId"))).append("</code></td><td>");
            bar(h, (Map<String, Object>) c.get("bucket"), null);
            ((Map<String, Object>) c.get("methodBuckets")).forEach((path, b) -> bar(h, (Map<String, Object>) b, path));
            h.append("</td><td>");
            Map<String, Object> quota = (Map<String, Object>) c.get("quota");
            if (quota == null) {
                h.append("no quota");
            } else {
                long used = ((Number) quota.get("used")).longValue();
                long limit = ((Number) quota.get("limit")).longValue();
                h.append(used >= limit ? "<b class=\"warn\">" : "<span>").append(Text.grouped(used)).append(" / ")
                        .append(Text.grouped(limit)).append(used >= limit ? "</b>" : "</span>")
                        .append(" <span class=\"sub\">resets ").append(esc(quota.get("resetsAt"))).append("</span>");
            }
            Map<String, Object> tokens = (Map<String, Object>) c.get("tokens");
            h.append("</td><td class=\"n\">").append(Text.grouped(((Number) tokens.get("requests")).doubleValue()))
                    .append("</td><td class=\"n\">").append(Text.grouped(((Number) tokens.get("input")).doubleValue()))
                    .append("</td><td class=\"n\">").append(Text.grouped(((Number) tokens.get("output")).doubleValue()))
                    .append("</td></tr>");
        }
        h.append("</table>");

        List<Object> counts = (List<Object>) data.get("refusalCounts");
        h.append("<h2>Refusals so far</h2>");
        if (!counts.isEmpty()) {
            h.append("<table><tr><th>client</th><th>cause</th><th>count</th></tr>");
            for (Object o : counts) {
                Map<String, Object> c = (Map<String, Object>) o;
                h.append("<tr><td>").append(c.get("client") == null ? "<span class=\"off\">no valid key</span>"
                        : esc(c.get("client"))).append("</td><td><code>").append(esc(c.get("cause")))
                        .append("</code></td><td class=\"n\">").append(Text.grouped(((Number) c.get("count")).doubleValue()))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        List<Object> refusals = (List<Object>) data.get("refusals");
        h.append("<h2>Last refusals</h2>");
        if (refusals.isEmpty()) {
            h.append("<div class=\"sub\">none yet</div>");
        } else {
            h.append("<table><tr><th>time (UTC)</th><th>client</th><th>route</th><th>status</th><th>cause</th></tr>");
            for (Object o : refusals) {
                Map<String, Object> r = (Map<String, Object>) o;
                h.append("<tr><td>").append(esc(r.get("at"))).append("</td><td>")
                        .append(r.get("client") == null ? "<span class=\"off\">no valid key</span>" : esc(r.get("client")))
                        .append("</td><td>").append(r.get("route") == null ? "" : esc(r.get("route")))
                        .append("</td><td class=\"n\">").append(r.get("status")).append("</td><td><code>")
                        .append(esc(r.get("cause"))).append("</code></td></tr>");
            }
            h.append("</table>");
        }

        h.append("<h2>Capacity</h2><ul>");
        for (Object line : (List<Object>) data.get("capacity")) {
            String text = (String) line;
            h.append(text.startsWith("WARNING: ") ? "<li class=\"warn\">" : "<li>").append(esc(text)).append("</li>");
        }
        h.append("</ul></body></html>");
        return h.toString();
    }

    private static void bar(StringBuilder h, Map<String, Object> bucket, String path) {
        double tokens = ((Number) bucket.get("tokens")).doubleValue();
        double burst = ((Number) bucket.get("burstLimit")).doubleValue();
        double share = burst <= 0 ? 0 : Math.max(0, Math.min(1, tokens / burst));
        h.append("<div>").append(path == null ? "" : esc(path) + " ").append("<span class=\"bar")
                .append(tokens < 1 ? " low" : "").append("\"><i style=\"width:").append(Math.round(share * 100))
                .append("%\"></i></span>").append(Text.grouped(tokens)).append(" / ").append(Text.grouped(burst))
                .append("</div>");
    }

    /** HTML-escaped text of a value. */
    static String esc(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
