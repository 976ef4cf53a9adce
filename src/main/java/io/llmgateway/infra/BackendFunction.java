package io.llmgateway.infra;

import com.pulumi.aws.lambda.Alias;
import com.pulumi.aws.lambda.AliasArgs;
import com.pulumi.aws.lambda.Function;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import io.llmgateway.common.BedrockModelId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The chat-completions and models Lambda: a java21 arm64 function with SnapStart on published
 * versions, an alias API Gateway calls, its log group, and a role that may write to that group,
 * invoke only the configured Bedrock models (or the plans' own inference profiles of them) and apply only the
 * plans' guardrails, and read and update only the token table.
 *
 * <p>Children: {@code <name>-logs}, {@code <name>-role}, {@code <name>-logs-policy},
 * {@code <name>-bedrock-policy}, {@code <name>-tokens-policy}, {@code <name>-function}, {@code <name>-alias}.
 */
public final class BackendFunction extends ComponentResource {

    public static final String TYPE = "llm-gateway:infra:BackendFunction";
    static final String HANDLER = "io.llmgateway.backend.BackendHandler::handleRequest";
    /**
     * With SnapStart, API Gateway must call a published version; the alias follows the latest one,
     * so a code change never needs a new API deployment.
     */
    static final String ALIAS_NAME = "live";
    /** The variable that makes Lambda start the runtime through a wrapper script. */
    static final String EXEC_WRAPPER_VARIABLE = "AWS_LAMBDA_EXEC_WRAPPER";
    /**
     * The backend zip's wrapper script (src/main/lambda/llm-gateway-runtime, packed at the zip's root
     * by src/assembly/backend.xml; Lambda unpacks the zip in /var/task). It starts this project's
     * runtime client, which can answer in Lambda's streaming response mode, on the managed runtime's JVM
     * with the same options ("Wrapper scripts are supported on all native Lambda runtimes", Lambda
     * developer guide, "Modifying the runtime environment",
     * https://docs.aws.amazon.com/lambda/latest/dg/runtimes-modify.html). That SnapStart still applies
     * with it is not stated by AWS; docs/streaming.md says what to check on a deployment.
     */
    static final String RUNTIME_WRAPPER = "/var/task/llm-gateway-runtime";

    private final Function function;
    private final Alias alias;
    private final Output<String> logGroupName;

    public BackendFunction(String name, BackendFunctionArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        List<BedrockModelId> models = args.directModels();
        AwsEnvironment aws = args.aws();
        Output<String> bedrockPolicy = Output.tuple(aws.partition(), aws.region(), aws.accountId(), args.routing())
                .applyValue(t -> IamPolicies.invokeModels(models, t.t1, t.t2, t.t3, t.t4.grants(), t.t4.guardrailArns()));

        JavaLambda lambda = JavaLambda.of(args.code(), HANDLER)
                .description("OpenAI-compatible chat completions and models on Amazon Bedrock")
                .memoryMb(args.memoryMb())
                .timeoutSeconds(args.timeoutSeconds())
                .reservedConcurrency(args.reservedConcurrency())
                .environment(args.settings().toEnvironment())
                .environment(args.tokenStore().toEnvironment())
                .environment(args.streamingRuntime() ? Map.of(EXEC_WRAPPER_VARIABLE, RUNTIME_WRAPPER) : Map.of())
                .logRetentionDays(args.logRetentionDays())
                .snapStartOnPublishedVersions()
                .extraPolicy("bedrock", bedrockPolicy)
                .extraPolicy("tokens", args.tokenTableArn().applyValue(IamPolicies::useTokenTable));
        args.storedResponses().ifPresent(stored -> lambda
                .environment(stored.settings().toEnvironment())
                .extraPolicy("responses", stored.tableArn().applyValue(IamPolicies::useResponsesTable)));
        JavaLambda.Parts parts = lambda.declare(name, this);
        this.function = parts.function();
        this.logGroupName = parts.logGroup().name();
        this.alias = new Alias(Names.child(name, "alias"), AliasArgs.builder()
                .name(ALIAS_NAME)
                .description("The latest published version; what API Gateway invokes")
                .functionName(function.name())
                .functionVersion(function.version())
                .build(), CustomResourceOptions.builder().parent(this).build());

        registerOutputs(Map.of(
                "functionName", function.name(),
                "aliasArn", alias.arn(),
                "logGroupName", parts.logGroup().name()));
    }

    public Output<String> functionName() {
        return function.name();
    }

    /** Where the function logs: its request lines, with their embedded metrics. */
    public Output<String> logGroupName() {
        return logGroupName;
    }

    /** The alias: API Gateway invokes it, and the permission carries it as qualifier. */
    public InvokeTarget invokeTarget() {
        return new InvokeTarget(function.name(), Optional.of(alias.name()), alias.arn(), alias.invokeArn());
    }
}
