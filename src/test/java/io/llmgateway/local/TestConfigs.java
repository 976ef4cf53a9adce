package io.llmgateway.local;

import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.StackConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Small stack configs for local-gateway tests, written as the maps a stack file holds. */
final class TestConfigs {
    private TestConfigs() {
    }

    static Map<String, Object> throttle(double rate, int burst) {
        return Map.of("rateLimit", rate, "burstLimit", burst);
    }

    static Map<String, Object> quota(int limit, String period, int offset) {
        return Map.of("limit", limit, "period", period, "offset", offset);
    }

    /**
     * One model, the given plans, and one enabled client per plan named after it, plus a disabled one.
     * Streaming is off unless {@code extra} turns it on: these configs serve the tests of API Gateway's
     * buffered integration (its 29 s timeout on the gateway's clock, a function's answer at once); the
     * streaming integration has tests of its own (StreamingAcceptanceTest, LocalGatewayStreamingTest).
     */
    static StackConfig config(Map<String, Object> plans, Map<String, Object> extra) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("stageName", "test");
        values.put("stageRateLimit", "10000");
        values.put("stageBurstLimit", "5000");
        values.put("models", Map.of("echo", "amazon.nova-micro-v1:0"));
        values.put("plans", plans);
        Map<String, Object> clients = new LinkedHashMap<>();
        plans.keySet().forEach(plan -> clients.put(plan + "-client", Map.of("plan", plan)));
        clients.put("disabled-client", Map.of("plan", plans.keySet().iterator().next(), "enabled", false));
        values.put("clients", clients);
        values.put("streaming", Map.of("enabled", false));
        values.putAll(extra);
        return ConfigLoader.load(values, Set.of()).config();
    }

    static StackConfig onePlan(Map<String, Object> plan) {
        return config(Map.of("p", plan), Map.of());
    }
}
