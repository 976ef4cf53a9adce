package io.llmgateway.backend;

import io.llmgateway.backend.metering.TokenMetering;
import io.llmgateway.common.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.crac.Context;
import org.crac.Resource;

/**
 * Reloads the entitlements after a SnapStart restore: a snapshot taken when the version was published
 * can be restored long after a {@code pulumi up} changed the plans, and the stage variable only helps
 * once a request arrives carrying a newer version.
 */
final class EntitlementReload implements Resource {

    private final TokenMetering metering;
    private final Consumer<String> log;

    EntitlementReload(TokenMetering metering, Consumer<String> log) {
        this.metering = metering;
        this.log = log;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // Nothing to release: the DynamoDB client's connections are re-opened on demand.
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        boolean loaded = metering.reload();
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "entitlements_reloaded");
        line.put("loaded", loaded);
        line.put("version", metering.entitlements().map(e -> e.version()).orElse(null));
        if (!loaded) {
            line.put("cause", metering.lastLoadProblem());
        }
        log.accept(Json.write(line));
    }
}
