package io.llmgateway.config;

import io.llmgateway.contract.Route;
import java.util.List;
import java.util.Map;

/**
 * {@code responses} (optional): {@code store.enabled} and {@code store.ttlDays} ({@link ResponseStorage}).
 * The days are checked whether or not storage is on, so that turning it on later cannot meet a bad value.
 */
final class ResponseStorageReader {

    static final String KEY = "responses";
    static final String STORE = "store";
    static final String ENABLED = "enabled";
    static final String TTL_DAYS = "ttlDays";

    private final TypedValues typed;
    private final LoadReport report;

    private ResponseStorageReader(TypedValues typed, LoadReport report) {
        this.typed = typed;
        this.report = report;
    }

    static ResponseStorage read(Object node, TypedValues typed, LoadReport report) {
        return new ResponseStorageReader(typed, report).read(node);
    }

    private ResponseStorage read(Object node) {
        if (node == null) {
            return ResponseStorage.OFF;
        }
        KeyPath root = KeyPath.of(KEY);
        Map<String, Object> section = typed.object(root, node, List.of(STORE),
                ", e.g. {\"store\": {\"enabled\": true, \"ttlDays\": " + ResponseStorage.DEFAULT_TTL_DAYS + "}}");
        if (section == null || section.get(STORE) == null) {
            return ResponseStorage.OFF;
        }
        KeyPath path = root.child(STORE);
        Map<String, Object> store = typed.object(path, section.get(STORE), List.of(ENABLED, TTL_DAYS),
                ", e.g. {\"enabled\": true, \"ttlDays\": " + ResponseStorage.DEFAULT_TTL_DAYS + "}");
        if (store == null) {
            return ResponseStorage.OFF;
        }
        Boolean enabled = store.get(ENABLED) == null ? Boolean.FALSE : typed.bool(path.child(ENABLED), store.get(ENABLED));
        Integer days = store.get(TTL_DAYS) == null ? Integer.valueOf(ResponseStorage.DEFAULT_TTL_DAYS)
                : days(path.child(TTL_DAYS), store.get(TTL_DAYS));
        if (enabled == null || days == null) {
            return ResponseStorage.OFF;
        }
        return new ResponseStorage(enabled, days);
    }

    /**
     * A per-method throttle on a stored-response route needs those routes: without storage the API has no
     * such method, and a usage plan throttling one fails at deployment.
     */
    static void checkThrottles(Map<String, Plan> plans, ResponseStorage storage, LoadReport report) {
        if (storage.enabled() || plans == null) {
            return;
        }
        plans.values().forEach(plan -> plan.methodThrottles().keySet().stream().filter(Route::storedOnly)
                .forEach(route -> report.problem(KeyPath.of("plans").child(plan.name()).child("methodThrottles")
                        .child(route.throttlePath()), "the route " + route.method() + " " + route.path()
                        + " exists only with stored responses on (responses.store.enabled: true); turn storage on "
                        + "or remove this throttle")));
    }

    private Integer days(KeyPath path, Object node) {
        TypedValues.Num n = typed.integer(path, node);
        if (n == null) {
            return null;
        }
        if (!n.within(ResponseStorage.MIN_TTL_DAYS, ResponseStorage.MAX_TTL_DAYS)) {
            report.problem(path, n.shown() + " is out of range; allowed: " + ResponseStorage.MIN_TTL_DAYS + "-"
                    + ResponseStorage.MAX_TTL_DAYS + " (days a stored response is kept before it expires)");
            return null;
        }
        return n.intValue();
    }
}
