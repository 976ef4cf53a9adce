package io.llmgateway.config;

import io.llmgateway.contract.Cors;
import java.util.Objects;
import java.util.Optional;

/**
 * How clients reach the API: each part optional and off by default, so a stack without them is the
 * plain Regional API on its {@code execute-api} URL.
 *
 * @param customDomain config {@code customDomain}
 * @param firewall     config {@code waf}
 * @param cors         config {@code cors}; {@link Cors#NONE} when absent
 * @param privateApi   config {@code privateApi}
 */
public record Edge(Optional<CustomDomain> customDomain, Optional<WebFirewall> firewall, Cors cors,
                   Optional<PrivateApi> privateApi) {

    public static final Edge NONE = new Edge(Optional.empty(), Optional.empty(), Cors.NONE, Optional.empty());

    public Edge {
        Objects.requireNonNull(customDomain, "customDomain");
        Objects.requireNonNull(firewall, "firewall");
        Objects.requireNonNull(cors, "cors");
        Objects.requireNonNull(privateApi, "privateApi");
        if (customDomain.isPresent() && privateApi.isPresent()) {
            throw new IllegalArgumentException("a private API cannot have a regional custom domain");
        }
    }
}
