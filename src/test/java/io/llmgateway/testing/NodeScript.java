package io.llmgateway.testing;

import io.llmgateway.common.OwnThread;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A client script run with Node.js against a server the test started, with a hang detector (a minute,
 * never a measurement). The scripts print one line per check and "N passed, N failed" last.
 */
public final class NodeScript {

    /** The official OpenAI clients, pinned in {@code src/test/openai-clients} (openai, @openai/agents, zod). */
    static final Path OPENAI_CLIENTS = Path.of("src", "test", "openai-clients");
    static final String OPENAI_CLIENTS_HINT = "install Node.js 20 or later with npm (.ci/run does), or run "
            + "`npm ci --prefix src/test/openai-clients` yourself";
    static final long HANG_SECONDS = 60;

    /** How a script ended: its exit code, and what it printed (stdout and stderr together). */
    public record Result(int exitCode, String output) {
    }

    private NodeScript() {
    }

    /** Runs a script of {@code src/test/openai-clients}, installing the pinned clients first when needed. */
    public static Result openAiClients(String script, String... args) {
        NpmPackage.ensureInstalled(OPENAI_CLIENTS, OPENAI_CLIENTS.resolve("node_modules/openai/package.json"),
                OPENAI_CLIENTS_HINT);
        List<String> command = new ArrayList<>(List.of("node", OPENAI_CLIENTS.resolve(script).toString()));
        command.addAll(List.of(args));
        try {
            Process node = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> output = OwnThread.readAll("node-output", node.getInputStream());
            if (!node.waitFor(HANG_SECONDS, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                throw new IllegalStateException(script + " did not finish in " + HANG_SECONDS + " s:\n"
                        + output.getNow("(no output)"));
            }
            return new Result(node.exitValue(), output.join());
        } catch (IOException e) {
            throw new IllegalStateException("could not start Node.js (`node` on the PATH): " + e.getMessage() + "; "
                    + OPENAI_CLIENTS_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }
}
