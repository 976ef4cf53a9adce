package io.llmgateway.verify;

import io.llmgateway.common.Json;
import io.llmgateway.common.OwnThread;
import io.llmgateway.common.Text;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The stack's outputs, from {@code pulumi stack output --json --show-secrets}: the CLI is the only
 * thing that can decrypt {@code apiKeys}. Runs through an injectable {@link Runner}, so tests never
 * need the CLI.
 */
final class PulumiCli {

    /** Runs a command and returns what it printed. */
    interface Runner {
        Result run(List<String> command) throws IOException, InterruptedException;
    }

    record Result(int exitCode, String stdout, String stderr) {
    }

    /** The real CLI, as a subprocess with a generous timeout. */
    static final Runner PROCESS = command -> {
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        // Each pipe drained on a thread of its own, never on the common pool (see OwnThread).
        CompletableFuture<String> out = OwnThread.supply("pulumi-stdout", () -> read(process.getInputStream()));
        CompletableFuture<String> err = OwnThread.supply("pulumi-stderr", () -> read(process.getErrorStream()));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within 120 s");
        }
        return new Result(process.exitValue(), out.join(), err.join());
    };

    /**
     * The outputs this command needs.
     *
     * @param stack   the stack's name as the CLI reports it, or null when it could not say
     * @param baseUrl the {@code baseUrl} output
     * @param apiKeys the {@code apiKeys} output, client name to key, in the output's order
     */
    record Outputs(String stack, String baseUrl, Map<String, String> apiKeys) {
        Outputs {
            apiKeys = Collections.unmodifiableMap(new LinkedHashMap<>(apiKeys));
        }

        @Override
        public String toString() {
            return "Outputs[stack=" + stack + ", baseUrl=" + baseUrl + ", clients=" + apiKeys.keySet() + "]";
        }
    }

    private PulumiCli() {
    }

    /**
     * Reads the outputs of a stack.
     *
     * @param stack the stack, or null for the selected one
     * @throws VerifyException when the CLI cannot run, fails, or the outputs are not the stack's
     */
    static Outputs outputs(Runner runner, String stack) throws VerifyException {
        List<String> command = new ArrayList<>(List.of("pulumi", "stack", "output", "--json", "--show-secrets"));
        if (stack != null) {
            command.addAll(List.of("--stack", stack));
        }
        Result result = run(runner, command);
        Map<String, Object> outputs;
        try {
            outputs = Json.readObject(result.stdout());
        } catch (IOException e) {
            throw new VerifyException("`" + String.join(" ", command) + "` did not print a JSON object: " + e.getMessage());
        }
        if (!(outputs.get("baseUrl") instanceof String baseUrl) || baseUrl.isBlank()) {
            throw new VerifyException("the stack has no baseUrl output (has `pulumi up` run on it?); outputs: "
                    + Text.truncate(String.join(", ", outputs.keySet())));
        }
        if (!(outputs.get("apiKeys") instanceof Map<?, ?> keys) || keys.isEmpty()) {
            throw new VerifyException("the stack has no apiKeys output with a client in it (has `pulumi up` run on it?)");
        }
        Map<String, String> apiKeys = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : keys.entrySet()) {
            if (!(entry.getValue() instanceof String key) || key.isBlank() || key.equals("[secret]")) {
                throw new VerifyException("the apiKeys output holds no readable key for client "
                        + Text.quote(String.valueOf(entry.getKey())) + " (the CLI must be able to decrypt the stack's"
                        + " secrets: PULUMI_CONFIG_PASSPHRASE, or a login to its backend)");
            }
            apiKeys.put(String.valueOf(entry.getKey()), key);
        }
        return new Outputs(stack != null ? stack : selectedStack(runner), baseUrl, apiKeys);
    }

    /** The selected stack's name, or null when the CLI does not say. */
    private static String selectedStack(Runner runner) {
        try {
            Result result = runner.run(List.of("pulumi", "stack", "--show-name"));
            String name = result.stdout().trim();
            return result.exitCode() == 0 && name.matches("[A-Za-z0-9_.\\-/]+") ? name : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Result run(Runner runner, List<String> command) throws VerifyException {
        Result result;
        try {
            result = runner.run(command);
        } catch (IOException e) {
            throw new VerifyException("no --base-url and --api-key given, and the Pulumi CLI could not run ("
                    + Text.truncate(String.valueOf(e.getMessage())) + "). Pass --base-url URL --api-key KEY, or"
                    + " install Pulumi, log in and select the stack");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerifyException("interrupted while running " + String.join(" ", command));
        }
        if (result.exitCode() != 0) {
            String stderr = result.stderr().strip();
            throw new VerifyException("`" + String.join(" ", command) + "` failed (exit " + result.exitCode() + ")"
                    + (stderr.isEmpty() ? "" : ": " + Text.truncate(stderr.lines().findFirst().orElse("")))
                    + ". Log in (`pulumi login`) and select the stack (`pulumi stack select NAME`), or pass --stack NAME");
        }
        return result;
    }

    private static String read(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
