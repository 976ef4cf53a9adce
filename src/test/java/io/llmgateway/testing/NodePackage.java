package io.llmgateway.testing;

import io.llmgateway.common.OwnThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An npm package the tests pin under {@code src/test} (a {@code package.json} with its lockfile), installed
 * by the first test that needs it with {@code npm ci} when it is missing or older than its lockfile, so
 * {@code mvn -B verify} works on a fresh clone. Needs Node.js 20 or later with npm on the PATH; without
 * it the tests that need it fail, saying so.
 *
 * @param dir    the package's directory, e.g. {@code src/test/dynalite}
 * @param marker a file the installed package must hold, e.g. {@code node_modules/dynalite/cli.js}
 */
public record NodePackage(Path dir, Path marker) {

    /** The official OpenAI Node SDK, for the acceptance tests against the local gateway. */
    public static final NodePackage OPENAI_NODE = new NodePackage(Path.of("src", "test", "openai-node"),
            Path.of("src", "test", "openai-node", "node_modules", "openai", "package.json"));

    /** One install at a time in this JVM: two tests of one package must not run npm ci together. */
    private static final Object INSTALLING = new Object();

    /** The hint a failure gives. */
    public String installHint() {
        return "install Node.js 20 or later with npm (.ci/run does), or run `npm ci --prefix " + dir + "` yourself";
    }

    /** {@code npm ci} when the package is missing or older than its lockfile. */
    public void installIfNeeded() {
        synchronized (INSTALLING) {
            install();
        }
    }

    private void install() {
        Path installedLock = dir.resolve("node_modules/.package-lock.json");
        try {
            if (Files.isRegularFile(marker) && Files.isRegularFile(installedLock)
                    && Files.getLastModifiedTime(installedLock).compareTo(
                    Files.getLastModifiedTime(dir.resolve("package-lock.json"))) >= 0) {
                return;
            }
            Process npm = new ProcessBuilder(List.of("npm", "ci", "--prefix", dir.toString(), "--no-audit",
                    "--no-fund", "--loglevel=error"))
                    .redirectErrorStream(true)
                    .start();
            CompletableFuture<String> output = OwnThread.readAll("npm-output", npm.getInputStream());
            if (!npm.waitFor(5, TimeUnit.MINUTES)) {
                npm.destroyForcibly();
                throw new IllegalStateException("`npm ci --prefix " + dir + "` did not finish in 5 minutes");
            }
            if (npm.exitValue() != 0 || !Files.isRegularFile(marker)) {
                throw new IllegalStateException("`npm ci --prefix " + dir + "` failed (exit " + npm.exitValue()
                        + "):\n" + output.join() + installHint());
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run npm to install " + dir + ": " + e.getMessage() + "; "
                    + installHint(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + dir, e);
        }
    }
}
