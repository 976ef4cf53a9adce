package io.llmgateway.config;

import java.util.Objects;

/**
 * A client: one API key on one usage plan.
 *
 * @param name        the client's key in {@code clients}
 * @param description free text shown in the AWS console
 * @param plan        the name of its plan; a key can be in only one plan per stage
 * @param enabled     false keeps the key but makes API Gateway reject it
 * @param key         how the key value is chosen
 */
public record Client(String name, String description, String plan, boolean enabled, ClientKey key) {
    public Client {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(key, "key");
    }
}
