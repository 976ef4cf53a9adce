package io.llmgateway.testing;

import io.llmgateway.common.OwnThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The official OpenAI Node SDK (npm {@code openai}, pinned in {@code src/test/openai-node} with its
 * lockfile), for end-to-end tests that run a client script against the local gateway. The first test that
 * needs it installs the pinned package ({@code npm ci}) when it is missing or older than the lockfile,
 * as {@link Dynalite} does; it needs Node.js 20 or later with npm on the PATH (.ci/run installs them).
 */
public final class OpenAiNode {

    static final Path PACKAGE = Path.of("src/test/openai-node");
    static final Path INSTALLED_LOCK = PACKAGE.resolve("node_modules/.package-lock.json");
    static final String INSTALL_HINT = "install Node.js 20 or later with npm (.ci/run does), or run "
            + "`npm ci --prefix src/test/openai-node` yourself";

    /** What a script printed, and how it ended. */
    public record Result(int exitCode, String output) {
    }

    private OpenAiNode() {
    }

    /**
     * Runs an ES module script, which imports {@code openai}, with these environment variables.
     *
     * @throws IllegalStateException when Node.js or the package cannot be had
     */
    public static synchronized Result run(String script, Map<String, String> environment) {
        installIfNeeded();
        try {
            Path file = Files.createTempFile(PACKAGE, "script-", ".mjs");
            try {
                Files.writeString(file, script);
                ProcessBuilder builder = new ProcessBuilder(List.of("node", file.toAbsolutePath().toString()))
                        .directory(PACKAGE.toFile()).redirectErrorStream(true);
                builder.environment().putAll(environment);
                Process node = builder.start();
                node.getOutputStream().close();
                CompletableFuture<String> output = OwnThread.readAll("openai-node-output", node.getInputStream());
                if (!node.waitFor(60, TimeUnit.SECONDS)) {
                    node.destroyForcibly();
                    throw new IllegalStateException("the script did not finish in 60 s:\n" + output.getNow(""));
                }
                return new Result(node.exitValue(), output.join());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run node: " + e.getMessage() + "; " + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running node", e);
        }
    }

    private static void installIfNeeded() {
        try {
            if (Files.isRegularFile(INSTALLED_LOCK) && Files.getLastModifiedTime(INSTALLED_LOCK)
                    .compareTo(Files.getLastModifiedTime(PACKAGE.resolve("package-lock.json"))) >= 0) {
                return;
            }
            Process npm = new ProcessBuilder(List.of("npm", "ci", "--prefix", PACKAGE.toString(), "--ignore-scripts",
                    "--no-audit", "--no-fund", "--loglevel=error")).redirectErrorStream(true).start();
            CompletableFuture<String> output = OwnThread.readAll("npm-output", npm.getInputStream());
            if (!npm.waitFor(5, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("`npm ci --prefix " + PACKAGE + "` did not finish in 5 minutes");
            }
            if (npm.exitValue() != 0) {
                throw new IllegalStateException("`npm ci --prefix " + PACKAGE + "` failed (exit " + npm.exitValue()
                        + "):\n" + output.join() + INSTALL_HINT);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run npm: " + e.getMessage() + "; " + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing the openai package", e);
        }
    }
}
