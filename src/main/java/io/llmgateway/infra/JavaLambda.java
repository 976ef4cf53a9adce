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
import java.util.Objects;

/**
 * The parts every Java function of the stack has, declared in one place: its own log group with a
 * retention, a role that may write only to that group (plus any extra policies), and a java21
 * function on arm64 with the cold-start JVM flags.
 *
 * <p>Read at the call site as a description:
 * <pre>
 * JavaLambda.of(code, HANDLER)
 *         .description("...")
 *         .memoryMb(512)
 *         .timeoutSeconds(5)
 *         .logRetentionDays(30)
 *         .declare(name, this);
 * </pre>
 * Description, memory, timeout and log retention are required; reserved concurrency (unreserved),
 * environment (none), SnapStart (off) and extra policies (none) have defaults.
 */
final class JavaLambda {

    static final String RUNTIME = "java21";
    static final String ARCHITECTURE = "arm64";
    static final String JAVA_TOOL_OPTIONS_VARIABLE = "JAVA_TOOL_OPTIONS";
    /** C1 only: much faster start for short-lived request handlers (Lambda Java cold-start guidance). */
    static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";
    static final String LAMBDA_SERVICE = "lambda.amazonaws.com";
    /** Lambda's value for "no reserved concurrency": the function uses the account's unreserved pool. */
    static final int UNRESERVED = -1;

    /** What a component keeps of the declared parts. */
    record Parts(LogGroup logGroup, Function function) {
    }

    private final LambdaArchive code;
    private final String handler;
    private String description;
    private Integer memoryMb;
    private Integer timeoutSeconds;
    private Integer logRetentionDays;
    private int reservedConcurrency = UNRESERVED;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private boolean snapStart;
    private final Map<String, Output<String>> extraPolicies = new LinkedHashMap<>();

    private JavaLambda(LambdaArchive code, String handler) {
        this.code = Objects.requireNonNull(code, "code");
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * @param code    the zip, already {@link LambdaArchive#verify() verified}
     * @param handler {@code package.Class::method}
     */
    static JavaLambda of(LambdaArchive code, String handler) {
        return new JavaLambda(code, handler);
    }

    /** Shown in the console, on the function and its role. */
    JavaLambda description(String text) {
        this.description = text;
        return this;
    }

    /** 128-10240. */
    JavaLambda memoryMb(int megabytes) {
        this.memoryMb = megabytes;
        return this;
    }

    JavaLambda timeoutSeconds(int seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** Retention of the function's own log group. */
    JavaLambda logRetentionDays(int days) {
        this.logRetentionDays = days;
        return this;
    }

    /** Concurrency reserved for the function; {@value #UNRESERVED} (the default) reserves none. */
    JavaLambda reservedConcurrency(int executions) {
        this.reservedConcurrency = executions;
        return this;
    }

    /** Variables besides {@value #JAVA_TOOL_OPTIONS_VARIABLE}, which every function gets. */
    JavaLambda environment(Map<String, String> variables) {
        this.environment.putAll(variables);
        return this;
    }

    /** Publish a version on every code change, with SnapStart on published versions. */
    JavaLambda snapStartOnPublishedVersions() {
        this.snapStart = true;
        return this;
    }

    /** One more inline policy for the role, named {@code <name>-<suffix>-policy}. */
    JavaLambda extraPolicy(String suffix, Output<String> document) {
        this.extraPolicies.put(suffix, document);
        return this;
    }

    /** Declares the log group, the role and its policies, and the function, as children of {@code parent}. */
    Parts declare(String name, Resource parent) {
        String description = required(this.description, "description");
        int memoryMb = required(this.memoryMb, "memoryMb");
        int timeoutSeconds = required(this.timeoutSeconds, "timeoutSeconds");
        int logRetentionDays = required(this.logRetentionDays, "logRetentionDays");
        CustomResourceOptions child = CustomResourceOptions.builder().parent(parent).build();
        LogGroup logGroup = new LogGroup(Names.child(name, "logs"), LogGroupArgs.builder()
                .retentionInDays(logRetentionDays)
                .build(), child);
        Role role = new Role(Names.child(name, "role"), RoleArgs.builder()
                .description(description)
                .assumeRolePolicy(IamPolicies.assumeRole(LAMBDA_SERVICE))
                .build(), child);
        List<RolePolicy> policies = new ArrayList<>();
        policies.add(new RolePolicy(Names.child(name, "logs-policy"), RolePolicyArgs.builder()
                .role(role.id())
                .policy(logGroup.arn().applyValue(IamPolicies::writeLogs))
                .build(), child));
        extraPolicies.forEach((suffix, document) -> policies.add(new RolePolicy(
                Names.child(name, suffix + "-policy"), RolePolicyArgs.builder()
                .role(role.id())
                .policy(document)
                .build(), child)));

        Map<String, String> variables = new LinkedHashMap<>(environment);
        variables.put(JAVA_TOOL_OPTIONS_VARIABLE, JAVA_TOOL_OPTIONS);
        FunctionArgs.Builder function = FunctionArgs.builder()
                .description(description)
                .runtime(RUNTIME)
                .architectures(ARCHITECTURE)
                .handler(handler)
                .code(code.fileArchive())
                .role(role.arn())
                .memorySize(memoryMb)
                .timeout(timeoutSeconds)
                .reservedConcurrentExecutions(reservedConcurrency)
                .environment(FunctionEnvironmentArgs.builder().variables(variables).build())
                // The function logs to the group above (created first, with a retention) instead of
                // an implicit /aws/lambda/<name> group that would keep logs forever.
                .loggingConfig(FunctionLoggingConfigArgs.builder()
                        .logFormat("Text")
                        .logGroup(logGroup.name())
                        .build());
        if (snapStart) {
            // SnapStart snapshots only published versions, so every code change publishes one.
            function.publish(true)
                    .snapStart(FunctionSnapStartArgs.builder().applyOn("PublishedVersions").build());
        }
        // The role's policies must exist before the first (SnapStart) initialisation logs or calls out.
        Function created = new Function(Names.child(name, "function"), function.build(),
                CustomResourceOptions.builder().parent(parent).dependsOn(List.copyOf(policies)).build());
        return new Parts(logGroup, created);
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalStateException("JavaLambda." + field + " is required and was not set");
        }
        return value;
    }
}
