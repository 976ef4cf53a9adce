package io.llmgateway.infra;

import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.cloudwatch.LogGroupArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicy;
import com.pulumi.aws.iam.RolePolicyArgs;
import com.pulumi.aws.lambda.Function;
import com.pulumi.aws.lambda.FunctionArgs;
import com.pulumi.aws.lambda.inputs.FunctionEnvironmentArgs;
import com.pulumi.aws.lambda.inputs.FunctionLoggingConfigArgs;
import com.pulumi.aws.lambda.inputs.FunctionSnapStartArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts every Java function of the stack has, declared in one place: its own log group with a
 * retention, a role that may write only to that group (plus any extra policies), and a java21
 * function on arm64 with the cold-start JVM flags.
 */
final class JavaLambda {

    static final String RUNTIME = "java21";
    static final String ARCHITECTURE = "arm64";
    static final String JAVA_TOOL_OPTIONS_VARIABLE = "JAVA_TOOL_OPTIONS";
    /** C1 only: much faster start for short-lived request handlers (Lambda Java cold-start guidance). */
    static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    static final String LAMBDA_SERVICE = "lambda.amazonaws.com";

    /**
     * @param code               the zip, already {@link LambdaArchive#verify() verified}
     * @param handler            {@code package.Class::method}
     * @param description        shown in the console
     * @param memoryMb           128-10240
     * @param timeoutSeconds     the function timeout
     * @param reservedConcurrency -1 for unreserved
     * @param environment        variables besides {@value #JAVA_TOOL_OPTIONS_VARIABLE}
     * @param logRetentionDays   retention of the function's log group
     * @param snapStart          publish versions with SnapStart on them
     * @param extraPolicies      more inline policies for the role, by a kebab-case suffix
     */
    record Spec(LambdaArchive code, String handler, String description, int memoryMb, int timeoutSeconds,
                int reservedConcurrency, Map<String, String> environment, int logRetentionDays, boolean snapStart,
                Map<String, Output<String>> extraPolicies) {
    }

    record Parts(LogGroup logGroup, Role role, List<RolePolicy> policies, Function function) {
    }

    private JavaLambda() {
    }

    static Parts declare(String name, Spec spec, Resource parent) {
        CustomResourceOptions child = CustomResourceOptions.builder().parent(parent).build();
        LogGroup logGroup = new LogGroup(Names.child(name, "logs"), LogGroupArgs.builder()
                .retentionInDays(spec.logRetentionDays())
                .build(), child);
        Role role = new Role(Names.child(name, "role"), RoleArgs.builder()
                .description(spec.description())
                .assumeRolePolicy(IamPolicies.assumeRole(LAMBDA_SERVICE))
                .build(), child);
        List<RolePolicy> policies = new ArrayList<>();
        policies.add(new RolePolicy(Names.child(name, "logs-policy"), RolePolicyArgs.builder()
                .role(role.id())
                .policy(logGroup.arn().applyValue(IamPolicies::writeLogs))
                .build(), child));
        spec.extraPolicies().forEach((suffix, document) -> policies.add(new RolePolicy(
                Names.child(name, suffix + "-policy"), RolePolicyArgs.builder()
                .role(role.id())
                .policy(document)
                .build(), child)));

        Map<String, String> environment = new LinkedHashMap<>(spec.environment());
        environment.put(JAVA_TOOL_OPTIONS_VARIABLE, JAVA_TOOL_OPTIONS);
        FunctionArgs.Builder function = FunctionArgs.builder()
                .description(spec.description())
                .runtime(RUNTIME)
                .architectures(ARCHITECTURE)
                .handler(spec.handler())
                .code(spec.code().fileArchive())
                .role(role.arn())
                .memorySize(spec.memoryMb())
                .timeout(spec.timeoutSeconds())
                .reservedConcurrentExecutions(spec.reservedConcurrency())
                .environment(FunctionEnvironmentArgs.builder().variables(environment).build())
                // The function logs to the group above (created first, with a retention) instead of
                // an implicit /aws/lambda/<name> group that would keep logs forever.
                .loggingConfig(FunctionLoggingConfigArgs.builder()
                        .logFormat("Text")
                        .logGroup(logGroup.name())
                        .build());
        if (spec.snapStart()) {
            // SnapStart snapshots only published versions, so every code change publishes one.
            function.publish(true)
                    .snapStart(FunctionSnapStartArgs.builder().applyOn("PublishedVersions").build());
        }
        // The role's policies must exist before the first (SnapStart) initialisation logs or calls out.
        Function created = new Function(Names.child(name, "function"), function.build(),
                CustomResourceOptions.builder().parent(parent).dependsOn(List.copyOf(policies)).build());
        return new Parts(logGroup, role, List.copyOf(policies), created);
    }
}
