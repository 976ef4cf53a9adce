package io.llmgateway.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.testing.Docs;
import io.llmgateway.testing.Docs.Page;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What the docs say about the deployment check holds: every option they pass is one it takes, its
 * options table is its usage, and its checks table is the list of checks it runs.
 */
class VerifyDocsTest {

    private static final Page DEPLOY = Docs.read(Docs.DOCS.resolve("deploy.md"));

    @Test
    void everyVerifyArgsInTheDocs_isAcceptedByTheCheck() {
        List<Docs.Arguments> uses = Docs.arguments("verify.args");
        assertThat(uses).hasSizeGreaterThanOrEqualTo(4);
        for (Docs.Arguments args : uses) {
            assertThat(args.unknownOptions(Options.USAGE)).as(args.toString()).isEmpty();
            assertThat(Options.parse(args.array())).as(args.toString()).isNotNull();
        }
    }

    @Test
    void theOptionsTable_isTheChecksUsage() {
        Set<String> documented = new TreeSet<>();
        DEPLOY.tableRows("Option").forEach(row -> documented.addAll(Docs.longOptions(row.get(0))));
        assertThat(documented).isEqualTo(Docs.longOptions(Options.USAGE));
    }

    @Test
    void theChecksTable_isEveryCheckInOrder_withWhatItsPassProves() {
        List<List<String>> rows = DEPLOY.tableRows("Check");
        assertThat(rows).extracting(row -> row.get(0).replace("`", ""))
                .containsExactlyElementsOf(Arrays.stream(Check.values()).map(Check::label).toList());
        assertThat(rows).extracting(row -> row.get(1))
                .containsExactlyElementsOf(Arrays.stream(Check.values()).map(Check::proves).toList());
    }

}
