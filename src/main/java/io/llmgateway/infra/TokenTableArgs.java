package io.llmgateway.infra;

import com.pulumi.core.Output;
import io.llmgateway.common.PlanLimits;
import io.llmgateway.config.Client;
import io.llmgateway.config.StackConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Inputs of {@link TokenTable}.
 *
 * @param tableName           the table's name, e.g. {@code llm-gateway-prod-tokens}
 * @param pointInTimeRecovery config {@code tokenTablePointInTimeRecovery}
 * @param planLimits          per plan, what its keys may use and spend
 * @param planByClient        client name to plan name
 * @param apiKeyIds           client name to API key id (from the ApiKey resources)
 * @param routing             the plans' profiles and guardrails, which the entitlements name
 */
public record TokenTableArgs(String tableName, boolean pointInTimeRecovery, Map<String, PlanLimits> planLimits,
                             Map<String, String> planByClient, Output<Map<String, String>> apiKeyIds,
                             Output<PlanRouting> routing) {

    public TokenTableArgs {
        Objects.requireNonNull(tableName, "tableName");
        planLimits = Map.copyOf(planLimits);
        planByClient = Map.copyOf(planByClient);
        Objects.requireNonNull(apiKeyIds, "apiKeyIds");
        Objects.requireNonNull(routing, "routing");
    }

    public static TokenTableArgs of(StackConfig config, String tableName, Output<Map<String, String>> apiKeyIds,
                                    Output<PlanRouting> routing) {
        Map<String, String> planByClient = new LinkedHashMap<>();
        for (Client client : config.clients().values()) {
            planByClient.put(client.name(), client.plan());
        }
        return new TokenTableArgs(tableName, config.tokenStore().pointInTimeRecovery(), config.planLimits(),
                planByClient, apiKeyIds, routing);
    }
}
