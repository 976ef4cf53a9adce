package io.llmgateway.common;

import java.util.Arrays;
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
     * "Supported Regions and models for inference profiles",
     * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-profiles-support.html), each with
     * the source Regions it can be called from, by Region-name prefix. A profile is called from the
     * stack's Region (the source Region) and routed within its geography; {@code global} profiles route
     * across all commercial Regions and are called from commercial Regions only.
     */
    public enum Geography {
        US_GOV("us-gov", "us-gov-* Regions", "us-gov-west-1", List.of("us-gov-")),
        US("us", "us-* Regions other than GovCloud", "us-east-1", List.of("us-")),
        EU("eu", "eu-* Regions", "eu-central-1", List.of("eu-")),
        APAC("apac", "ap-* Regions", "ap-northeast-1", List.of("ap-")),
        JP("jp", "ap-northeast-1 or ap-northeast-3", "ap-northeast-1", List.of("ap-northeast-1", "ap-northeast-3")),
        AU("au", "ap-southeast-2 or ap-southeast-4", "ap-southeast-2", List.of("ap-southeast-2", "ap-southeast-4")),
        CA("ca", "ca-* Regions", "ca-central-1", List.of("ca-")),
        GLOBAL("global", "any commercial Region", "us-east-1", List.of(""));

        /**
         * Region-name prefixes outside the commercial partition: GovCloud ({@code aws-us-gov}), China
         * ({@code aws-cn}), the European Sovereign Cloud ({@code aws-eusc}). ISO partitions carry
         * {@code -iso} in the name. Only {@link #US_GOV} serves any of them.
         */
        private static final List<String> NON_COMMERCIAL = List.of("us-gov-", "cn-", "eusc-");

        private final String prefix;
        private final String regions;
        private final String exampleRegion;
        private final List<String> regionPrefixes;

        Geography(String prefix, String regions, String exampleRegion, List<String> regionPrefixes) {
            this.prefix = prefix;
            this.regions = regions;
            this.exampleRegion = exampleRegion;
            this.regionPrefixes = regionPrefixes;
        }

        /** The id prefix, e.g. {@code us}. */
        public String prefix() {
            return prefix;
        }

        /** The Regions a profile of this geography can be called from, for people: {@code eu-* Regions}. */
        public String regions() {
            return regions;
        }

        /** One Region this geography serves, for a suggestion in a message. */
        public String exampleRegion() {
            return exampleRegion;
        }

        /** True when a stack in {@code region} can call a profile of this geography. */
        public boolean servesFrom(String region) {
            boolean commercial = NON_COMMERCIAL.stream().noneMatch(region::startsWith) && !region.contains("-iso");
            if (this != US_GOV && !commercial) {
                return false;
            }
            return regionPrefixes.stream().anyMatch(region::startsWith);
        }

        /** The geographies whose profiles a stack in {@code region} can call, {@link #GLOBAL} last. */
        public static List<Geography> servingFrom(String region) {
            return Arrays.stream(values()).filter(g -> g.servesFrom(region)).toList();
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
