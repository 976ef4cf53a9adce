package io.llmgateway.backend;

import io.llmgateway.backend.metering.TokenMetering;
import io.llmgateway.common.Json;
import io.llmgateway.common.OwnThread;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.crac.Context;
import org.crac.Resource;

/**
 * Reloads the entitlements after a SnapStart restore: a snapshot taken when the version was published
 * can be restored long after a {@code pulumi up} changed the plans, and the stage variable only helps
 * once a request arrives carrying a newer version.
 *
 * <p>An {@code afterRestore} hook must finish within 10 seconds, or the restore fails (Lambda
 * developer guide, "Lambda SnapStart runtime hooks for Java",
 * https://docs.aws.amazon.com/lambda/latest/dg/snapstart-runtime-hooks-java.html). The reload is a
 * Query, with its retry and possibly several pages, against a table that may be slow right then, so
 * it runs on a thread of its own and the hook waits for it at most {@link #RESTORE_BUDGET}. A reload
 * still running then goes on behind; requests meanwhile use the snapshot's entitlements, and a
 * request whose stage variable names another version loads them itself.
 */
final class EntitlementReload implements Resource {

    /** Well within the 10 s limit, leaving the runtime and the other hooks their time. */
    static final Duration RESTORE_BUDGET = Duration.ofSeconds(3);

    private final TokenMetering metering;
    private final Consumer<String> log;
    private final Duration budget;

    EntitlementReload(TokenMetering metering, Consumer<String> log) {
        this(metering, log, RESTORE_BUDGET);
    }

    EntitlementReload(TokenMetering metering, Consumer<String> log, Duration budget) {
        this.metering = metering;
        this.log = log;
        this.budget = budget;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        // Nothing to release: the DynamoDB client's connections are re-opened on demand.
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        CompletableFuture<Boolean> reload = OwnThread.supply("entitlement-reload", metering::reload);
        Boolean loaded;
        String cause = null;
        try {
            loaded = reload.get(budget.toMillis(), TimeUnit.MILLISECONDS);
            if (!loaded) {
                cause = metering.lastLoadProblem();
            }
        } catch (TimeoutException e) {
            loaded = false;
            cause = "no answer within " + budget.toMillis() + " ms; the reload goes on behind, and requests use "
                    + "the snapshot's entitlements meanwhile";
        } catch (ExecutionException e) {
            loaded = false;
            cause = String.valueOf(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loaded = false;
            cause = "interrupted";
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("event", "entitlements_reloaded");
        line.put("loaded", loaded);
        line.put("version", metering.entitlements().map(e -> e.version()).orElse(null));
        if (cause != null) {
            line.put("cause", cause);
        }
        log.accept(Json.write(line));
    }
}
