package io.llmgateway.infra;

import com.pulumi.aws.apigateway.BasePathMapping;
import com.pulumi.aws.apigateway.BasePathMappingArgs;
import com.pulumi.aws.apigateway.DomainName;
import com.pulumi.aws.apigateway.DomainNameArgs;
import com.pulumi.aws.apigateway.inputs.DomainNameEndpointConfigurationArgs;
import com.pulumi.aws.route53.Record;
import com.pulumi.aws.route53.RecordArgs;
import com.pulumi.aws.route53.inputs.RecordAliasArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import io.llmgateway.config.CustomDomain;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The API under the operator's host name (config {@code customDomain}): a REGIONAL API Gateway custom
 * domain name with a TLS 1.2 security policy and the ACM certificate, a base path mapping to the stage
 * and, given a Route 53 hosted zone, the alias record that points the name at the domain's Regional
 * endpoint. Without a zone the operator creates that record (output {@code customDomainTarget}).
 *
 * <p>Children: {@code <name>-domain}, {@code <name>-mapping}, {@code <name>-record}.
 */
public final class CustomDomainName extends ComponentResource {

    public static final String TYPE = "llm-gateway:infra:CustomDomainName";
    static final String ENDPOINT_TYPE = "REGIONAL";
    /** TLS 1.2 as the minimum (API Gateway developer guide, "Choose a security policy for your custom domain"). */
    static final String SECURITY_POLICY = "TLS_1_2";

    /**
     * @param domain    the validated config
     * @param restApiId the API
     * @param stageName the stage's name as the provider reports it, so the mapping waits for the stage
     */
    public record Args(CustomDomain domain, Output<String> restApiId, Output<String> stageName) {
        public Args {
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(restApiId, "restApiId");
            Objects.requireNonNull(stageName, "stageName");
        }
    }

    private final DomainName domainName;

    public CustomDomainName(String name, Args args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        CustomResourceOptions child = CustomResourceOptions.builder().parent(this).build();
        CustomDomain config = args.domain();
        this.domainName = new DomainName(Names.child(name, "domain"), DomainNameArgs.builder()
                .domainName(config.domainName())
                .regionalCertificateArn(config.certificateArn())
                .endpointConfiguration(DomainNameEndpointConfigurationArgs.builder().types(ENDPOINT_TYPE).build())
                .securityPolicy(SECURITY_POLICY)
                .build(), child);
        BasePathMappingArgs.Builder mapping = BasePathMappingArgs.builder()
                .domainName(domainName.domainName())
                .restApi(args.restApiId())
                .stageName(args.stageName());
        if (!config.basePath().isEmpty()) {
            mapping.basePath(config.basePath());
        }
        new BasePathMapping(Names.child(name, "mapping"), mapping.build(), child);
        config.hostedZoneId().ifPresent(zone -> new Record(Names.child(name, "record"), RecordArgs.builder()
                .zoneId(zone)
                .name(domainName.domainName())
                .type("A")
                .aliases(RecordAliasArgs.builder()
                        .name(domainName.regionalDomainName())
                        .zoneId(domainName.regionalZoneId())
                        .evaluateTargetHealth(true)
                        .build())
                .build(), child));
        Map<String, Output<?>> outputs = new LinkedHashMap<>();
        outputs.put("domainName", domainName.domainName());
        outputs.put("regionalDomainName", domainName.regionalDomainName());
        registerOutputs(outputs);
    }

    /** The domain's Regional endpoint, the target of the alias (or of a CNAME the operator creates). */
    public Output<String> regionalDomainName() {
        return domainName.regionalDomainName();
    }
}
