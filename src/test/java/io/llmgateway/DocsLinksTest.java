package io.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.testing.Docs;
import io.llmgateway.testing.Docs.Heading;
import io.llmgateway.testing.Docs.Link;
import io.llmgateway.testing.Docs.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README is the front door and docs/ the reference: every relative link and #anchor in them leads
 * somewhere, every page opens with its own contents, and the README stays short.
 */
class DocsLinksTest {

    /** The issue's hard limit; the aim is about 200. */
    private static final int README_MAX_LINES = 250;
    /** What a reader sees before scrolling. */
    private static final int FIRST_SCREEN_LINES = 25;

    @Test
    void everyRelativeLinkResolves_andEveryAnchorIsAHeadingOfItsPage() {
        List<String> problems = new ArrayList<>();
        for (Page page : Docs.all()) {
            problems.addAll(brokenLinks(page, Docs::read));
        }
        assertThat(problems).isEmpty();
        assertThat(Docs.all().stream().mapToLong(p -> p.links().size()).sum()).isGreaterThan(100);
    }

    @Test
    void aMissingFileOrAnchor_isReported() {
        Page page = new Page(Path.of("docs/x.md"), """
                # X
                ## Real heading
                [ok](#real-heading) [ok](../README.md#first-call) [ok](https://example.com/#nowhere)
                [gone](#no-such-heading) [gone](missing.md) [gone](../README.md#no-such-section)
                `[code](#is-not-a-link)`
                ```
                [code](#is-not-a-link-either)
                ```
                """);
        assertThat(brokenLinks(page, Docs::read)).hasSize(3)
                .anySatisfy(p -> assertThat(p).contains("#no-such-heading"))
                .anySatisfy(p -> assertThat(p).contains("missing.md"))
                .anySatisfy(p -> assertThat(p).contains("#no-such-section"));
    }

    /** GitHub's anchors: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
    @Test
    void anchorsAreGitHubs() {
        assertThat(Docs.slug("CORS (browser clients)")).isEqualTo("cors-browser-clients");
        assertThat(Docs.slug("Production edge: custom domain, WAF, CORS, private API"))
                .isEqualTo("production-edge-custom-domain-waf-cors-private-api");
        assertThat(Docs.slug("The backend's own runtime client")).isEqualTo("the-backends-own-runtime-client");
        assertThat(Docs.slug("`modelPrices`")).isEqualTo("modelprices");
        Page page = new Page(Path.of("p.md"), "## Caveats\n## Caveats\n");
        assertThat(page.anchors()).containsExactly("caveats", "caveats-1");
    }

    /** Each docs page lists its sections at the top, in order, so a reader sees the page before reading it. */
    @Test
    void everyDocsPageOpensWithAContentsListOfItsSections() {
        for (Page page : Docs.pages()) {
            List<Heading> sections = page.headings().stream().filter(h -> h.level() == 2).toList();
            assertThat(sections).as(page + " has sections").isNotEmpty();
            List<String> beforeFirstSection = page.prose().subList(0, firstSectionLine(page));
            List<String> contents = beforeFirstSection.stream()
                    .filter(line -> line.startsWith("- [") && line.contains("](#"))
                    .map(line -> line.substring(line.indexOf("](#") + 3, line.lastIndexOf(')')))
                    .toList();
            assertThat(contents).as(page + ": the contents list at the top")
                    .containsExactlyElementsOf(sections.stream().map(Heading::anchor).toList());
            assertThat(page.headings().get(0).level()).as(page + " opens with its title").isEqualTo(1);
        }
    }

    @Test
    void readme_isAtMost250Lines_andLinksEveryDocsPage() {
        Page readme = Docs.read(Docs.README);
        assertThat(readme.lines()).hasSizeLessThanOrEqualTo(README_MAX_LINES);
        Set<String> linked = readme.links().stream().map(Link::target)
                .map(t -> t.contains("#") ? t.substring(0, t.indexOf('#')) : t).collect(Collectors.toSet());
        for (Page page : Docs.pages()) {
            assertThat(linked).as("the README links " + page).contains(page.path().toString());
        }
    }

    /** Its first screen gives the main job and the tests, and the tests are what CI runs. */
    @Test
    void readme_firstScreenGivesTheTwoCommands_andTheTestsAreWhatCiRuns() throws Exception {
        String firstScreen = String.join("\n", Docs.read(Docs.README).lines().subList(0, FIRST_SCREEN_LINES));
        assertThat(firstScreen).contains("`mvn -B -q compile exec:java@local`", "`mvn -B verify`");
        assertThat(firstScreen.lines().filter(l -> l.contains("`mvn ")).count()).isEqualTo(2);
        assertThat(Files.readString(Path.of(".ci/run"))).containsPattern("(?m)^mvn -B verify\\b");
    }

    private static int firstSectionLine(Page page) {
        List<String> prose = page.prose();
        for (int i = 0; i < prose.size(); i++) {
            if (prose.get(i).startsWith("## ")) {
                return i;
            }
        }
        return prose.size();
    }

    /** What is wrong with the page's relative links: a file that does not exist, or an anchor its page lacks. */
    static List<String> brokenLinks(Page page, Function<Path, Page> reader) {
        List<String> problems = new ArrayList<>();
        for (Link link : page.links()) {
            String target = link.target();
            if (target.matches("^[a-z][a-z0-9+.-]*:.*")) {
                continue; // https:, mailto: and the like: not this repository's
            }
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            String anchor = hash < 0 ? null : target.substring(hash + 1);
            Path resolved = file.isEmpty() ? page.path()
                    : (page.path().getParent() == null ? Path.of(file) : page.path().getParent().resolve(file)).normalize();
            if (!file.isEmpty() && !Files.exists(resolved)) {
                problems.add(link + ": no file " + resolved);
                continue;
            }
            if (anchor != null) {
                Page linked = file.isEmpty() ? page : reader.apply(resolved);
                if (!linked.anchors().contains(anchor)) {
                    problems.add(link + ": " + resolved + " has no heading #" + anchor);
                }
            }
        }
        return problems;
    }
}
