package io.llmgateway.testing;

import io.llmgateway.common.OwnThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An npm package pinned under {@code src/test} (a package.json and its package-lock.json) that tests run
 * with Node.js: installed with {@code npm ci} when it is missing or older than its lockfile, so
 * {@code mvn -B verify} works on a fresh clone. Without Node.js and npm the tests that need it fail,
 * saying so; they never skip.
 */
public final class NpmPackage {

    private NpmPackage() {
    }

    /**
     * @param dir       the package's directory: {@code src/test/dynalite}
     * @param installed a file the install must leave behind (the entry point the tests run)
     * @param hint      what to do when it cannot be installed
     */
    public static synchronized void ensureInstalled(Path dir, Path installed, String hint) {
        Path installedLock = dir.resolve("node_modules/.package-lock.json");
        try {
            if (Files.isRegularFile(installed) && Files.isRegularFile(installedLock)
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
            if (npm.exitValue() != 0 || !Files.isRegularFile(installed)) {
                throw new IllegalStateException("`npm ci --prefix " + dir + "` failed (exit " + npm.exitValue()
                        + "):\n" + output.join() + hint);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run npm to install " + dir + ": " + e.getMessage() + "; "
                    + hint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing " + dir, e);
        }
    }
}
