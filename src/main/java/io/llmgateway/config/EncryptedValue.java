package io.llmgateway.config;

/**
 * A {@code secure:} value read straight from a stack file. Only the Pulumi CLI can decrypt it; the
 * Pulumi program receives the plain value instead, so this appears only when the local gateway
 * reads a stack file.
 */
public enum EncryptedValue {
    INSTANCE;

    @Override
    public String toString() {
        return "[encrypted]";
    }
}
