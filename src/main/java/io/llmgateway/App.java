package io.llmgateway;

import com.pulumi.Context;
import com.pulumi.Pulumi;
import com.pulumi.core.Output;
import io.llmgateway.common.EntitlementItems;
import io.llmgateway.config.ConfigLoader;
import io.llmgateway.config.Edge;
import io.llmgateway.config.StackConfig;
import io.llmgateway.contract.Route;
import io.llmgateway.infra.AuthorizerFunction;
import io.llmgateway.infra.AuthorizerFunctionArgs;
import io.llmgateway.infra.AwsEnvironment;
import io.llmgateway.infra.BackendFunction;
import io.llmgateway.infra.BackendFunctionArgs;
import io.llmgateway.infra.CustomDomainName;
import io.llmgateway.infra.Firewall;
import io.llmgateway.infra.LambdaArchive;
import io.llmgateway.infra.Observability;
import io.llmgateway.infra.ObservabilityArgs;
import io.llmgateway.infra.OpenAiRestApi;
import io.llmgateway.infra.OpenAiRestApiArgs;
import io.llmgateway.infra.PlanInference;
import io.llmgateway.infra.PlanRouting;
import io.llmgateway.infra.PulumiStackConfig;
import io.llmgateway.infra.ResponsesTable;
import io.llmgateway.infra.TokenTable;
import io.llmgateway.infra.TokenTableArgs;
import io.llmgateway.infra.UsagePlans;
import io.llmgateway.infra.UsagePlansArgs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The Pulumi program: reads the stack config once, then declares the components. */
public final class App {

    private App() {
    }

    public static void main(String[] args) {
        Pulumi.run(App::stack);
    }

    /** What {@code pulumi up} runs: the config keys come from the engine's environment. */
    public static void stack(Context ctx) {
        PulumiStackConfig.Keys keys = PulumiStackConfig.Keys.fromEnvironment(System.getenv());
        stack(ctx, keys.present(), keys.secret());
    }

    /**
     * @param configKeys this project's top-level keys that the stack sets, without the namespace
     * @param secretKeys those of them Pulumi holds as secrets
     */
    public static void stack(Context ctx, Set<String> configKeys, Set<String> secretKeys) {
        stack(ctx, configKeys, secretKeys, LambdaArchive.backend(), LambdaArchive.authorizer());
    }

    public static void stack(Context ctx, Set<String> configKeys, Set<String> secretKeys,
                             LambdaArchive backendCode, LambdaArchive authorizerCode) {
        // Everything that can be wrong is checked before the first resource is declared.
        ConfigLoader.Result loaded = PulumiStackConfig.load(ctx.config(), ctx.config("aws"),
                new PulumiStackConfig.Keys(configKeys, secretKeys), ctx.stackName());
        report(ctx, loaded);
        backendCode.verify();
        authorizerCode.verify();
        Declared stack = declare(loaded.config(), ConfigLoader.NAMESPACE + "-" + ctx.stackName(), ctx.stackName(),
                backendCode, authorizerCode);
        export(ctx, stack, loaded);
    }

    /** The config's warnings and the capacity report, printed at every preview. */
    private static void report(Context ctx, ConfigLoader.Result loaded) {
        loaded.warnings().forEach(warning -> ctx.log().warn(warning));
        loaded.capacity().lines().forEach(line -> {
            if (line.warning()) {
                ctx.log().warn(line.text());
            } else {
                ctx.log().info(line.text());
            }
        });
    }

    /** The components a stack declares; the optional ones only with their config. */
    private record Declared(StackConfig config, UsagePlans plans, TokenTable tokens, BackendFunction backend,
                            OpenAiRestApi api, Optional<CustomDomainName> domain, Optional<Firewall> firewall,
                            Observability monitoring) {
    }

    private static Declared declare(StackConfig config, String prefix, String stackName, LambdaArchive backendCode,
                                    LambdaArchive authorizerCode) {
        AwsEnvironment aws = AwsEnvironment.current();
        // Keys first: their ids go into the entitlements, which the stage and each key's plan membership wait for.
        UsagePlans.Keys keys = UsagePlans.keys("plans", new UsagePlansArgs(prefix, config.plans().values(),
                config.clients().values()), null);
        // Only a stack whose plans ask for profiles or guardrails declares them.
        PlanInference.Args planInference = new PlanInference.Args(prefix, stackName, config.models(),
                List.copyOf(config.plans().values()), aws);
        Output<PlanRouting> routing = planInference.needed()
                ? new PlanInference("plan-inference", planInference, null).routing() : Output.of(PlanRouting.NONE);
        String tokenTableName = prefix + "-tokens";
        TokenTable tokens = new TokenTable("tokens", TokenTableArgs.of(config, tokenTableName, keys.apiKeyIds(), routing),
                null);
        // Only a stack that stores responses declares their table.
        Optional<ResponsesTable> responses = config.responseStoreSettings(tokenTableName)
                .map(settings -> new ResponsesTable("responses", settings.tableName(), null));
        BackendFunction backend = new BackendFunction("backend", BackendFunctionArgs.of(config, backendCode, aws,
                tokenTableName, tokens.tableArn(), routing, responses.map(ResponsesTable::tableArn)), null);
        AuthorizerFunction authorizer = new AuthorizerFunction("authorizer",
                new AuthorizerFunctionArgs(authorizerCode, config.logging().retentionDays()), null);
        OpenAiRestApi api = new OpenAiRestApi("api",
                OpenAiRestApiArgs.of(config, prefix, backend.invokeTarget(), authorizer.invokeTarget(), aws,
                        tokens.entitlementsVersion().applyValue(v -> Map.of(EntitlementItems.STAGE_VARIABLE, v)),
                        tokens.entitlementItems()), null);
        UsagePlans plans = keys.onStage(new UsagePlans.Stage(api.restApiId(), api.stageName(),
                tokens.entitlementItems()));
        Edge edge = config.edge();
        Optional<CustomDomainName> domain = edge.customDomain().map(d -> new CustomDomainName("domain",
                new CustomDomainName.Args(d, api.restApiId(), api.stageName()), null));
        Optional<Firewall> firewall = edge.firewall().map(f -> new Firewall("waf",
                new Firewall.Args(f, prefix, edge.cors(), config.logging().retentionDays(), api.stageArn()), null));
        Observability monitoring = new Observability("monitoring",
                ObservabilityArgs.of(config, prefix, stackName, api, backend, authorizer, aws), null);
        return new Declared(config, plans, tokens, backend, api, domain, firewall, monitoring);
    }

    private static void export(Context ctx, Declared stack, ConfigLoader.Result loaded) {
        OpenAiRestApi api = stack.api();
        ctx.export("baseUrl", api.baseUrl());
        ctx.export("chatCompletionsUrl", api.url(Route.CHAT_COMPLETIONS));
        ctx.export("modelsUrl", api.url(Route.MODELS));
        ctx.export("apiId", api.restApiId());
        ctx.export("stageName", api.stageName());
        ctx.export("apiKeyIds", stack.plans().apiKeyIds());
        ctx.export("usagePlanIds", stack.plans().usagePlanIds());
        ctx.export("apiKeys", stack.plans().apiKeyValues());
        ctx.export("backendFunctionName", stack.backend().functionName());
        ctx.export("accessLogGroupName", api.accessLogGroupName());
        ctx.export("tokenTableName", stack.tokens().tableName());
        ctx.export("entitlementsVersion", stack.tokens().entitlementsVersion());
        ctx.export("capacityReport", Output.of(loaded.capacity().text()));
        ctx.export("dashboardUrl", stack.monitoring().dashboardUrl());
        ctx.export("alarmTopicArn", stack.monitoring().alarmTopicArn());
        // Only with the options that create them, so a stack without them keeps its outputs.
        Edge edge = stack.config().edge();
        stack.domain().ifPresent(d -> ctx.export("customDomainTarget", d.regionalDomainName()));
        edge.customDomain().filter(d -> !d.disableExecuteApiEndpoint())
                .ifPresent(d -> ctx.export("executeApiUrl", api.executeApiUrl()));
        stack.firewall().ifPresent(f -> {
            ctx.export("webAclArn", f.webAclArn());
            f.logGroupName().ifPresent(name -> ctx.export("wafLogGroupName", name));
        });
        edge.privateApi().ifPresent(p -> ctx.export("privateBaseUrls", api.privateBaseUrls(p.vpcEndpointIds())));
    }
}
