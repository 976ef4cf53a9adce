package io.llmgateway.backend.internal;

import io.llmgateway.backend.metering.Metering;
import io.llmgateway.common.GuardrailPolicy;
import io.llmgateway.common.Json;
import io.llmgateway.common.Usage;
import io.llmgateway.contract.BackendLog;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one structured log line of a request. It holds ids, the route, the model alias, the outcome and
 * token counts: never the API key, the prompt or the completion. The fields operators' tools read are
 * named in {@link BackendLog}; the line also carries the request's metrics ({@link EmbeddedMetrics}).
 */
public final class RequestLog {

    /** Bedrock's error code (or the exception's simple name) when the model call failed. */
    static final String UPSTREAM_ERROR = "upstreamError";

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public RequestLog() {
        fields.put(BackendLog.REQUEST_ID, null);
        fields.put(BackendLog.API_KEY_ID, null);
        fields.put("route", null);
        fields.put(BackendLog.MODEL, null);
        fields.put(BackendLog.PLAN, null);
        fields.put(BackendLog.STATUS, null);
        fields.put(BackendLog.LATENCY_MS, null);
        fields.put(BackendLog.INPUT_TOKENS, null);
        fields.put(BackendLog.OUTPUT_TOKENS, null);
        fields.put("stream", null);
        fields.put(BackendLog.ERROR_CODE, null);
    }

    public RequestLog put(String field, Object value) {
        fields.put(field, value);
        return this;
    }

    /** What Bedrock counted for an answered call, and their sum (what a Contributor Insights rule ranks keys by). */
    public RequestLog tokens(int input, int output) {
        return put(BackendLog.INPUT_TOKENS, input).put(BackendLog.OUTPUT_TOKENS, output)
                .put(BackendLog.TOTAL_TOKENS, input + output);
    }

    /**
     * What Bedrock counted for an answered call, with the prompt cache's reads and writes apart: the
     * input is all of it ({@code prompt_tokens}), so the total is what a Contributor Insights rule ranks
     * keys by, cached or not.
     */
    public RequestLog tokens(Usage usage) {
        tokens(usage.promptTokens(), usage.output());
        if (usage.cacheRead() > 0 || usage.cacheWrites() > 0) {
            put(BackendLog.CACHE_READ_TOKENS, usage.cacheRead()).put(BackendLog.CACHE_WRITE_TOKENS, usage.cacheWrites());
        }
        return this;
    }

    /**
     * What the plan's guardrail did: {@code guardrail} intervened or passed, the policies that acted, the
     * one an intervention's metric counts under, and the text units billed. Never what matched.
     */
    public RequestLog guardrail(GuardrailOutcome outcome) {
        put(BackendLog.GUARDRAIL, outcome.intervened() ? BackendLog.GUARDRAIL_INTERVENED : BackendLog.GUARDRAIL_PASSED);
        if (outcome.intervened()) {
            put(BackendLog.GUARDRAIL_POLICIES, outcome.acted().stream().sorted().map(GuardrailPolicy::configName).toList());
            put(BackendLog.GUARDRAIL_POLICY, outcome.metricPolicy());
        }
        return put(BackendLog.GUARDRAIL_UNITS, outcome.totalUnits());
    }

    /** The caller's entitlement, with its plan noted on the line (the metrics' plan dimension). */
    Metering.Entitlement entitled(Metering.Entitlement entitlement) {
        fields.put(BackendLog.PLAN, entitlement.plan().orElse(null));
        return entitlement;
    }

    public Object get(String field) {
        return fields.get(field);
    }

    public String toJson() {
        return Json.write(fields);
    }
}
