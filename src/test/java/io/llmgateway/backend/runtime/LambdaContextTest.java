package io.llmgateway.backend.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LambdaContextTest {

    @Test
    void of_invocation_countsDownToItsDeadline_andNamesTheFunction() {
        Invocation invocation = new Invocation("req-1", 10_000, "arn:aws:lambda:eu-west-1:1:function:f:live",
                "Root=1-abc", null, null, new byte[0]);
        RuntimeEnvironment environment = RuntimeEnvironment.of(Map.of(RuntimeEnvironment.RUNTIME_API, "127.0.0.1:9",
                "AWS_LAMBDA_FUNCTION_NAME", "f", "AWS_LAMBDA_FUNCTION_VERSION", "3",
                "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512", "AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/f"));

        LambdaContext early = LambdaContext.of(invocation, environment, Clock.fixed(Instant.ofEpochMilli(4_000),
                ZoneOffset.UTC));
        LambdaContext late = LambdaContext.of(invocation, environment, Clock.fixed(Instant.ofEpochMilli(12_000),
                ZoneOffset.UTC));

        assertThat(early.getRemainingTimeInMillis()).isEqualTo(6_000);
        assertThat(late.getRemainingTimeInMillis()).isZero();
        assertThat(early.getAwsRequestId()).isEqualTo("req-1");
        assertThat(early.getFunctionName()).isEqualTo("f");
        assertThat(early.getFunctionVersion()).isEqualTo("3");
        assertThat(early.getMemoryLimitInMB()).isEqualTo(512);
        assertThat(early.getLogGroupName()).isEqualTo("/aws/lambda/f");
        assertThat(early.getInvokedFunctionArn()).isEqualTo("arn:aws:lambda:eu-west-1:1:function:f:live");
        assertThat(early.getXrayTraceId()).isEqualTo("Root=1-abc");
    }

    @Test
    void remainingTime_isAskedAtEachCall_andNeverNegative() {
        AtomicLong remaining = new AtomicLong(1_500);
        List<String> log = new ArrayList<>();
        LambdaContext context = new LambdaContext("r", new LambdaContext.Function("f", "$LATEST", 128, null, null),
                null, null, remaining::get, log::add);

        assertThat(context.getRemainingTimeInMillis()).isEqualTo(1_500);
        remaining.set(-20);
        assertThat(context.getRemainingTimeInMillis()).isZero();
        context.getLogger().log("one");
        context.getLogger().log("two".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(log).containsExactly("one", "two");
    }

    @Test
    void fixed_keepsItsRemainingTime() {
        LambdaContext context = LambdaContext.fixed("r", new LambdaContext.Function("f", "1", 1024, null, null),
                null, 30_000);

        assertThat(context.getRemainingTimeInMillis()).isEqualTo(30_000);
        assertThat(context.getRemainingTimeInMillis()).isEqualTo(30_000);
    }
}
