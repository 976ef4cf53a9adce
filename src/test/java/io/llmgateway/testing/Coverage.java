package io.llmgateway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What share of a parameterized test's generated cases fell in each class that matters: a property
 * proves little if its generator never reaches one side of a check. Register it as a static field
 * ({@code @RegisterExtension}), {@link #collect} each case's class, and after the class's tests it checks
 * each stated minimum, once all {@code cases} were collected (running a single case checks nothing).
 */
public final class Coverage implements AfterAllCallback {

    private final int cases;
    private final Map<String, Integer> minimumPercent = new LinkedHashMap<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private int collected;

    private Coverage(int cases) {
        this.cases = cases;
    }

    /** Coverage of a test that generates {@code cases} cases. */
    public static Coverage of(int cases) {
        return new Coverage(cases);
    }

    /** At least {@code percent} % of the cases must be of {@code label}. */
    public Coverage atLeast(String label, int percent) {
        minimumPercent.put(label, percent);
        return this;
    }

    /** Counts one case as {@code label}. */
    public synchronized void collect(String label) {
        counts.merge(label, 1, Integer::sum);
        collected++;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (collected < cases) {
            return;
        }
        minimumPercent.forEach((label, percent) -> assertThat(100.0 * counts.getOrDefault(label, 0) / collected)
                .as("share of %s among %d cases (%s), in percent", label, collected, counts)
                .isGreaterThanOrEqualTo(percent));
    }
}
