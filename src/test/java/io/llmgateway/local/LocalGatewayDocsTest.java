package io.llmgateway.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.config.Plan;
import io.llmgateway.config.StackFile;
import io.llmgateway.testing.Docs;
import io.llmgateway.testing.Docs.CodeBlock;
import io.llmgateway.testing.Docs.Page;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * What the README and docs say about the local gateway holds: every option they pass is one it takes,
 * its options table is its usage, the README's first call works as written, and tuning limits by
 * editing the stack file and restarting keeps the keys.
 */
class LocalGatewayDocsTest {

    private static final String DOCUMENTED_URL = "http://127.0.0.1:8080/dev/v1";

    @TempDir
    Path dir;

    @Test
    void everyLocalArgsInTheDocs_isAcceptedByTheLauncher() {
        List<Docs.Arguments> uses = Docs.arguments("local.args");
        assertThat(uses).hasSizeGreaterThanOrEqualTo(3);
        for (Docs.Arguments args : uses) {
            assertThat(args.unknownOptions(LocalGatewayMain.USAGE)).as(args.toString()).isEmpty();
            List<String> words = new ArrayList<>(args.words());
            int config = words.indexOf("--config");
            if (config >= 0) {
                words.set(config + 1, copied(words.get(config + 1)).toString());
            }
            assertThat(LocalGatewayMain.parse(words.toArray(String[]::new))).as(args.toString()).isNotNull();
        }
    }

    /** A stack file the docs have the reader make with {@code cp Pulumi.<stack>.yaml FILE}, made here. */
    private Path copied(String file) {
        Matcher cp = Pattern.compile("(?m)^cp (Pulumi\\.[\\w-]+\\.yaml) " + Pattern.quote(file) + "$").matcher(
                String.join("\n", Docs.shellBlocks().stream().map(CodeBlock::text).toList()));
        assertThat(cp.find()).as("the docs copy a stack file to " + file + " before using it").isTrue();
        try {
            return Files.copy(Path.of(cp.group(1)), dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theOptionsTable_isTheLaunchersUsage() {
        Page page = Docs.read(Docs.DOCS.resolve("local-gateway.md"));
        Set<String> documented = new TreeSet<>();
        page.tableRows("Option").forEach(row -> documented.addAll(Docs.longOptions(row.get(0))));
        assertThat(documented).isEqualTo(Docs.longOptions(LocalGatewayMain.USAGE));
    }

    /**
     * The README's curl block, run as written by bash (the key read from the keys file with node), and
     * its Node example run by node against the gateway, with a stand-in for the openai package that sends
     * what the SDK sends (POST baseURL + /chat/completions with the key as a Bearer token): the base URL,
     * key, model and message shape in the README are the ones the gateway serves, and the printed line is
     * the one the README says.
     */
    @Test
    void theReadmesFirstCall_worksAsWritten() throws Exception {
        Page readme = Docs.read(Docs.README);
        CodeBlock curl = readme.codeBlocks().stream().filter(b -> b.isShell() && b.text().contains("curl "))
                .findFirst().orElseThrow();
        CodeBlock node = readme.codeBlocks().stream().filter(b -> b.language().equals("js")).findFirst().orElseThrow();
        CodeBlock python = readme.codeBlocks().stream().filter(b -> b.language().equals("python")).findFirst().orElseThrow();
        Matcher printed = Pattern.compile("Each example prints `([^`]+)`").matcher(readme.text());
        assertThat(printed.find()).as("the README says what the examples print").isTrue();
        for (CodeBlock block : List.of(curl, node, python)) {
            assertThat(block.text()).as(block.toString()).contains(DOCUMENTED_URL).contains("nova-micro");
        }

        // The gateway exec:java@local starts on the dev stack, its keys where the README's first line reads
        // them, and its logs kept out of the build's output.
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (LocalGateway gateway = LocalGateway.builder(StackFile.read(Path.of("Pulumi.dev.yaml")).load().config())
                .model(new EchoModel()).address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .keyFile(dir.resolve(".llm-gateway-local-keys.json"), "Pulumi.dev.yaml")
                .accessLog(log::add).functionLog(log::add).start()) {
            String base = gateway.baseUrl().toString();
            assertThat(base).endsWith("/dev/v1");
            String port = base.replaceFirst("^http://127\\.0\\.0\\.1:(\\d+)/.*$", "$1");

            Result viaCurl = run(List.of("bash", "-euc", curl.text().replace("127.0.0.1:8080", "127.0.0.1:" + port)), Map.of());
            assertThat(viaCurl.exitCode()).as(viaCurl.output()).isZero();
            assertThat(viaCurl.output()).contains("\"content\":\"" + printed.group(1) + "\"");

            Path sdk = Files.createDirectories(dir.resolve("node_modules/openai"));
            Files.writeString(sdk.resolve("package.json"), "{\"name\": \"openai\", \"type\": \"module\", \"exports\": \"./index.js\"}");
            Files.writeString(sdk.resolve("index.js"), """
                    export default class OpenAI {
                      constructor({ baseURL, apiKey }) {
                        const create = async (body) => {
                          const response = await fetch(`${baseURL}/chat/completions`, { method: "POST",
                            headers: { "Authorization": `Bearer ${apiKey}`, "Content-Type": "application/json" },
                            body: JSON.stringify(body) });
                          if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
                          return response.json();
                        };
                        this.chat = { completions: { create } };
                      }
                    }
                    """);
            Path script = dir.resolve("first-call.mjs");
            Files.writeString(script, node.text().replace("127.0.0.1:8080", "127.0.0.1:" + port));
            Result viaNode = run(List.of("node", script.toString()), Map.of("KEY", gateway.apiKeys().get("demo")));
            assertThat(viaNode.exitCode()).as(viaNode.output()).isZero();
            assertThat(viaNode.output().strip()).isEqualTo(printed.group(1));
        }
    }

    /**
     * "Tune limits locally": edit the stack file as the README shows, restart, and the new limits hold
     * while every client keeps its key.
     */
    @Test
    void editingTheStackFileAndRestarting_appliesTheNewLimits_andKeepsTheKeys() throws Exception {
        CodeBlock edit = Docs.read(Docs.README).codeBlocks().stream().filter(b -> b.language().equals("yaml"))
                .findFirst().orElseThrow();
        double rate = Double.parseDouble(value(edit.text(), "rateLimit"));
        int burst = Integer.parseInt(value(edit.text(), "burstLimit"));
        Path stack = dir.resolve("Pulumi.dev.yaml");
        Files.copy(Path.of("Pulumi.dev.yaml"), stack);
        String keys = dir.resolve("keys.json").toString();

        String key;
        try (LocalGatewayMain.Running first = start("--port", "0", "--config", stack.toString(), "--keys-file", keys)) {
            key = first.gateway().apiKeys().get("demo");
            assertThat(plan(first).throttle().rateLimit()).isNotEqualTo(rate);
        }
        String text = Files.readString(stack);
        String edited = text.replaceFirst("rateLimit: \\S+", "rateLimit: " + value(edit.text(), "rateLimit"))
                .replaceFirst("burstLimit: \\S+", "burstLimit: " + burst);
        assertThat(edited).isNotEqualTo(text);
        Files.writeString(stack, edited);

        try (LocalGatewayMain.Running second = start("--port", "0", "--config", stack.toString(), "--keys-file", keys)) {
            assertThat(plan(second).throttle().rateLimit()).isEqualTo(rate);
            assertThat(plan(second).throttle().burstLimit()).isEqualTo(burst);
            assertThat(second.gateway().apiKeys()).containsEntry("demo", key);
        }
    }

    private static Plan plan(LocalGatewayMain.Running running) {
        return running.gateway().config().plans().get("dev");
    }

    private static String value(String yaml, String key) {
        Matcher m = Pattern.compile("(?m)^\\s*" + key + ":\\s*(\\S+)").matcher(yaml);
        assertThat(m.find()).as(key + " in the README's stack-file example").isTrue();
        return m.group(1);
    }

    /** The launcher as exec:java@local runs it, with standard output not a terminal and no AWS credentials. */
    private static LocalGatewayMain.Running start(String... args) throws LocalGatewayMain.Exit {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
        LocalGatewayMain.Environment environment = new LocalGatewayMain.Environment(Map.of(), () -> () -> {
            throw SdkClientException.create("no credentials in this test");
        }, Clock.systemUTC(), false);
        return LocalGatewayMain.start(args, environment, out, out);
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(List<String> command, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
