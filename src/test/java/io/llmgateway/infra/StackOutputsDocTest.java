package io.llmgateway.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.infra.testing.StackRun;
import io.llmgateway.infra.testing.StackRuns;
import io.llmgateway.testing.Docs;
import io.llmgateway.testing.Docs.Page;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The stack outputs the docs name are the ones the program exports: docs/architecture.md lists them
 * all, and every {@code pulumi stack output NAME} in the README and docs asks for one that exists.
 */
class StackOutputsDocTest {

    private static final Pattern STACK_OUTPUT = Pattern.compile("pulumi stack output([^`)#\\n]*)");
    private static final Pattern NAME = Pattern.compile("`([a-z][A-Za-z]+)`");

    /** The committed stacks and the variants that switch on every edge option between them. */
    private static Set<String> exported() {
        Set<String> names = new TreeSet<>();
        Stream.of(StackRuns.dev(), StackRuns.prod(), StackRuns.devWithCustomDomain(), StackRuns.prodWithCustomDomainOnly(),
                StackRuns.devWithFirewall(), StackRuns.devPrivate()).map(StackRun::outputs)
                .forEach(outputs -> names.addAll(outputs.keySet()));
        return names;
    }

    @Test
    void architectureListsEveryOutput_andNoOther() {
        Page architecture = Docs.read(Docs.DOCS.resolve("architecture.md"));
        String section = architecture.text().substring(architecture.text().indexOf("## Outputs"),
                architecture.text().indexOf("## The request path"));
        Set<String> documented = new TreeSet<>();
        Matcher m = NAME.matcher(section);
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertThat(documented).isEqualTo(exported());
    }

    @Test
    void everyPulumiStackOutputInTheDocs_namesAnExportedOutput() {
        Set<String> exported = exported();
        List<String> asked = new ArrayList<>();
        for (Docs.Found found : Docs.find(STACK_OUTPUT)) {
            List<String> words = new ArrayList<>(Docs.words(found.value()));
            int stack = words.indexOf("--stack");
            if (stack >= 0) {
                words.subList(stack, stack + 2).clear();
            }
            words.removeIf(w -> w.startsWith("-"));
            assertThat(words).as(found.toString()).hasSizeLessThanOrEqualTo(1);
            words.forEach(name -> {
                asked.add(name);
                assertThat(exported).as(found.toString()).contains(name);
            });
        }
        assertThat(asked).contains("baseUrl", "apiKeys", "chatCompletionsUrl");
    }
}
