package io.llmgateway.infra;

import com.pulumi.core.Output;
import java.util.Objects;
import java.util.Optional;

/**
 * What API Gateway calls: a function (by name, for {@code aws.lambda.Permission}), an optional
 * qualifier (an alias), the ARN of what is called (the alias's or the function's), and the invoke
 * ARN for the integration or authorizer URI.
 */
public record InvokeTarget(Output<String> functionName, Optional<Output<String>> qualifier, Output<String> arn,
                           Output<String> invokeArn) {
    public InvokeTarget {
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(qualifier, "qualifier");
        Objects.requireNonNull(arn, "arn");
        Objects.requireNonNull(invokeArn, "invokeArn");
    }
}
