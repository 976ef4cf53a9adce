package io.llmgateway.infra;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The declaration's own checks; what it declares is asserted on the program's run (BackendFunctionTest). */
class JavaLambdaTest {

    @Test
    void aMissingRequiredSettingIsNamedBeforeAnythingIsDeclared() {
        JavaLambda lambda = JavaLambda.of(LambdaArchive.authorizer(), AuthorizerFunction.HANDLER)
                .description("test")
                .memoryMb(512)
                .logRetentionDays(30);
        // No Pulumi deployment is running: reaching a resource constructor would fail differently.
        assertThatThrownBy(() -> lambda.declare("test", null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("JavaLambda.timeoutSeconds is required and was not set");
    }
}
