package io.llmgateway.infra;

import io.llmgateway.contract.Route;
import java.util.Locale;

/** Logical names: kebab-case, derived from the owning component's name. */
final class Names {
    private Names() {
    }

    /**
     * {@code QUOTA_EXCEEDED} to {@code quota-exceeded}, {@code /v1/chat} to {@code v1-chat},
     * {@code serverErrors} to {@code server-errors}.
     */
    static String kebab(String text) {
        return text.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^-|-$", "");
    }

    /** {@code CHAT_COMPLETIONS} to {@code chat-completions}. */
    static String of(Route route) {
        return kebab(route.name());
    }

    static String child(String component, String suffix) {
        return component + "-" + suffix;
    }
}
