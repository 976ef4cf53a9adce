package io.llmgateway.config;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Bedrock model id ({@code amazon.nova-micro-v1:0}) or cross-Region inference-profile id
 * ({@code us.anthropic.claude-3-5-haiku-20241022-v1:0}).
 */
public record BedrockModelId(String id) {

    /** Geography prefixes of system-defined cross-Region inference profiles. */
    static final List<String> PROFILE_PREFIXES = List.of("us-gov", "us", "eu", "apac", "jp", "au", "ca", "global");

    private static final Pattern SHAPE = Pattern.compile(
            "^(?:(?:us-gov|us|eu|apac|jp|au|ca|global)\\.)?[a-z0-9][a-z0-9-]*\\.[a-z0-9][a-z0-9.\\-]*(?::[0-9a-z]+){0,2}$");

    public static boolean looksValid(String id) {
        return id != null && id.length() <= 128 && SHAPE.matcher(id).matches();
    }

    public BedrockModelId {
        if (!looksValid(id)) {
            throw new IllegalArgumentException("not a Bedrock model id: " + id);
        }
    }

    /** The profile's geography prefix when this id is an inference profile. */
    public Optional<String> profilePrefix() {
        int dot = id.indexOf('.');
        String first = id.substring(0, dot);
        // "us.anthropic.x" has two dots before the version; "amazon.nova-micro-v1:0" has one.
        long dotsBeforeColon = id.split(":", 2)[0].chars().filter(c -> c == '.').count();
        return PROFILE_PREFIXES.contains(first) && dotsBeforeColon >= 2 ? Optional.of(first) : Optional.empty();
    }

    public boolean isInferenceProfile() {
        return profilePrefix().isPresent();
    }

    /** The foundation model a profile routes to, or this id itself. */
    public String foundationModelId() {
        return profilePrefix().map(p -> id.substring(p.length() + 1)).orElse(id);
    }

    /** The provider segment, e.g. {@code anthropic}. */
    public String provider() {
        String model = foundationModelId();
        return model.substring(0, model.indexOf('.'));
    }
}
