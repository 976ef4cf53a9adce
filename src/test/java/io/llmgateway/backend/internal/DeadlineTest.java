package io.llmgateway.backend.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadlineTest {

    private static final long NOW = 1_764_237_425_000L;

    @Test
    void budget_isIntegrationTimeoutMinusTimeSpentMinusMargin() {
        assertThat(Deadline.budgetMs(NOW, NOW - 2_000, 29_000, 60_000)).isEqualTo(26_000);
    }

    @Test
    void budget_isBoundedByTheLambdaTimeLeft() {
        assertThat(Deadline.budgetMs(NOW, NOW - 2_000, 29_000, 10_000)).isEqualTo(9_000);
    }

    @Test
    void budget_withoutRequestTimeOrContext_isIntegrationTimeoutMinusMargin() {
        assertThat(Deadline.budgetMs(NOW, null, 29_000, null)).isEqualTo(28_000);
    }

    @Test
    void budget_ignoresARequestTimeInTheFuture() {
        assertThat(Deadline.budgetMs(NOW, NOW + 5_000, 29_000, null)).isEqualTo(28_000);
    }

    @Test
    void budget_isGoneWhenApiGatewayHasAlmostGivenUp() {
        assertThat(Deadline.budgetMs(NOW, NOW - 28_500, 29_000, 30_000)).isLessThanOrEqualTo(0);
    }
}
