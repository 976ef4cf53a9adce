package io.llmgateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.testing.Docs;
import io.llmgateway.testing.Docs.Found;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The commands the README and docs give are real: each Maven execution they name is in the pom, each
 * class they run has a main method, and each class they cite exists. (The local gateway's and the
 * deployment check's options are checked beside those commands' code; the config keys in
 * {@code pulumi config set} commands beside the config model; the {@code pulumi stack output} names
 * beside the stack.)
 */
class DocsCommandsTest {

    private static final Pattern EXECUTION = Pattern.compile("exec:java@([\\w-]+)");
    private static final Pattern MAIN_CLASS = Pattern.compile("-DmainClass=([\\w.$]+)");
    /** A class run with a plain {@code java ... io.llmgateway.X}. */
    private static final Pattern JAVA_MAIN = Pattern.compile("^\\s*java\\s.*?\\s(io\\.llmgateway\\.[\\w.]+)(?:\\s|$)");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("\\b(io\\.llmgateway(?:\\.[a-z]\\w*)*\\.[A-Z]\\w*)");
    /** A test or benchmark cited by its simple name, in a code span. */
    private static final Pattern TEST_NAME = Pattern.compile("`([A-Z]\\w*(?:Test|Benchmark))`");

    @Test
    void everyExecJavaExecution_isOneThePomDeclares() throws Exception {
        Set<String> declared = pomExecutionIds();
        List<Found> used = Docs.find(EXECUTION);
        assertThat(used.stream().map(Found::value).collect(Collectors.toSet())).contains("local", "verify");
        assertThat(used).allSatisfy(f -> assertThat(declared).as(f.where()).contains(f.value()));
    }

    @Test
    void everyMainClass_existsAndHasAMain() {
        List<Found> classes = new ArrayList<>(Docs.find(MAIN_CLASS));
        classes.addAll(Docs.find(JAVA_MAIN));
        assertThat(classes).hasSizeGreaterThanOrEqualTo(8);
        assertThat(classes).allSatisfy(f -> assertThat(hasMain(f.value())).as(f.toString()).isTrue());
    }

    @Test
    void everyClassCitedByName_exists() throws IOException {
        Set<String> testNames = simpleNames(Path.of("src/test/java"));
        List<Found> qualified = Docs.find(QUALIFIED_NAME);
        assertThat(qualified).allSatisfy(f -> assertThat(loads(f.value())).as(f.toString()).isTrue());
        List<Found> tests = Docs.find(TEST_NAME);
        assertThat(tests).isNotEmpty().allSatisfy(f -> assertThat(testNames).as(f.toString()).contains(f.value()));
    }

    /** The check itself: a name that is not a class, or a class without a main, fails it. */
    @Test
    void aClassWithoutMain_orNoClass_isCaught() {
        assertThat(hasMain("io.llmgateway.App")).isTrue();
        assertThat(hasMain("io.llmgateway.config.Setting")).isFalse();
        assertThat(hasMain("io.llmgateway.NoSuchClass")).isFalse();
        assertThat(JAVA_MAIN.matcher("java -Xmx2g -cp a:b io.llmgateway.local.bench.X").find()).isTrue();
    }

    static Set<String> pomExecutionIds() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList executions = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile()).getElementsByTagName("execution");
        Set<String> ids = new TreeSet<>();
        for (int i = 0; i < executions.getLength(); i++) {
            Element execution = (Element) executions.item(i);
            Element plugin = (Element) execution.getParentNode().getParentNode();
            String artifact = plugin.getElementsByTagName("artifactId").item(0).getTextContent().trim();
            if (artifact.equals("exec-maven-plugin")) {
                ids.add(execution.getElementsByTagName("id").item(0).getTextContent().trim());
            }
        }
        return ids;
    }

    private static boolean hasMain(String className) {
        try {
            Method main = Class.forName(className, false, DocsCommandsTest.class.getClassLoader())
                    .getMethod("main", String[].class);
            return Modifier.isStatic(main.getModifiers()) && main.getReturnType() == void.class;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean loads(String className) {
        try {
            Class.forName(className, false, DocsCommandsTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Set<String> simpleNames(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".java"))
                    .map(n -> n.substring(0, n.length() - ".java".length())).collect(Collectors.toSet());
        }
    }
}
