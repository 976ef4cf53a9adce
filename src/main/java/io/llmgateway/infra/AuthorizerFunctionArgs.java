package io.llmgateway.infra;

import java.util.Objects;

/**
 * Inputs of {@link AuthorizerFunction}.
 *
 * @param code             the authorizer zip ({@link LambdaArchive#authorizer()}), verified
 * @param logRetentionDays config {@code logRetentionDays} (default 30)
 */
public record AuthorizerFunctionArgs(LambdaArchive code, int logRetentionDays) {
    public AuthorizerFunctionArgs {
        Objects.requireNonNull(code, "code");
    }
}
