package io.llmgateway.infra;

import com.pulumi.aws.lambda.Function;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import java.util.Map;
import java.util.Optional;

/**
 * The Bearer-key Lambda authorizer: reads {@code Authorization: Bearer <key>} (or {@code x-api-key})
 * and returns the key as {@code usageIdentifierKey}, so API Gateway meters the request against the
 * key's usage plan. It needs no AWS API, so its role may only write its own logs.
 *
 * <p>Children: {@code <name>-logs}, {@code <name>-role}, {@code <name>-logs-policy}, {@code <name>-function}.
 */
public final class AuthorizerFunction extends ComponentResource {

    public static final String TYPE = "llm-gateway:infra:AuthorizerFunction";
    static final String HANDLER = "io.llmgateway.backend.authorizer.ApiKeyAuthorizer::handleRequest";
    static final int MEMORY_MB = 512;
    /** A key check answers in milliseconds; 5 s only bounds a stuck call. */
    static final int TIMEOUT_SECONDS = 5;

    private final Function function;
    private final Output<String> logGroupName;

    public AuthorizerFunction(String name, AuthorizerFunctionArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        JavaLambda.Parts parts = JavaLambda.of(args.code(), HANDLER)
                .description("API-key authorizer: Bearer keys to API Gateway usage-plan keys")
                .memoryMb(MEMORY_MB)
                .timeoutSeconds(TIMEOUT_SECONDS)
                .logRetentionDays(args.logRetentionDays())
                .declare(name, this);
        this.function = parts.function();
        this.logGroupName = parts.logGroup().name();
        registerOutputs(Map.of(
                "functionName", function.name(),
                "logGroupName", parts.logGroup().name()));
    }

    public Output<String> functionName() {
        return function.name();
    }

    public Output<String> logGroupName() {
        return logGroupName;
    }

    /** The unqualified function: API Gateway calls it as the authorizer URI. */
    public InvokeTarget invokeTarget() {
        return new InvokeTarget(function.name(), Optional.empty(), function.arn(), function.invokeArn());
    }
}
