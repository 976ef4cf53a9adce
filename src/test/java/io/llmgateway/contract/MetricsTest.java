package io.llmgateway.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.contract.Metrics.Metric;
import io.llmgateway.contract.Metrics.Source;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void metricNamesAreUniqueAndFindable() {
        assertThat(Arrays.stream(Metric.values()).map(Metric::metricName)).doesNotHaveDuplicates();
        for (Metric metric : Metric.values()) {
            assertThat(Metric.byName(metric.metricName())).contains(metric);
        }
    }

    @Test
    void accessLogMetrics_haveAPatternOnAnAccessLogField_andOnlyThey() {
        assertThat(Metric.from(Source.ACCESS_LOG)).isNotEmpty().allSatisfy(metric -> {
            assertThat(metric.accessLogPattern()).hasValueSatisfying(pattern ->
                    assertThat(pattern).startsWith("{ $." + AccessLogFormat.ERROR_RESPONSE_TYPE + " = \"").endsWith("\" }"));
            assertThat(metric.split()).isEqualTo(Metrics.Split.TOTAL);
        });
        assertThat(Metric.GATEWAY_THROTTLED.accessLogPattern()).contains("{ $.errorResponseType = \"THROTTLED\" }");
        assertThat(Metric.from(Source.BACKEND)).allSatisfy(metric -> assertThat(metric.accessLogPattern()).isEmpty());
    }

    @Test
    void theAccessLogCarriesEveryFieldTheMetricFiltersRead() {
        assertThat(AccessLogFormat.FIELDS).containsKeys(AccessLogFormat.ERROR_RESPONSE_TYPE, AccessLogFormat.API_ID)
                .containsEntry(AccessLogFormat.API_ID, "$context.apiId");
        assertThat(Metrics.accessLogDimensions()).containsExactly(
                java.util.Map.entry("ApiId", "$." + AccessLogFormat.API_ID));
    }
}
