package io.llmgateway.infra;

import com.pulumi.core.Output;
import io.llmgateway.config.Client;
import io.llmgateway.config.Plan;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Inputs of {@link UsagePlans}.
 *
 * @param namePrefix physical-name prefix of plans and keys, e.g. {@code llm-gateway-prod}
 * @param plans      config {@code plans}: throttle (always rate and burst), optional quota, per-method throttles
 * @param clients    config {@code clients}: one key each, on exactly one plan
 * @param restApiId  the API the plans meter
 * @param stageName  the stage's name output, never a literal, so plans are created after the stage
 */
public record UsagePlansArgs(String namePrefix, List<Plan> plans, List<Client> clients, Output<String> restApiId,
                             Output<String> stageName) {

    public UsagePlansArgs(String namePrefix, Collection<Plan> plans, Collection<Client> clients,
                          Output<String> restApiId, Output<String> stageName) {
        this(namePrefix, List.copyOf(plans), List.copyOf(clients), restApiId, stageName);
    }

    public UsagePlansArgs {
        Objects.requireNonNull(namePrefix, "namePrefix");
        plans = List.copyOf(plans);
        clients = List.copyOf(clients);
        Objects.requireNonNull(restApiId, "restApiId");
        Objects.requireNonNull(stageName, "stageName");
    }
}
