package io.llmgateway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class VerifyReportTest {

    @Test
    void table_hasFixedColumns_checksInTheirOrder_andFailureDetailsUnderneath() {
        List<CheckResult> results = List.of(
                CheckResult.skip(Check.EMBEDDINGS, "no embedding model listed"),
                CheckResult.fail(Check.MODELS_RETRIEVE, 3_400_000, "not served: 404 unknown_url",
                        "200 with the model object of 'm'", "not served: 404 unknown_url: 'Invalid URL'",
                        "x-amzn-RequestId abc"),
                CheckResult.pass(Check.MODELS_LIST, 12_000_000, "1 model: m", "x-request-id r1"),
                CheckResult.pass(Check.LIMITS_QUOTA, 75_250_000_000L, "refused", null),
                CheckResult.fail(Check.HEADER_REQUEST_ID, 0, "1 of 2 answers without a request id", "one on every answer",
                        "none on models.list 200", null));

        assertThat(VerifyReport.table(results)).containsExactly(
                "CHECK                  RESULT     TIME  DETAIL",
                "models.list            PASS      12 ms  1 model: m",
                "models.retrieve        FAIL       3 ms  not served: 404 unknown_url",
                "                       expected  200 with the model object of 'm'",
                "                       got       not served: 404 unknown_url: 'Invalid URL'",
                "                       request   x-amzn-RequestId abc",
                "embeddings             SKIP          -  no embedding model listed",
                "header.request_id      FAIL       0 ms  1 of 2 answers without a request id",
                "                       expected  one on every answer",
                "                       got       none on models.list 200",
                "                       request   (no request id)",
                "limits.quota           PASS     75.3 s  refused");
    }

    @Test
    void summary_countsResultsTokensAndRetries() {
        CheckResult pass = CheckResult.pass(Check.CHAT, 1, "ok", null);
        CheckResult skip = CheckResult.skip(Check.EMBEDDINGS, "none");
        CheckResult fail = CheckResult.fail(Check.ERROR_MODEL, 1, "x", "y", "z", null);

        assertThat(VerifyReport.summary(List.of(pass, skip), 87, 0)).isEqualTo("PASS: 1 check passed, 1 skipped. Tokens used: 87.");
        assertThat(VerifyReport.summary(List.of(pass, pass, fail), 0, 1))
                .isEqualTo("FAIL: 1 of 3 checks failed, 2 passed. Tokens used: 0. 1 request was retried after a 429 or 503.");
        assertThat(VerifyReport.summary(List.of(fail, fail, skip), 5, 4))
                .isEqualTo("FAIL: 2 of 3 checks failed, 0 passed, 1 skipped. Tokens used: 5. 4 requests were retried after a 429 or 503.");
    }

    @Test
    void mask_showsOnlyTheLastFourCharacters() {
        assertThat(VerifyReport.mask("sk-live-0123456789abcdefWXYZ")).isEqualTo("****WXYZ");
        assertThat(VerifyReport.mask("short123")).isEqualTo("****");
        assertThat(VerifyReport.mask(null)).isEqualTo("(none)");
    }
}
