package io.llmgateway.config;

import java.util.List;

/**
 * config {@code privateApi}: a PRIVATE REST API, reachable only through these interface VPC endpoints
 * for {@code execute-api}; its resource policy admits requests through them alone.
 *
 * @param vpcEndpointIds {@code vpce-...} ids, at least one
 */
public record PrivateApi(List<String> vpcEndpointIds) {

    public PrivateApi {
        vpcEndpointIds = List.copyOf(vpcEndpointIds);
        if (vpcEndpointIds.isEmpty()) {
            throw new IllegalArgumentException("a private API needs at least one VPC endpoint");
        }
    }
}
