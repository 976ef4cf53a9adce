package io.llmgateway.config;

import java.util.Objects;
import java.util.Optional;

/**
 * config {@code customDomain}: the API under a host name of the operator's, as a REGIONAL API Gateway
 * custom domain name with a base path mapping to the stage.
 *
 * @param domainName                the host name, lower case, e.g. {@code llm.example.com}
 * @param certificateArn            an ACM certificate for it in the stack's Region
 * @param basePath                  the path under the domain the API answers at, without slashes
 *                                  ({@code llm}, {@code team/llm}), or empty for the domain's root
 * @param hostedZoneId              a Route 53 hosted zone to write the alias record into, if any
 * @param disableExecuteApiEndpoint turn the API's {@code execute-api} URL off, so clients use the domain
 */
public record CustomDomain(String domainName, String certificateArn, String basePath, Optional<String> hostedZoneId,
                           boolean disableExecuteApiEndpoint) {

    public CustomDomain {
        Objects.requireNonNull(domainName, "domainName");
        Objects.requireNonNull(certificateArn, "certificateArn");
        Objects.requireNonNull(basePath, "basePath");
        Objects.requireNonNull(hostedZoneId, "hostedZoneId");
    }

    /** {@code https://llm.example.com} or {@code https://llm.example.com/team/llm}: the stage's URL under the domain. */
    public String url() {
        return "https://" + domainName + (basePath.isEmpty() ? "" : "/" + basePath);
    }
}
