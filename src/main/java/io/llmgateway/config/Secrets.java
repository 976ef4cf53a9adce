package io.llmgateway.config;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the program can know about which config values are secret. Pulumi hands a program decrypted
 * values and marks only top-level keys secret (a key is secret when any leaf under it was set with
 * {@code --secret}); which leaf is secret is written only in the stack file.
 *
 * @param secretKeys     this project's top-level keys that Pulumi holds as secrets
 * @param stackFile      the stack file the values were set in, when it could be read
 * @param whyNoStackFile when there is no stack file, why, for the warning that says a per-value check
 *                       could not run; empty otherwise
 */
public record Secrets(Set<String> secretKeys, Optional<StackFile> stackFile, String whyNoStackFile) {

    public Secrets {
        secretKeys = Set.copyOf(secretKeys);
        Objects.requireNonNull(stackFile, "stackFile");
        Objects.requireNonNull(whyNoStackFile, "whyNoStackFile");
    }

    /** The local gateway's case: the values are the file's own. */
    public static Secrets of(StackFile file) {
        return of(file.secretKeys(), file);
    }

    /** {@code pulumi up}: the engine's secret keys, and the stack file it read the values from. */
    public static Secrets of(Set<String> secretKeys, StackFile file) {
        return new Secrets(secretKeys, Optional.of(file), "");
    }

    /** Only the engine's secret keys: the stack file could not be found or read, for the reason given. */
    public static Secrets withoutStackFile(Set<String> secretKeys, String why) {
        return new Secrets(secretKeys, Optional.empty(), why);
    }

    /** Whether the value at {@code path} may be shown in a message. */
    boolean isSecret(KeyPath path) {
        StackFile.Held held = stackFile.map(file -> file.held(path)).orElse(StackFile.Held.ABSENT);
        return switch (held) {
            case SECURE -> true;
            // In plain text in the stack file, which is committed: showing it reveals nothing.
            case PLAIN -> false;
            // Set elsewhere (ESC, project defaults) or no file: only the top-level mark is known.
            case ABSENT -> secretKeys.contains(path.top());
        };
    }
}
