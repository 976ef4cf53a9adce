package io.llmgateway.infra;

import com.pulumi.core.Output;
import io.llmgateway.config.Alarms;
import io.llmgateway.config.StackConfig;
import io.llmgateway.config.Plan;
import java.util.List;
import java.util.Objects;

/**
 * Inputs of {@link Observability}: what to watch, by name, and the config's alarm settings.
 *
 * @param prefix                 {@code llm-gateway-<stack>}: the names of alarms, rules, topic and dashboard start with it
 * @param stackName              the stack, for the dashboard's header
 * @param stageName              config {@code stageName}: the dashboard is named and marked with it
 * @param alarms                 config {@code alarms}
 * @param models                 the configured model aliases (the dashboard's lines per model)
 * @param plans                  the configured plans (its lines per plan)
 * @param integrationTimeoutMs   config {@code integrationTimeoutMs}, drawn on the latency graph
 * @param reservedConcurrency    config {@code reservedConcurrency}, drawn on the concurrency graph when set
 * @param api                    the REST API's id, name, stage and access-log group
 * @param backend                the backend function's name and log group
 * @param authorizer             the authorizer function's name and log group
 * @param aws                    partition and Region, for the console URL
 */
public record ObservabilityArgs(String prefix, String stackName, String stageName, Alarms alarms, List<String> models,
                                List<String> plans, int integrationTimeoutMs, int reservedConcurrency, Api api,
                                Function backend, Function authorizer, AwsEnvironment aws) {

    /** The API as its metrics and logs name it. */
    public record Api(Output<String> id, Output<String> name, Output<String> stage, Output<String> accessLogGroupName) {
    }

    /** A function as its metrics and logs name it. */
    public record Function(Output<String> name, Output<String> logGroupName) {
    }

    public ObservabilityArgs {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(alarms, "alarms");
        models = List.copyOf(models);
        plans = List.copyOf(plans);
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(authorizer, "authorizer");
        Objects.requireNonNull(aws, "aws");
    }

    public static ObservabilityArgs of(StackConfig config, String prefix, String stackName, OpenAiRestApi api,
                                       BackendFunction backend, AuthorizerFunction authorizer, AwsEnvironment aws) {
        return new ObservabilityArgs(prefix, stackName, config.stageName(), config.alarms(),
                List.copyOf(config.models().keySet()), config.plans().values().stream().map(Plan::name).toList(),
                config.api().integrationTimeoutMs(), config.lambda().reservedConcurrency(),
                new Api(api.restApiId(), api.restApiName(), api.stageName(), api.accessLogGroupName()),
                new Function(backend.functionName(), backend.logGroupName()),
                new Function(authorizer.functionName(), authorizer.logGroupName()), aws);
    }
}
