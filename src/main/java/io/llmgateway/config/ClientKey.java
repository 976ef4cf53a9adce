package io.llmgateway.config;

import java.util.Objects;

/** How a client's API key value is chosen. */
public sealed interface ClientKey {

    /** AWS generates the value (the default). */
    record Generated() implements ClientKey {
    }

    /** The stack config supplies the value as a secret. */
    record Supplied(SecretValue value) implements ClientKey {
        public Supplied {
            Objects.requireNonNull(value);
        }
    }

    /**
     * The stack file holds an encrypted value that only the Pulumi CLI can decrypt. The local
     * gateway, which reads the file directly, generates a key instead.
     */
    record Encrypted() implements ClientKey {
    }
}
