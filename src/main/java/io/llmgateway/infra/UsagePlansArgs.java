package io.llmgateway.infra;

import io.llmgateway.config.Client;
import io.llmgateway.config.Plan;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Inputs of {@link UsagePlans}; the stage comes later, to {@link UsagePlans.Keys#onStage}.
 *
 * @param namePrefix physical-name prefix of plans and keys, e.g. {@code llm-gateway-prod}
 * @param plans      config {@code plans}: throttle (always rate and burst), optional quota, per-method throttles
 * @param clients    config {@code clients}: one key each, on exactly one plan
 */
public record UsagePlansArgs(String namePrefix, List<Plan> plans, List<Client> clients) {

    public UsagePlansArgs(String namePrefix, Collection<Plan> plans, Collection<Client> clients) {
        this(namePrefix, List.copyOf(plans), List.copyOf(clients));
    }

    public UsagePlansArgs {
        Objects.requireNonNull(namePrefix, "namePrefix");
        plans = List.copyOf(plans);
        clients = List.copyOf(clients);
    }
}
