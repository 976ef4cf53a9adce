package io.llmgateway.common;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Bedrock model id ({@code amazon.nova-micro-v1:0}) or system-defined cross-Region
 * inference-profile id ({@code us.anthropic.claude-3-5-haiku-20241022-v1:0}). The one place that
 * knows their shape: the config validates with it, the stack grants IAM access from it, and the
 * backend names a model's provider with it.
 */
public record BedrockModelId(String id) {

    /**
     * Geography prefixes of system-defined cross-Region inference profiles (Bedrock user guide,
     * "Supported Regions and models for inference profiles"), each with the AWS Region prefixes it
     * routes within. {@code global} routes anywhere.
     */
    public enum Geography {
        US_GOV("us-gov", List.of("us-gov-")),
        US("us", List.of("us-")),
        EU("eu", List.of("eu-")),
        APAC("apac", List.of("ap-")),
        JP("jp", List.of("ap-northeast-1", "ap-northeast-3")),
        AU("au", List.of("ap-southeast-2", "ap-southeast-4")),
        CA("ca", List.of("ca-")),
        GLOBAL("global", List.of(""));

        private final String prefix;
        private final List<String> regionPrefixes;

        Geography(String prefix, List<String> regionPrefixes) {
            this.prefix = prefix;
            this.regionPrefixes = regionPrefixes;
        }

        /** The id prefix, e.g. {@code us}. */
        public String prefix() {
            return prefix;
        }

        /** True when a stack in {@code region} can call a profile of this geography. */
        public boolean servesFrom(String region) {
            if (this == US && region.startsWith("us-gov-")) {
                return false;
            }
            return regionPrefixes.stream().anyMatch(region::startsWith);
        }

        static Optional<Geography> byPrefix(String prefix) {
            for (Geography g : values()) {
                if (g.prefix.equals(prefix)) {
                    return Optional.of(g);
                }
            }
            return Optional.empty();
        }
    }

    private static final Pattern SHAPE = Pattern.compile(
            "^(?:[a-z-]+\\.)?[a-z0-9][a-z0-9-]*\\.[a-z0-9][a-z0-9.\\-]*(?::[0-9a-z]+){0,2}$");

    public static boolean looksValid(String id) {
        if (id == null || id.length() > 128 || !SHAPE.matcher(id).matches()) {
            return false;
        }
        // A three-part id must start with a known geography: "xx.anthropic.claude" is not an id.
        String first = id.substring(0, id.indexOf('.'));
        return dotsBeforeVersion(id) < 2 || Geography.byPrefix(first).isPresent();
    }

    public BedrockModelId {
        if (!looksValid(id)) {
            throw new IllegalArgumentException("not a Bedrock model id: " + id);
        }
    }

    /** The profile's geography when this id is an inference profile. */
    public Optional<Geography> geography() {
        if (dotsBeforeVersion(id) < 2) {
            return Optional.empty(); // "amazon.nova-micro-v1:0": provider.model
        }
        return Geography.byPrefix(id.substring(0, id.indexOf('.')));
    }

    public boolean isInferenceProfile() {
        return geography().isPresent();
    }

    /** The foundation model a profile routes to, or this id itself. */
    public String foundationModelId() {
        return geography().map(g -> id.substring(g.prefix().length() + 1)).orElse(id);
    }

    /** The provider segment, e.g. {@code anthropic}: what {@code GET /v1/models} shows as {@code owned_by}. */
    public String provider() {
        String model = foundationModelId();
        return model.substring(0, model.indexOf('.'));
    }

    /** "us.anthropic.x-v1:0" has two dots before the version; "amazon.nova-micro-v1:0" has one. */
    private static long dotsBeforeVersion(String id) {
        return id.split(":", 2)[0].chars().filter(c -> c == '.').count();
    }
}
