package io.llmgateway.config;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plan's cost allocation ({@code plans.<plan>.costAllocation}): with it enabled, the stack declares one
 * application inference profile per model the plan may use, tagged with the plan, the stack, the model
 * alias and these tags, and the plan's calls go through them, so Bedrock's bill carries the tags.
 *
 * @param enabled false keeps the settings but declares no profile
 * @param tags    the operator's own cost allocation tags
 */
public record CostAllocation(boolean enabled, Map<String, String> tags) {
    public CostAllocation {
        tags = Collections.unmodifiableMap(new TreeMap<>(tags));
    }
}
