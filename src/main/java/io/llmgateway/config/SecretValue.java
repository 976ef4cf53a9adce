package io.llmgateway.config;

import java.util.Objects;

/**
 * A secret from stack config. Its {@code toString} never shows the value, so it cannot leak
 * through a log line, an exception message or a record's {@code toString}.
 */
public final class SecretValue {
    private final String value;

    public SecretValue(String value) {
        this.value = Objects.requireNonNull(value);
    }

    /** The plain value; hand it only to a Pulumi secret or to the local gateway's key table. */
    public String reveal() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretValue other && other.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "[secret]";
    }
}
