package io.llmgateway.infra;

import com.pulumi.core.Output;
import com.pulumi.resources.Resource;
import io.llmgateway.config.CustomDomain;
import io.llmgateway.config.StackConfig;
import io.llmgateway.config.Throttle;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Inputs of {@link OpenAiRestApi}.
 *
 * @param apiName              the RestApi's name, e.g. {@code llm-gateway-prod}
 * @param definition           routes, authorizer, integrations, gateway responses and access: the OpenAPI document's values
 * @param stage                the stage's name and settings
 * @param manageCloudWatchRole config {@code manageCloudWatchRole} (default true): declare the Region's
 *                             API Gateway account setting and its CloudWatch Logs role
 * @param logRetentionDays     config {@code logRetentionDays} (default 30), for the access and execution logs
 * @param backend              what the integrations call (the backend alias)
 * @param authorizer           the authorizer function
 * @param aws                  partition, Region and DNS suffix for ARNs and URLs
 * @param stageVariables       the stage's variables (the entitlements version); a change updates the
 *                             stage in place and never redeploys the API
 * @param stageAfter           what the stage waits for: the entitlement items its variables announce
 * @param customDomainUrl      config {@code customDomain}: the stage's URL under the custom domain, which
 *                             the URL outputs then use; empty for the {@code execute-api} URL
 */
public record OpenAiRestApiArgs(String apiName, ApiDefinition definition, StageSettings stage, boolean manageCloudWatchRole,
                             int logRetentionDays, InvokeTarget backend, InvokeTarget authorizer, AwsEnvironment aws,
                             Output<Map<String, String>> stageVariables, List<Resource> stageAfter,
                             Optional<String> customDomainUrl) {

    public OpenAiRestApiArgs {
        Objects.requireNonNull(apiName, "apiName");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(authorizer, "authorizer");
        Objects.requireNonNull(aws, "aws");
        Objects.requireNonNull(stageVariables, "stageVariables");
        stageAfter = List.copyOf(stageAfter);
        Objects.requireNonNull(customDomainUrl, "customDomainUrl");
    }

    /**
     * The stage.
     *
     * @param name           config {@code stageName} (default {@code prod}), part of the URL
     * @param throttle       config {@code stageRateLimit}/{@code stageBurstLimit}: the ceiling per method for all clients together
     * @param loggingLevel   config {@code loggingLevel}: OFF, ERROR or INFO execution logging (bodies never)
     * @param metricsEnabled config {@code metricsEnabled}: detailed CloudWatch metrics per method
     * @param tracingEnabled config {@code tracingEnabled}: X-Ray tracing
     */
    public record StageSettings(String name, Throttle throttle, String loggingLevel, boolean metricsEnabled,
                                boolean tracingEnabled) {
        public StageSettings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(throttle, "throttle");
            Objects.requireNonNull(loggingLevel, "loggingLevel");
        }

        public static StageSettings of(StackConfig config) {
            return new StageSettings(config.stageName(), config.api().stageThrottle(), config.logging().level(),
                    config.logging().metricsEnabled(), config.logging().tracingEnabled());
        }
    }

    public static OpenAiRestApiArgs of(StackConfig config, String apiName, InvokeTarget backend, InvokeTarget authorizer,
                                    AwsEnvironment aws, Output<Map<String, String>> stageVariables,
                                    List<Resource> stageAfter) {
        return new OpenAiRestApiArgs(apiName, ApiDefinition.of(config), StageSettings.of(config),
                config.logging().manageCloudWatchRole(), config.logging().retentionDays(), backend, authorizer, aws, stageVariables,
                stageAfter, config.edge().customDomain().map(CustomDomain::url));
    }
}
